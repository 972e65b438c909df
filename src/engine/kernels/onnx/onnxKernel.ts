import os from 'node:os';
import type * as Ort from 'onnxruntime-node';
import type { ModelWeights } from '../../../model/manifest.js';
import type { KernelOptions, LstmState, StepKernel } from '../kernel.js';
import { loadOrt } from '../../../onnx/loadOrt.js';
import { buildStepGraph, StepNames, type CellForm } from './onnxGraph.js';

export interface OnnxKernelOptions extends KernelOptions {
  /**
   * 'gates' (default): plain ops. On the reference model, one thread, it ran 91-93k row-steps/s
   * against 73-76k for onnxruntime's LSTM operator, and 112-116k with the folded first-layer table
   * that only the plain form allows (bench/kernel-bench.ts).
   */
  cell?: CellForm;
  /** Sample inside the graph (default true), giving the kernel a stepSample. */
  sampling?: boolean;
  /** Fold the first layer's input product into a lookup table (default: when that table is at most 64 MB). */
  projectEmbedding?: boolean;
  /** int8 weight products (see StepGraphOptions.quantize); default false. */
  quantize?: boolean;
}

/** Largest folded first-layer table (vocab x 4 units floats) worth its memory; 64 MB. */
const MAX_PROJECTED_TABLE_BYTES = 64 * 2 ** 20;

/**
 * A StepKernel on onnxruntime-node: the step graph is built in memory from the weights (see
 * onnxGraph.ts) and run on preallocated input and output tensors, so a step copies no logits or
 * state into fresh arrays (the binding still makes small result wrappers per run).
 */
export async function createOnnxKernel(weights: ModelWeights, options: OnnxKernelOptions): Promise<StepKernel> {
  const ort = await loadOrt();
  const B = options.batchSize;
  if (!Number.isSafeInteger(B) || B < 1) throw new RangeError(`batch size must be a positive integer, got ${B}`);
  const units = weights.lstm.map((l) => l.units);
  const V = weights.vocabSize;
  const sampling = options.sampling ?? true;
  const firstUnits = units[0]!;
  const projectEmbedding = options.projectEmbedding ?? V * 4 * firstUnits * 4 <= MAX_PROJECTED_TABLE_BYTES;
  const masked = sampling && options.masked === true;
  const model = buildStepGraph(weights, { batchSize: B, cell: options.cell ?? 'gates', sampling, projectEmbedding, quantize: options.quantize, masked });
  const threads = options.threads ?? os.availableParallelism();
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: true,
    enableMemPattern: true,
    // A spinning pool thread steals a core from the other workers and from the main thread.
    extra: { session: { intra_op: { allow_spinning: threads > 1 ? '0' : '1' } } },
  });

  const tokens = new Int32Array(B);
  const uniforms = new Float32Array(B);
  const temperature = new Float32Array(1);
  const logits = new Float32Array(B * V);
  const sampled = new Int32Array(B);
  const noMask = new Float32Array(masked ? B * V : 0);
  const stateOut = units.flatMap((u) => [new Float32Array(B * u), new Float32Array(B * u)]);

  const feeds: Record<string, Ort.Tensor> = { [StepNames.tokens]: new ort.Tensor('int32', tokens, [B]) };
  if (sampling) {
    feeds[StepNames.uniforms] = new ort.Tensor('float32', uniforms, [B, 1]);
    feeds[StepNames.temperature] = new ort.Tensor('float32', temperature, [1]);
  }
  const maskTensors = new WeakMap<Float32Array, Ort.Tensor>();
  /** Feeds the caller's own mask array (no copy of B x V floats per step), or all 0 without one. */
  const bindMask = (rowMask: Float32Array): void => {
    if (rowMask.length !== B * V) throw new RangeError(`mask has ${rowMask.length} values, expected ${B * V}`);
    let tensor = maskTensors.get(rowMask);
    if (!tensor) maskTensors.set(rowMask, (tensor = new ort.Tensor('float32', rowMask, [B, V])));
    feeds[StepNames.mask] = tensor;
  };
  // The graph takes the mask even where only logits are fetched (step).
  if (masked) bindMask(noMask);
  const stateFetches: Record<string, Ort.Tensor> = {};
  units.forEach((u, l) => {
    stateFetches[StepNames.hOut(l)] = new ort.Tensor('float32', stateOut[2 * l]!, [B, u]);
    stateFetches[StepNames.cOut(l)] = new ort.Tensor('float32', stateOut[2 * l + 1]!, [B, u]);
  });
  const logitFetches = { ...stateFetches, [StepNames.logits]: new ort.Tensor('float32', logits, [B, V]) };
  const sampleFetches = { ...stateFetches, [StepNames.sampled]: new ort.Tensor('int32', sampled, [B]) };

  // Callers keep reusing the same state arrays, so their input tensors are made once per array.
  const stateTensors = new WeakMap<Float32Array, Ort.Tensor>();
  const bindState = (state: LstmState): void => {
    if (state.length !== 2 * units.length) throw new RangeError(`state has ${state.length} arrays, the model needs ${2 * units.length}`);
    state.forEach((array, i) => {
      const u = units[i >> 1]!;
      if (array.length !== B * u) throw new RangeError(`state array ${i} has ${array.length} values, expected ${B * u}`);
      let tensor = stateTensors.get(array);
      if (!tensor) stateTensors.set(array, (tensor = new ort.Tensor('float32', array, [B, u])));
      feeds[i % 2 === 0 ? StepNames.h(i >> 1) : StepNames.c(i >> 1)] = tensor;
    });
  };
  const run = async (input: Int32Array, state: LstmState, fetches: Record<string, Ort.Tensor>): Promise<void> => {
    if (input.length !== B) throw new RangeError(`expected ${B} tokens, got ${input.length}`);
    tokens.set(input);
    bindState(state);
    await session.run(feeds, fetches);
    // Outputs cannot alias inputs in onnxruntime, so the new state is copied back (~4% of a step).
    for (let i = 0; i < state.length; i++) state[i]!.set(stateOut[i]!);
  };

  const kernel: StepKernel = {
    masked,
    backend: options.quantize ? 'onnx-int8' : 'onnx',
    batchSize: B,
    vocabSize: V,
    units,
    /** The returned logits are reused by the next call. */
    async step(input, state) {
      await run(input, state, logitFetches);
      return logits;
    },
    async dispose() {
      await session.release();
    },
  };
  if (sampling) {
    kernel.stepSample = async (input, state, rowUniforms, t, rowMask) => {
      uniforms.set(rowUniforms);
      if (rowMask && !masked) throw new RangeError('this kernel was built without a mask input (KernelOptions.masked)');
      if (masked) bindMask(rowMask ?? noMask);
      temperature[0] = t;
      await run(input, state, sampleFetches);
      return sampled;
    };
  }
  return kernel;
}
