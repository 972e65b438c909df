import { attr, ElementType, GraphBuilder, type Attribute } from '../../onnx/graphBuilder.js';

/**
 * The training step of Embedding → LSTM×N (dropout after each) → Dense → softmax cross-entropy as
 * ONNX graphs, the same math as lstmTrainer.ts / lstmLayer.ts, so products and gate arithmetic run
 * in onnxruntime's kernels. Weights are graph inputs (not initializers): an update needs no new
 * session, and a symbolic batch dimension B serves every share of a batch.
 *
 * Why several graphs and not one per window: a whole window unrolled (T = 100, two layers, ~5,000
 * nodes) took onnxruntime 35 s to load — its allocation planner grows with the square of the node
 * count — so the recurrence is unrolled over chunks of K steps (DEFAULT_CHUNK in
 * gradientSession.ts), and what is not recurrent has graphs of its own: the input products and the
 * output layer with the loss (run a chunk of steps at a time), and the weight gradients (once per
 * window).
 * Layout is time-major, [T, B, …], so a chunk of steps is a contiguous view.
 */

const OPSET = 17;
const HARD_SIGMOID = [attr.float('alpha', 0.2), attr.float('beta', 0.5)];

export const Names = {
  ids: 'ids',
  targets: 'targets',
  keep: 'keep',
  scale: 'scale',
  mask: 'mask',
  inputMask: 'input_mask',
  maskScale: 'mask_scale',
  embedding: 'embedding',
  kernel: 'kernel',
  recurrent: 'recurrent',
  bias: 'bias',
  denseKernel: 'dense_kernel',
  denseBias: 'dense_bias',
  input: 'input',
  output: 'output',
  projected: 'projected',
  table: 'table',
  z: 'z',
  cells: 'cells',
  h0: 'h0',
  c0: 'c0',
  dOutput: 'd_output',
  dh: 'dh',
  dc: 'dc',
  dz: 'dz',
  lossSum: 'loss_sum',
  dInput: 'd_input',
  grad: (name: string) => `grad_${name}`,
  carry: (name: string) => `${name}_out`,
} as const;

function stringAttribute(name: string, value: string): Attribute {
  const attribute: Attribute & { s: Uint8Array } = { name, type: 3, s: new TextEncoder().encode(value) };
  return attribute;
}

class Builder extends GraphBuilder {
  private readonly shapes = new Map<string, string>();
  readonly one = this.initializer('one', new Float32Array([1]), []);
  readonly zero = this.initializer('zero', new Float32Array([0]), []);
  readonly fifth = this.initializer('fifth', new Float32Array([0.2]), []);
  readonly axes0 = this.initializer('axes_0', new BigInt64Array([0n]), [1]);
  /** The scalar mask_scale input, declared by the first dropout mask. */
  private maskScale: string | null = null;

  shape(dims: number[]): string {
    const key = dims.join('_').replace(/-/g, 'm');
    let name = this.shapes.get(key);
    if (!name) this.shapes.set(key, (name = this.initializer(`shape_${key}`, BigInt64Array.from(dims.map(BigInt)), [dims.length])));
    return name;
  }

  splitSteps(x: string, steps: number): string[] {
    if (steps === 1) return [x];
    return this.node('Split', [x, this.shape(new Array(steps).fill(1))], { outputs: steps, attributes: [attr.int('axis', 0)] });
  }

  concat(xs: string[], axis: number, output?: string): string {
    return xs.length === 1 && !output ? xs[0]! : this.op('Concat', xs, [attr.int('axis', axis)], output);
  }

  gates(z: string, H: number): [string, string, string, string] {
    return this.node('Split', [z, this.shape([H, H, H, H])], { outputs: 4, attributes: [attr.int('axis', 2)] }) as [string, string, string, string];
  }

  hardSigmoid(x: string): string {
    return this.op('HardSigmoid', [x], HARD_SIGMOID);
  }

  /** hardSigmoid' from its output y: 0.2 inside the linear part, 0 where clipped (as lstmLayer.ts). */
  hardSigmoidSlope(y: string): string {
    const inside = this.op('And', [this.op('Greater', [y, this.zero]), this.op('Less', [y, this.one])]);
    return this.op('Mul', [this.op('Cast', [inside], [attr.int('to', ElementType.float)]), this.fifth]);
  }

  oneMinusSquare(y: string): string {
    return this.op('Sub', [this.one, this.op('Mul', [y, y])]);
  }

  /**
   * A dropout mask fed as bytes (1 keep, 0 drop) [T, B, width], as the floats the reference trainer
   * multiplies by: 0 or 1/(1 − rate), the scalar input mask_scale. Bytes cut the masks' memory to a
   * quarter (13 MB of shared arrays at batch 64); 1 · scale is the reference's float exactly.
   */
  dropoutMask(name: string, T: number, width: number): string {
    const bytes = this.input(name, ElementType.uint8, [T, 'B', width]);
    if (!this.maskScale) this.maskScale = this.input(Names.maskScale, ElementType.float, [1]);
    return this.op('Mul', [this.op('Cast', [bytes], [attr.int('to', ElementType.float)]), this.maskScale]);
  }

  /** Rows of x [N, 1] int32 as one-hot floats [N, V]. */
  oneHot(column: string, V: number): string {
    const range = this.initializer(`range_${V}`, Int32Array.from({ length: V }, (_, v) => v), [V]);
    return this.op('Cast', [this.op('Equal', [column, range])], [attr.int('to', ElementType.float)]);
  }

  /** The previous step's values [T, B, H] for every step: zero at t = 0, then x_{t-1}·keep_t. */
  previous(x: string, keep: string, steps: number): string {
    const first = this.op('Mul', [this.op('Slice', [x, this.shape([0]), this.shape([1]), this.axes0]), this.zero]);
    if (steps === 1) return first;
    const shifted = this.op('Concat', [first, this.op('Slice', [x, this.shape([0]), this.shape([steps - 1]), this.axes0])], [attr.int('axis', 0)]);
    return this.op('Mul', [shifted, keep]);
  }

  finish(name: string): Uint8Array {
    return this.encode(name, { '': OPSET });
  }
}

/**
 * Layer 0's input products of every token: embedding·kernel + bias → table [V, 4H]; a step's
 * products are the row of its token (gathered by the caller), V products instead of T·B.
 */
export function buildEmbeddingProjection(V: number, E: number, H: number): Uint8Array {
  const g = new Builder();
  const embedding = g.input(Names.embedding, ElementType.float, [V, E]);
  const kernel = g.input(Names.kernel, ElementType.float, [E, 4 * H]);
  const bias = g.input(Names.bias, ElementType.float, [4 * H]);
  g.op('Add', [g.op('MatMul', [embedding, kernel]), bias], [], Names.table);
  g.output(Names.table, ElementType.float, [V, 4 * H]);
  return g.finish('synth_projection0');
}

/** A later layer's input products: (output of the layer below · mask)·kernel + bias. */
export function buildProjection(I: number, H: number, T: number, dropout: boolean): Uint8Array {
  const g = new Builder();
  let x = g.input(Names.input, ElementType.float, [T, 'B', I]);
  if (dropout) x = g.op('Mul', [x, g.dropoutMask(Names.inputMask, T, I)]);
  const kernel = g.input(Names.kernel, ElementType.float, [I, 4 * H]);
  const bias = g.input(Names.bias, ElementType.float, [4 * H]);
  g.op('Add', [g.op('MatMul', [x, kernel]), bias], [], Names.projected);
  g.output(Names.projected, ElementType.float, [T, 'B', 4 * H]);
  return g.finish('synth_projection');
}

/**
 * K steps of one layer's recurrence from the state (h0, c0) the previous chunk left (zeros for the
 * first); outputs the pre-activations, cells and outputs of the K steps for the backward pass.
 */
export function buildForwardChunk(H: number, K: number): Uint8Array {
  const g = new Builder();
  const projected = g.splitSteps(g.input(Names.projected, ElementType.float, [K, 'B', 4 * H]), K);
  const keep = g.splitSteps(g.input(Names.keep, ElementType.float, [K, 'B', 1]), K);
  let h = g.input(Names.h0, ElementType.float, [1, 'B', H]);
  let c = g.input(Names.c0, ElementType.float, [1, 'B', H]);
  const recurrent = g.input(Names.recurrent, ElementType.float, [H, 4 * H]);
  const zs: string[] = [];
  const cells: string[] = [];
  const outputs: string[] = [];
  for (let t = 0; t < K; t++) {
    const z = g.op('Add', [projected[t]!, g.op('MatMul', [g.op('Mul', [h, keep[t]!]), recurrent])]);
    const [zi, zf, zg, zo] = g.gates(z, H);
    const ig = g.op('Mul', [g.hardSigmoid(zi), g.op('Tanh', [zg])]);
    c = g.op('Add', [g.op('Mul', [g.hardSigmoid(zf), g.op('Mul', [c, keep[t]!])]), ig]);
    h = g.op('Mul', [g.hardSigmoid(zo), g.op('Tanh', [c])]);
    zs.push(z);
    cells.push(c);
    outputs.push(h);
  }
  g.op('Identity', [g.concat(zs, 0)], [], Names.z);
  g.op('Identity', [g.concat(cells, 0)], [], Names.cells);
  g.op('Identity', [g.concat(outputs, 0)], [], Names.output);
  g.output(Names.z, ElementType.float, [K, 'B', 4 * H]);
  g.output(Names.cells, ElementType.float, [K, 'B', H]);
  g.output(Names.output, ElementType.float, [K, 'B', H]);
  return g.finish('synth_forward_chunk');
}

/**
 * Output layer and loss over T steps: summed cross-entropy and, with gradients, the dense
 * gradients and d(loss·scale)/d(layer output) (through the dropout mask).
 */
export function buildHead(H: number, V: number, T: number, gradients: boolean, dropout: boolean): Uint8Array {
  const g = new Builder();
  const output = g.input(Names.output, ElementType.float, [T, 'B', H]);
  const mask = dropout ? g.dropoutMask(Names.mask, T, H) : null;
  const kernel = g.input(Names.denseKernel, ElementType.float, [H, V]);
  const bias = g.input(Names.denseBias, ElementType.float, [V]);
  const targets = g.input(Names.targets, ElementType.int32, [T, 'B']);
  const x = g.op('Reshape', [mask ? g.op('Mul', [output, mask]) : output, g.shape([-1, H])]);
  const logits = g.op('Add', [g.op('MatMul', [x, kernel]), bias]);
  const flatTargets = g.op('Cast', [g.op('Reshape', [targets, g.shape([-1])])], [attr.int('to', ElementType.int64)]);
  const logProb = g.node('SoftmaxCrossEntropyLoss', [logits, flatTargets], {
    outputs: [Names.lossSum, 'log_prob'],
    attributes: [stringAttribute('reduction', 'sum')],
  })[1]!;
  g.output(Names.lossSum, ElementType.float, []);
  if (!gradients) return g.finish('synth_loss');
  const scale = g.input(Names.scale, ElementType.float, [1]);
  // d(mean loss)/d logits = (softmax − onehot(target)) · scale.
  const dLogits = g.op('Mul', [g.op('Sub', [g.op('Exp', [logProb]), g.oneHot(g.op('Reshape', [targets, g.shape([-1, 1])]), V)]), scale]);
  g.op('Gemm', [x, dLogits], [attr.int('transA', 1)], Names.grad(Names.denseKernel));
  g.op('ReduceSum', [dLogits, g.axes0], [attr.int('keepdims', 0)], Names.grad(Names.denseBias));
  const dx = g.op('Reshape', [g.op('Gemm', [dLogits, kernel], [attr.int('transB', 1)]), g.shape([T, -1, H])]);
  g.op('Identity', [mask ? g.op('Mul', [dx, mask]) : dx], [], Names.dOutput);
  g.output(Names.grad(Names.denseKernel), ElementType.float, [H, V]);
  g.output(Names.grad(Names.denseBias), ElementType.float, [V]);
  g.output(Names.dOutput, ElementType.float, [T, 'B', H]);
  return g.finish('synth_head');
}

/**
 * K steps of backpropagation through time, last step first. dh/dc come from the chunk after
 * (zeros for the last): dh_t = dOut_t + (dz_{t+1}·Rᵀ)·keep_{t+1}, dc_t = dc_{t+1}·f_{t+1}·keep_{t+1}
 * + dh_t·o_t·(1 − tanh²c_t). Outputs dz [K, B, 4H] and the carries into the chunk before.
 */
export function buildBackwardChunk(H: number, K: number): Uint8Array {
  const g = new Builder();
  const z = g.input(Names.z, ElementType.float, [K, 'B', 4 * H]);
  const cells = g.input(Names.cells, ElementType.float, [K, 'B', H]);
  const c0 = g.input(Names.c0, ElementType.float, [1, 'B', H]);
  const keep = g.input(Names.keep, ElementType.float, [K, 'B', 1]);
  const dOutput = g.input(Names.dOutput, ElementType.float, [K, 'B', H]);
  let dhCarry = g.input(Names.dh, ElementType.float, [1, 'B', H]);
  let dcCarry = g.input(Names.dc, ElementType.float, [1, 'B', H]);
  const recurrent = g.input(Names.recurrent, ElementType.float, [H, 4 * H]);

  const [zi, zf, zg, zo] = g.gates(z, H);
  const [i, f, o, gc] = [g.hardSigmoid(zi), g.hardSigmoid(zf), g.hardSigmoid(zo), g.op('Tanh', [zg])];
  const tc = g.op('Tanh', [cells]);
  const cPrev = g.op('Mul', [K === 1 ? c0 : g.op('Concat', [c0, g.op('Slice', [cells, g.shape([0]), g.shape([K - 1]), g.axes0])], [attr.int('axis', 0)]), keep]);
  const a = g.op('Mul', [g.hardSigmoidSlope(i), gc]);
  const b = g.op('Mul', [g.hardSigmoidSlope(f), cPrev]);
  const cc = g.op('Mul', [i, g.oneMinusSquare(gc)]);
  const abc = g.splitSteps(g.op('Reshape', [g.op('Concat', [a, b, cc], [attr.int('axis', 2)]), g.shape([K, -1, 3, H])]), K);
  const d = g.splitSteps(g.op('Mul', [g.hardSigmoidSlope(o), tc]), K);
  const q = g.splitSteps(g.op('Mul', [o, g.oneMinusSquare(tc)]), K);
  const fKeep = g.splitSteps(g.op('Mul', [f, keep]), K);
  const keepSteps = g.splitSteps(keep, K);
  const dOut = g.splitSteps(dOutput, K);
  const recurrentT = g.op('Transpose', [recurrent]);
  const axis2 = g.initializer('axis_2', new BigInt64Array([2n]), [1]);

  const dzs: string[] = new Array(K);
  for (let t = K - 1; t >= 0; t--) {
    const dh = g.op('Add', [dOut[t]!, dhCarry]);
    const dc = g.op('Add', [dcCarry, g.op('Mul', [dh, q[t]!])]);
    const dzIfc = g.op('Reshape', [g.op('Mul', [g.op('Unsqueeze', [dc, axis2]), abc[t]!]), g.shape([1, -1, 3 * H])]);
    dzs[t] = g.op('Concat', [dzIfc, g.op('Mul', [dh, d[t]!])], [attr.int('axis', 2)]);
    dhCarry = g.op('Mul', [g.op('MatMul', [dzs[t]!, recurrentT]), keepSteps[t]!], [], t === 0 ? Names.carry(Names.dh) : undefined);
    dcCarry = g.op('Mul', [dc, fKeep[t]!], [], t === 0 ? Names.carry(Names.dc) : undefined);
  }
  g.op('Identity', [g.concat(dzs, 0)], [], Names.dz);
  g.output(Names.dz, ElementType.float, [K, 'B', 4 * H]);
  g.output(Names.carry(Names.dh), ElementType.float, [1, 'B', H]);
  g.output(Names.carry(Names.dc), ElementType.float, [1, 'B', H]);
  return g.finish('synth_backward_chunk');
}

/**
 * A layer's weight gradients from dz [T, B, 4H] over the window, and the gradient of its input.
 * Layer 0 (embedding given): folded embedding, S = onehot(ids)ᵀ·dz [V, 4H] sums dz by token id —
 * a product, not a scatter-add, so the order of the sum is fixed — then dKernel = embeddingᵀ·S and
 * dEmbedding = S·kernelᵀ. Later layers: dKernel = (input·mask)ᵀ·dz, d input = (dz·kernelᵀ)·mask.
 */
export function buildWeightGradients(layer: { H: number; I: number; first: boolean; V: number }, T: number, dropout: boolean): Uint8Array {
  const g = new Builder();
  const { H, I, V } = layer;
  const dz = g.op('Reshape', [g.input(Names.dz, ElementType.float, [T, 'B', 4 * H]), g.shape([-1, 4 * H])]);
  const output = g.input(Names.output, ElementType.float, [T, 'B', H]);
  const keep = g.input(Names.keep, ElementType.float, [T, 'B', 1]);
  const kernel = g.input(Names.kernel, ElementType.float, [I, 4 * H]);
  const previous = g.op('Reshape', [g.previous(output, keep, T), g.shape([-1, H])]);
  g.op('Gemm', [previous, dz], [attr.int('transA', 1)], Names.grad(Names.recurrent));
  g.op('ReduceSum', [dz, g.axes0], [attr.int('keepdims', 0)], Names.grad(Names.bias));
  if (layer.first) {
    const ids = g.input(Names.ids, ElementType.int32, [T, 'B']);
    const embedding = g.input(Names.embedding, ElementType.float, [V, I]);
    const summed = g.op('Gemm', [g.oneHot(g.op('Reshape', [ids, g.shape([-1, 1])]), V), dz], [attr.int('transA', 1)]);
    g.op('Gemm', [embedding, summed], [attr.int('transA', 1)], Names.grad(Names.kernel));
    g.op('Gemm', [summed, kernel], [attr.int('transB', 1)], Names.grad(Names.embedding));
    g.output(Names.grad(Names.embedding), ElementType.float, [V, I]);
  } else {
    const mask = dropout ? g.dropoutMask(Names.inputMask, T, I) : null;
    const input = g.input(Names.input, ElementType.float, [T, 'B', I]);
    const x = g.op('Reshape', [mask ? g.op('Mul', [input, mask]) : input, g.shape([-1, I])]);
    g.op('Gemm', [x, dz], [attr.int('transA', 1)], Names.grad(Names.kernel));
    const dx = g.op('Reshape', [g.op('Gemm', [dz, kernel], [attr.int('transB', 1)]), g.shape([T, -1, I])]);
    g.op('Identity', [mask ? g.op('Mul', [dx, mask]) : dx], [], Names.dInput);
    g.output(Names.dInput, ElementType.float, [T, 'B', I]);
  }
  g.output(Names.grad(Names.kernel), ElementType.float, [I, 4 * H]);
  g.output(Names.grad(Names.recurrent), ElementType.float, [H, 4 * H]);
  g.output(Names.grad(Names.bias), ElementType.float, [4 * H]);
  return g.finish('synth_weight_gradients');
}
