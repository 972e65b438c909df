import { attr, ElementType, GraphBuilder, type Attribute } from '../../engine/kernels/onnx/graphBuilder.js';

/**
 * The training step of Embedding → LSTM×N (dropout after each) → Dense → softmax cross-entropy as
 * one ONNX graph, unrolled over a fixed window length T with a symbolic batch: the same math as
 * lstmTrainer.ts / lstmLayer.ts, written as ops so products and gate arithmetic run in
 * onnxruntime's kernels. Weights are graph inputs (not initializers), so an update needs no new
 * session, and the graph serves every batch size.
 *
 * Only the recurrence is per step (one [B,H]·[H,4H] product and the gate ops forward, one
 * [B,4H]·[4H,H] product and a few element-wise ops backward); the input products of all steps,
 * every derivative factor that does not depend on the carried gradient, and the weight gradients
 * are single ops over the whole window.
 */

export interface TrainGraphShape {
  vocabSize: number;
  embeddingDim: number;
  /** Units of each LSTM layer. */
  units: number[];
  steps: number;
  /** Outputs the gradient of every weight (else only the summed loss, for validation). */
  gradients: boolean;
  /** Takes a dropout mask per layer as input ([T, B, units], already scaled by 1/(1 − rate)). */
  dropout: boolean;
}

/** Input and output names; weight names follow weightArrays' order. */
export const TrainNames = {
  /** [T, B] int32, time-major. */
  ids: 'ids',
  targets: 'targets',
  /** [T, B, 1] float: 0 where the state entering the step is reset (see lstmLayer's KeepMask). */
  keep: 'keep',
  /** [1] float: the factor of the gradients, 1 / (tokens of the whole batch across workers). */
  scale: 'scale',
  mask: (layer: number) => `mask${layer}`,
  lossSum: 'loss_sum',
  weights: (layers: number): string[] => [
    'embedding',
    ...Array.from({ length: layers }, (_, l) => [`kernel${l}`, `recurrent${l}`, `bias${l}`]).flat(),
    'dense_kernel',
    'dense_bias',
  ],
  gradient: (weight: string) => `grad_${weight}`,
} as const;

const OPSET = 17;
const HARD_SIGMOID = [attr.float('alpha', 0.2), attr.float('beta', 0.5)];

/** The weights' shapes in weightArrays order. */
export function weightShapes(shape: Pick<TrainGraphShape, 'vocabSize' | 'embeddingDim' | 'units'>): number[][] {
  let inputDim = shape.embeddingDim;
  const layers = shape.units.flatMap((H) => {
    const dims = [[inputDim, 4 * H], [H, 4 * H], [4 * H]];
    inputDim = H;
    return dims;
  });
  return [[shape.vocabSize, shape.embeddingDim], ...layers, [inputDim, shape.vocabSize], [shape.vocabSize]];
}

export function buildTrainGraph(shape: TrainGraphShape): Uint8Array {
  const g = new GraphBuilder();
  const { steps: T, vocabSize: V } = shape;
  const L = shape.units.length;
  const names = TrainNames.weights(L);
  const dims = weightShapes(shape);
  names.forEach((name, k) => g.input(name, ElementType.float, dims[k]!));
  const ids = g.input(TrainNames.ids, ElementType.int32, [T, 'B']);
  const targets = g.input(TrainNames.targets, ElementType.int32, [T, 'B']);
  const keep = g.input(TrainNames.keep, ElementType.float, [T, 'B', 1]);
  const scale = shape.gradients ? g.input(TrainNames.scale, ElementType.float, [1]) : '';
  const masks = shape.units.map((H, l) => (shape.dropout ? g.input(TrainNames.mask(l), ElementType.float, [T, 'B', H]) : null));

  const c = constants(g);
  const ones = g.initializer('split_steps', new BigInt64Array(T).fill(1n), [T]);
  const splitSteps = (x: string): string[] => (T === 1 ? [x] : g.node('Split', [x, ones], { outputs: T, attributes: [attr.int('axis', 0)] }));
  const concatSteps = (xs: string[]): string => (T === 1 ? xs[0]! : g.op('Concat', xs, [attr.int('axis', 0)]));
  const keepSteps = splitSteps(keep);
  const flatIds = g.op('Reshape', [ids, c.shape([-1, 1])]);

  // Forward. The first layer's input product is a lookup in (embedding·kernel + bias) [V, 4H].
  const caches: LayerCache[] = [];
  let x = '';
  shape.units.forEach((H, l) => {
    const [kernel, recurrent, bias] = [names[1 + 3 * l]!, names[2 + 3 * l]!, names[3 + 3 * l]!];
    const projected =
      l === 0
        ? g.op('Reshape', [g.op('Gather', [g.op('Add', [g.op('MatMul', [names[0]!, kernel]), bias]), ids], [attr.int('axis', 0)]), c.shape([T, -1, 4 * H])])
        : g.op('Add', [g.op('MatMul', [x, kernel]), bias]);
    const cache = forwardLayer(g, c, splitSteps(projected), keepSteps, recurrent, H, concatSteps);
    caches.push({ ...cache, input: x });
    x = masks[l] ? g.op('Mul', [cache.output, masks[l]!]) : cache.output;
  });

  const lastUnits = shape.units[L - 1]!;
  const x2 = g.op('Reshape', [x, c.shape([-1, lastUnits])]);
  const logits = g.op('Add', [g.op('MatMul', [x2, names[names.length - 2]!]), names[names.length - 1]!]);
  const flatTargets = g.op('Cast', [g.op('Reshape', [targets, c.shape([-1])])], [attr.int('to', ElementType.int64)]);
  const logProb = g.node('SoftmaxCrossEntropyLoss', [logits, flatTargets], {
    outputs: [TrainNames.lossSum, 'log_prob'],
    attributes: [stringAttribute('reduction', 'sum')],
  })[1]!;
  g.output(TrainNames.lossSum, ElementType.float, []);
  if (!shape.gradients) return g.encode('synth_train_loss', { '': OPSET });

  // Backward: d(mean loss)/d logits = (softmax − onehot(target)) · scale.
  const vocabRange = g.initializer('vocab_range', Int32Array.from({ length: V }, (_, v) => v), [V]);
  const oneHot = (column: string): string => g.op('Cast', [g.op('Equal', [column, vocabRange])], [attr.int('to', ElementType.float)]);
  const dLogits = g.op('Mul', [g.op('Sub', [g.op('Exp', [logProb]), oneHot(g.op('Reshape', [targets, c.shape([-1, 1])]))]), scale]);
  const grads: string[] = new Array(names.length);
  grads[names.length - 2] = g.op('Gemm', [x2, dLogits], [attr.int('transA', 1)]);
  grads[names.length - 1] = g.op('ReduceSum', [dLogits, c.axes0], [attr.int('keepdims', 0)]);
  let dx = g.op('Reshape', [g.op('Gemm', [dLogits, names[names.length - 2]!], [attr.int('transB', 1)]), c.shape([T, -1, lastUnits])]);

  for (let l = L - 1; l >= 0; l--) {
    const H = shape.units[l]!;
    const [kernel, recurrent] = [names[1 + 3 * l]!, names[2 + 3 * l]!];
    const dOutput = masks[l] ? g.op('Mul', [dx, masks[l]!]) : dx;
    const dz = backwardLayer(g, c, caches[l]!, keep, dOutput, recurrent, H, T, splitSteps, concatSteps);
    const dz2 = g.op('Reshape', [dz, c.shape([-1, 4 * H])]);
    const previous = g.op('Reshape', [caches[l]!.previousOutput, c.shape([-1, H])]);
    grads[2 + 3 * l] = g.op('Gemm', [previous, dz2], [attr.int('transA', 1)]);
    grads[3 + 3 * l] = g.op('ReduceSum', [dz2, c.axes0], [attr.int('keepdims', 0)]);
    if (l > 0) {
      const inputDim = shape.units[l - 1]!;
      grads[1 + 3 * l] = g.op('Gemm', [g.op('Reshape', [caches[l]!.input, c.shape([-1, inputDim])]), dz2], [attr.int('transA', 1)]);
      dx = g.op('Reshape', [g.op('Gemm', [dz2, kernel], [attr.int('transB', 1)]), c.shape([T, -1, inputDim])]);
    } else {
      // Folded embedding: S = onehot(ids)ᵀ·dz [V, 4H] sums dz by token id (a product, not a
      // scatter-add, so the sum order is fixed); dKernel = embeddingᵀ·S, dEmbedding = S·kernelᵀ.
      const summed = g.op('Gemm', [oneHot(flatIds), dz2], [attr.int('transA', 1)]);
      grads[1] = g.op('Gemm', [names[0]!, summed], [attr.int('transA', 1)]);
      grads[0] = g.op('Gemm', [summed, kernel], [attr.int('transB', 1)]);
    }
  }
  names.forEach((name, k) => {
    g.op('Identity', [grads[k]!], [], TrainNames.gradient(name));
    g.output(TrainNames.gradient(name), ElementType.float, dims[k]!);
  });
  return g.encode('synth_train_step', { '': OPSET });
}

interface Constants {
  shape: (dims: number[]) => string;
  axes0: string;
  gateSizes: (H: number) => string;
  one: string;
  fifth: string;
  zero: string;
}

function constants(g: GraphBuilder): Constants {
  const cache = new Map<string, string>();
  const once = (key: string, make: () => string): string => {
    let name = cache.get(key);
    if (!name) cache.set(key, (name = make()));
    return name;
  };
  return {
    shape: (dims) => once(`shape_${dims.join('_')}`, () => g.initializer(`shape_${dims.join('_').replace(/-/g, 'm')}`, BigInt64Array.from(dims.map(BigInt)), [dims.length])),
    axes0: g.initializer('axes_0', new BigInt64Array([0n]), [1]),
    gateSizes: (H) => once(`gates_${H}`, () => g.initializer(`gate_sizes_${H}`, new BigInt64Array(4).fill(BigInt(H)), [4])),
    one: g.initializer('one', new Float32Array([1]), []),
    fifth: g.initializer('fifth', new Float32Array([0.2]), []),
    zero: g.initializer('zero', new Float32Array([0]), []),
  };
}

interface LayerCache {
  /** Pre-activations [T, B, 4H], cells [T, B, H], outputs [T, B, H]. */
  z: string;
  cells: string;
  output: string;
  /** The state entering each step after the reset: c_{t-1}·keep_t and h_{t-1}·keep_t [T, B, H]. */
  previousCells: string;
  previousOutput: string;
  /** The layer's input [T, B, I] ('' for the first layer, whose input is the embedding lookup). */
  input: string;
}

/** One layer's recurrence from the zero state, step by step; projected[t] = x_t·W + b [1, B, 4H]. */
function forwardLayer(
  g: GraphBuilder,
  c: Constants,
  projected: string[],
  keepSteps: string[],
  recurrent: string,
  H: number,
  concatSteps: (xs: string[]) => string,
): Omit<LayerCache, 'input'> {
  const zs: string[] = [];
  const cells: string[] = [];
  const outputs: string[] = [];
  const previousCells: string[] = [];
  const previousOutputs: string[] = [];
  let h = '';
  let cell = '';
  projected.forEach((p, t) => {
    let z = p;
    let cPrev = '';
    if (t > 0) {
      const hPrev = g.op('Mul', [h, keepSteps[t]!]);
      cPrev = g.op('Mul', [cell, keepSteps[t]!]);
      previousOutputs.push(hPrev);
      previousCells.push(cPrev);
      z = g.op('Add', [p, g.op('MatMul', [hPrev, recurrent])]);
    }
    const [zi, zf, zg, zo] = g.node('Split', [z, c.gateSizes(H)], { outputs: 4, attributes: [attr.int('axis', 2)] }) as [string, string, string, string];
    const i = g.op('HardSigmoid', [zi], HARD_SIGMOID);
    const o = g.op('HardSigmoid', [zo], HARD_SIGMOID);
    const ig = g.op('Mul', [i, g.op('Tanh', [zg])]);
    cell = t > 0 ? g.op('Add', [g.op('Mul', [g.op('HardSigmoid', [zf], HARD_SIGMOID), cPrev]), ig]) : ig;
    h = g.op('Mul', [o, g.op('Tanh', [cell])]);
    zs.push(z);
    cells.push(cell);
    outputs.push(h);
  });
  // The state entering step 0 is zero: shaped like one step's cell.
  const zeros = g.op('Mul', [cells[0]!, c.zero]);
  return {
    z: concatSteps(zs),
    cells: concatSteps(cells),
    output: concatSteps(outputs),
    previousCells: concatSteps([zeros, ...previousCells]),
    previousOutput: concatSteps([zeros, ...previousOutputs]),
  };
}

/** hardSigmoid' from its output y: 0.2 inside the linear part, 0 where clipped (as lstmLayer.ts). */
function hardSigmoidSlope(g: GraphBuilder, c: Constants, y: string): string {
  const inside = g.op('And', [g.op('Greater', [y, c.zero]), g.op('Less', [y, c.one])]);
  return g.op('Mul', [g.op('Cast', [inside], [attr.int('to', ElementType.float)]), c.fifth]);
}

/**
 * Backpropagation through time; returns dz, the gradient of the pre-activations [T, B, 4H].
 * Per step only the carried gradients run: dh_t = dOut_t + (dz_{t+1}·Rᵀ)·keep_{t+1} and
 * dc_t = dc_{t+1}·f_{t+1}·keep_{t+1} + dh_t·o_t·(1 − tanh²c_t); dz_t = [dc·A, dc·B, dc·C, dh·D]
 * with A, B, C, D computed for the whole window first.
 */
function backwardLayer(
  g: GraphBuilder,
  c: Constants,
  cache: LayerCache,
  keep: string,
  dOutput: string,
  recurrent: string,
  H: number,
  T: number,
  splitSteps: (x: string) => string[],
  concatSteps: (xs: string[]) => string,
): string {
  const [zi, zf, zg, zo] = g.node('Split', [cache.z, c.gateSizes(H)], { outputs: 4, attributes: [attr.int('axis', 2)] }) as [string, string, string, string];
  const i = g.op('HardSigmoid', [zi], HARD_SIGMOID);
  const f = g.op('HardSigmoid', [zf], HARD_SIGMOID);
  const o = g.op('HardSigmoid', [zo], HARD_SIGMOID);
  const gc = g.op('Tanh', [zg]);
  const tc = g.op('Tanh', [cache.cells]);
  const oneMinusSquare = (y: string): string => g.op('Sub', [c.one, g.op('Mul', [y, y])]);
  const a = g.op('Mul', [hardSigmoidSlope(g, c, i), gc]);
  const b = g.op('Mul', [hardSigmoidSlope(g, c, f), cache.previousCells]);
  const cc = g.op('Mul', [i, oneMinusSquare(gc)]);
  const abc = splitSteps(g.op('Reshape', [g.op('Concat', [a, b, cc], [attr.int('axis', 2)]), c.shape([T, -1, 3, H])]));
  const d = splitSteps(g.op('Mul', [hardSigmoidSlope(g, c, o), tc]));
  const q = splitSteps(g.op('Mul', [o, oneMinusSquare(tc)]));
  const fKeep = splitSteps(g.op('Mul', [f, keep]));
  const keepSteps = splitSteps(keep);
  const dOut = splitSteps(dOutput);
  const recurrentT = g.op('Transpose', [recurrent]);
  const axis2 = g.initializer(`axis2_${recurrent}`, new BigInt64Array([2n]), [1]);

  const dzs: string[] = new Array(T);
  let dcNext = '';
  for (let t = T - 1; t >= 0; t--) {
    let dh = dOut[t]!;
    let dc = g.op('Mul', [dh, q[t]!]);
    if (t < T - 1) {
      dh = g.op('Add', [dh, g.op('Mul', [g.op('MatMul', [dzs[t + 1]!, recurrentT]), keepSteps[t + 1]!])]);
      dc = g.op('Add', [g.op('Mul', [dcNext, fKeep[t + 1]!]), g.op('Mul', [dh, q[t]!])]);
    }
    const dzIfc = g.op('Reshape', [g.op('Mul', [g.op('Unsqueeze', [dc, axis2]), abc[t]!]), c.shape([1, -1, 3 * H])]);
    dzs[t] = g.op('Concat', [dzIfc, g.op('Mul', [dh, d[t]!])], [attr.int('axis', 2)]);
    dcNext = dc;
  }
  return concatSteps(dzs);
}

/** A STRING attribute (AttributeProto field s), which graphBuilder's attr helpers do not cover. */
function stringAttribute(name: string, value: string): Attribute {
  const attribute: Attribute & { s: Uint8Array } = { name, type: 3, s: new TextEncoder().encode(value) };
  return attribute;
}
