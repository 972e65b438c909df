import type { LstmWeights, ModelWeights } from '../../../model/manifest.js';
import { attr, ElementType, GraphBuilder } from '../../../onnx/graphBuilder.js';

/** How the LSTM cell is expressed in the graph (both compute the same numbers). */
export type CellForm = 'gates' | 'lstm-op';

export interface StepGraphOptions {
  batchSize: number;
  cell: CellForm;
  /** Adds temperature scaling, softmax and the categorical draw, outputting token ids. */
  sampling: boolean;
  /**
   * Folds the first layer's input product into a [vocab, 4 units] table (embedding x kernel +
   * bias, constant-folded by onnxruntime when the session loads), so that product becomes a row
   * lookup: a quarter of the reference model's multiply-adds per token.
   */
  projectEmbedding: boolean;
  /** Weight products in int8 (see linear). Off by default: it changes the numbers. */
  quantize?: boolean;
  /** With sampling: a [B, V] float input added to the logits before the draw (constrained sampling). */
  masked?: boolean;
}

/** Names of the step graph's inputs and outputs. */
export const StepNames = {
  tokens: 'tokens',
  h: (layer: number) => `h${layer}`,
  c: (layer: number) => `c${layer}`,
  hOut: (layer: number) => `h${layer}_out`,
  cOut: (layer: number) => `c${layer}_out`,
  logits: 'logits',
  /** [batch, 1] float, one uniform in [0, 1) per row. */
  uniforms: 'uniforms',
  /** [1] float; 0 = argmax. */
  temperature: 'temperature',
  /** [batch] int32. */
  sampled: 'sampled',
  /** [batch, vocab] float, 0 or -Infinity per token; only in masked graphs. */
  mask: 'mask',
} as const;

// Opset 17 has every op used here with its current semantics (Split with a sizes input, CumSum,
// ReduceSum with an axes input) and is supported by every onnxruntime since 1.12.
const OPSET = 17;

// tfjs-layers' LSTM (and Keras 2's) default recurrent activation is hardSigmoid: clip(0.2 x + 0.5, 0, 1).
const HARD_SIGMOID = [attr.float('alpha', 0.2), attr.float('beta', 0.5)];

/**
 * The ONNX model of one generation step for a fixed batch: tokens [B] int32 and per layer h, c
 * [B, units] in; logits [B, V] (or, with sampling, token ids [B]) and the new h, c out. Weights are
 * initializers, copied from `weights` in Keras layout (gates i, f, c, o).
 */
export function buildStepGraph(weights: ModelWeights, options: StepGraphOptions): Uint8Array {
  const g = new GraphBuilder();
  const B = options.batchSize;
  const quantize = options.quantize === true;
  const tokens = g.input(StepNames.tokens, ElementType.int32, [B]);
  const embedding = g.initializer('embedding', weights.embedding, [weights.vocabSize, weights.embeddingDim]);
  let x = g.op('Gather', [embedding, tokens], [attr.int('axis', 0)]);

  weights.lstm.forEach((layer, l) => {
    const h = g.input(StepNames.h(l), ElementType.float, [B, layer.units]);
    const c = g.input(StepNames.c(l), ElementType.float, [B, layer.units]);
    if (options.cell === 'lstm-op') x = lstmOpCell(g, layer, l, x, h, c);
    else if (l === 0 && options.projectEmbedding) x = projectedFirstCell(g, layer, embedding, tokens, h, c, quantize);
    else x = gatesCell(g, layer, l, x, h, c, quantize);
    g.output(StepNames.hOut(l), ElementType.float, [B, layer.units]);
    g.output(StepNames.cOut(l), ElementType.float, [B, layer.units]);
  });

  const lastUnits = weights.lstm[weights.lstm.length - 1]!.units;
  const logits = linear(g, 'dense', x, weights.denseKernel, [lastUnits, weights.vocabSize], weights.denseBias, quantize, StepNames.logits);
  g.output(StepNames.logits, ElementType.float, [B, weights.vocabSize]);
  if (options.sampling) {
    const masked = options.masked ? g.op('Add', [logits, g.input(StepNames.mask, ElementType.float, [B, weights.vocabSize])]) : logits;
    sampleInGraph(g, masked, B, weights.vocabSize);
  }
  return g.encode('synth_step', { '': OPSET });
}

/**
 * x [B, K] times weight [K, N] plus bias: a Gemm, or in int8 a MatMulInteger of x quantized per
 * row with weights quantized per column. Per row, not per tensor (as onnxruntime's fused
 * DynamicQuantizeMatMul does): a row's numbers must not depend on the other rows of the batch, or
 * output would change with the batch size and worker count. Integer sums are exact (see
 * ACTIVATION_LEVELS for why they are on every CPU), so the int8 path keeps that independence.
 */
function linear(
  g: GraphBuilder,
  name: string,
  x: string,
  weight: Float32Array,
  [K, N]: [number, number],
  bias: Float32Array | null,
  quantize: boolean,
  output?: string,
): string {
  if (!quantize) {
    const w = g.initializer(`${name}_w`, weight, [K, N]);
    return bias ? g.op('Gemm', [x, w, g.initializer(`${name}_b`, bias, [N])], [], output) : g.op('MatMul', [x, w], [], output);
  }
  const { values, scales } = quantizeColumns(weight, K, N);
  const largest = g.op('ReduceMax', [g.op('Abs', [x])], [attr.ints('axes', [1]), attr.int('keepdims', 1)]);
  const rowScale = g.op('Div', [g.op('Max', [largest, g.initializer(`${name}_tiny`, new Float32Array([1e-12]), [])]), g.initializer(`${name}_levels`, new Float32Array([ACTIVATION_LEVELS]), [])]);
  // Symmetric per row, stored as uint8 around a common zero point: onnxruntime's fast integer
  // products take uint8 x int8 with one zero point for A; int8 x int8 is ~5x slower. 7 bits: see
  // ACTIVATION_LEVELS.
  const shifted = g.op('Add', [g.op('Round', [g.op('Div', [x, rowScale])]), g.initializer(`${name}_zero_f`, new Float32Array([ACTIVATION_ZERO_POINT]), [])]);
  const xq = g.op('Cast', [shifted], [attr.int('to', ElementType.uint8)]);
  const zeroPoint = g.initializer(`${name}_zero`, new Uint8Array([ACTIVATION_ZERO_POINT]), []);
  const product = g.op('Cast', [g.op('MatMulInteger', [xq, g.initializer(`${name}_wq`, values, [K, N]), zeroPoint])], [attr.int('to', ElementType.float)]);
  const scaled = g.op('Mul', [g.op('Mul', [product, rowScale]), g.initializer(`${name}_scale`, scales, [N])], [], bias ? undefined : output);
  return bias ? g.op('Add', [scaled, g.initializer(`${name}_b`, bias, [N])], [], output) : scaled;
}

/**
 * Activations are quantized to 7 bits, |q| <= 63, stored as uint8 64 + q in [1, 127].
 * onnxruntime's uint8 x int8 kernels on CPUs without VNNI (AVX2, AVX-512 without VNNI) multiply
 * with vpmaddubsw, which adds the two products of each pair of adjacent k into a SATURATED int16.
 * With 8-bit activations (uint8 128 + q up to 255) a pair reaches 2 x 255 x 127 = 64770 and clips
 * at 32767; on an AVX2 EPYC that moved logits by up to 3.2. With activations <= 127 and weights
 * |w| <= 127 a pair is at most 2 x 127 x 127 = 32258 < 32767: no pair can saturate, every integer
 * sum is exact, and the int8 kernel computes the same numbers on AVX2, AVX-512 and VNNI
 * (vpdpbusd never saturates) alike. 7-bit activations rather than 7-bit weights (onnxruntime's
 * reduce_range): on the bundled model mean KL 6.3e-5 against 1.8e-4 nats, and uint8 x uint8
 * (exact at 8 bits) ran at half the speed (bench/quantization-check.ts).
 */
export const ACTIVATION_LEVELS = 63;
export const ACTIVATION_ZERO_POINT = 64;
/** Largest weight magnitude after quantization. */
export const WEIGHT_LEVELS = 127;

/** Symmetric int8 with one scale per column: w ~ values * scale, |values| <= WEIGHT_LEVELS. */
export function quantizeColumns(weight: Float32Array, K: number, N: number): { values: Int8Array; scales: Float32Array } {
  const scales = new Float32Array(N);
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) scales[n] = Math.max(scales[n]!, Math.abs(weight[k * N + n]!));
  for (let n = 0; n < N; n++) scales[n] = scales[n]! > 0 ? scales[n]! / WEIGHT_LEVELS : 1;
  const values = new Int8Array(K * N);
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) values[k * N + n] = Math.round(weight[k * N + n]! / scales[n]!);
  return { values, scales };
}

/**
 * Keras' cell as plain ops: one Gemm of [x, h] with the stacked [kernel; recurrentKernel] plus
 * bias (one product with K = inputDim + units beats two smaller ones), then the four gates.
 */
function gatesCell(g: GraphBuilder, layer: LstmWeights, l: number, x: string, h: string, c: string, quantize: boolean): string {
  const { units, inputDim } = layer;
  const stacked = new Float32Array((inputDim + units) * 4 * units);
  stacked.set(layer.kernel, 0);
  stacked.set(layer.recurrentKernel, inputDim * 4 * units);
  const xh = g.op('Concat', [x, h], [attr.int('axis', 1)]);
  return gates(g, linear(g, `lstm${l}`, xh, stacked, [inputDim + units, 4 * units], layer.bias, quantize), units, l, c);
}

/** Keras' gate arithmetic on the pre-activations z = [zi, zf, zc, zo]; writes c_out, returns h_out. */
function gates(g: GraphBuilder, z: string, units: number, l: number, c: string): string {
  const sizes = g.initializer(`lstm${l}_split`, new BigInt64Array(4).fill(BigInt(units)), [4]);
  const [zi, zf, zc, zo] = g.node('Split', [z, sizes], { outputs: 4, attributes: [attr.int('axis', 1)] }) as [string, string, string, string];
  const i = g.op('HardSigmoid', [zi], HARD_SIGMOID);
  const f = g.op('HardSigmoid', [zf], HARD_SIGMOID);
  const o = g.op('HardSigmoid', [zo], HARD_SIGMOID);
  const candidate = g.op('Tanh', [zc]);
  const cNew = g.op('Add', [g.op('Mul', [f, c]), g.op('Mul', [i, candidate])], [], StepNames.cOut(l));
  return g.op('Mul', [o, g.op('Tanh', [cNew])], [], StepNames.hOut(l));
}

/** The first layer with its input product looked up from a folded table (see projectEmbedding). */
function projectedFirstCell(g: GraphBuilder, layer: LstmWeights, embedding: string, tokens: string, h: string, c: string, quantize: boolean): string {
  const { units } = layer;
  const kernel = g.initializer('lstm0_kernel', layer.kernel, [layer.inputDim, 4 * units]);
  const b = g.initializer('lstm0_b', layer.bias, [4 * units]);
  const table = g.op('Add', [g.op('MatMul', [embedding, kernel]), b]);
  const recurrent = linear(g, 'lstm0_recurrent', h, layer.recurrentKernel, [units, 4 * units], null, quantize);
  const z = g.op('Add', [g.op('Gather', [table, tokens], [attr.int('axis', 0)]), recurrent]);
  return gates(g, z, units, 0, c);
}

/**
 * The ONNX LSTM operator for one time step. Its gate order is i, o, f, c and it wants W [4U, I],
 * R [4U, U] (transposed) and two biases, so Keras' columns are permuted and transposed here.
 */
function lstmOpCell(g: GraphBuilder, layer: LstmWeights, l: number, x: string, h: string, c: string): string {
  const { units: U, inputDim: I } = layer;
  const kerasGateOf = [0, 3, 1, 2]; // onnx gate j (i, o, f, c) is keras gate kerasGateOf[j] (i, f, c, o)
  const W = new Float32Array(4 * U * I);
  const R = new Float32Array(4 * U * U);
  const bias = new Float32Array(8 * U); // Wb then Rb; Keras has one bias, Rb stays 0
  for (let j = 0; j < 4; j++) {
    const k = kerasGateOf[j]!;
    for (let u = 0; u < U; u++) {
      const col = k * U + u;
      const row = j * U + u;
      for (let n = 0; n < I; n++) W[row * I + n] = layer.kernel[n * 4 * U + col]!;
      for (let n = 0; n < U; n++) R[row * U + n] = layer.recurrentKernel[n * 4 * U + col]!;
      bias[row] = layer.bias[col]!;
    }
  }
  const w = g.initializer(`lstm${l}_W`, W, [1, 4 * U, I]);
  const r = g.initializer(`lstm${l}_R`, R, [1, 4 * U, U]);
  const b = g.initializer(`lstm${l}_B`, bias, [1, 8 * U]);
  const axis0 = g.initializer(`lstm${l}_axis0`, new BigInt64Array([0n]), [1]);
  const x3 = g.op('Unsqueeze', [x, axis0]);
  const h3 = g.op('Unsqueeze', [h, axis0]);
  const c3 = g.op('Unsqueeze', [c, axis0]);
  const [, hN, cN] = g.node('LSTM', [x3, w, r, b, '', h3, c3], {
    outputs: 3,
    attributes: [
      attr.int('hidden_size', U),
      attr.strings('activations', ['HardSigmoid', 'Tanh', 'Tanh']),
      attr.floats('activation_alpha', [0.2]),
      attr.floats('activation_beta', [0.5]),
    ],
  }) as [string, string, string];
  g.op('Squeeze', [cN, axis0], [], StepNames.cOut(l));
  return g.op('Squeeze', [hN, axis0], [], StepNames.hOut(l));
}

/**
 * Temperature-scaled categorical draw by inverse CDF, like sampler.ts's sampleToken: the token is
 * the number of cumulative probabilities <= u * total (the first whose running sum exceeds the
 * target), clamped to the vocabulary. Temperature 0 selects the argmax instead.
 */
function sampleInGraph(g: GraphBuilder, logits: string, B: number, V: number): void {
  const uniforms = g.input(StepNames.uniforms, ElementType.float, [B, 1]);
  const temperature = g.input(StepNames.temperature, ElementType.float, [1]);
  const tiny = g.initializer('tiny_temperature', new Float32Array([1e-30]), [1]);
  const zero = g.initializer('zero_temperature', new Float32Array([0]), [1]);
  const one = g.initializer('axis_one', new Int32Array([1]), []);
  const axes = g.initializer('axes_one', new BigInt64Array([1n]), [1]);
  const last = g.initializer('last_token', new Int32Array([V - 1]), [1]);

  const scaled = g.op('Div', [logits, g.op('Max', [temperature, tiny])]);
  const probabilities = g.op('Softmax', [scaled], [attr.int('axis', 1)]);
  const cdf = g.op('CumSum', [probabilities, one]);
  // The last running sum (a Gather: onnxruntime's Slice of one column costs more than the CumSum).
  const total = g.op('Gather', [cdf, g.initializer('last_column', new Int32Array([V - 1]), [1])], [attr.int('axis', 1)]);
  const target = g.op('Mul', [total, uniforms]);
  const below = g.op('Cast', [g.op('LessOrEqual', [cdf, target])], [attr.int('to', ElementType.int32)]);
  const count = g.op('ReduceSum', [below, axes], [attr.int('keepdims', 0)]);
  const drawn = g.op('Min', [count, last]);
  const greedy = g.op('Cast', [g.op('ArgMax', [logits], [attr.int('axis', 1), attr.int('keepdims', 0)])], [attr.int('to', ElementType.int32)]);
  g.op('Where', [g.op('Greater', [temperature, zero]), drawn, greedy], [], StepNames.sampled);
  g.output(StepNames.sampled, ElementType.int32, [B]);
}
