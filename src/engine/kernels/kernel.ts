import type { ModelWeights } from '../../model/manifest.js';

/**
 * Recurrent state of a batch: for each LSTM layer, h then c, each [batchSize * units] row-major.
 * Owned by the caller, so a slot can be reset by copying rows without asking the kernel.
 */
export type LstmState = Float32Array[];

/** One step of the network for a whole batch; hides onnxruntime / tfjs entirely. */
export interface StepKernel {
  /** Name reported by --stats, e.g. "onnx", "wasm". */
  readonly backend: string;
  readonly batchSize: number;
  readonly vocabSize: number;
  /** Units of each LSTM layer, to size the state arrays. */
  readonly units: readonly number[];
  /**
   * Advances every row by one token: returns logits [batchSize * vocabSize] and writes the new
   * state into `state` in place.
   */
  step(tokens: Int32Array, state: LstmState): Promise<Float32Array>;
  /**
   * Optional fused step + sampling, for kernels that can sample inside the graph so only token ids
   * cross back: temperature-scaled categorical draw per row using `uniforms[row]` in [0, 1)
   * (argmax when temperature is 0). Writes the new state into `state` in place.
   */
  stepSample?(tokens: Int32Array, state: LstmState, uniforms: Float32Array, temperature: number, mask?: Float32Array): Promise<Int32Array>;
  /**
   * stepSample takes `mask` [batchSize * vocabSize], added to the logits before sampling
   * (0 = allowed, -Infinity = never); the kernel may read the array itself until the call settles.
   * Kernels without it are given masks only through `step`.
   */
  readonly masked?: boolean;
  /** Frees native or wasm memory. */
  dispose(): Promise<void>;
}

export interface KernelOptions {
  batchSize: number;
  /** Intra-op threads for backends that have them. */
  threads?: number;
  /** Build stepSample with a mask input (constrained sampling). */
  masked?: boolean;
}

export type KernelFactory = (weights: ModelWeights, options: KernelOptions) => Promise<StepKernel>;

/** Zeroed state for a batch. */
export function createState(units: readonly number[], batchSize: number): LstmState {
  return units.flatMap((u) => [new Float32Array(batchSize * u), new Float32Array(batchSize * u)]);
}
