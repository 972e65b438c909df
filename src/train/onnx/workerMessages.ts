import type { NetworkShape } from './networkShape.js';
import type { StepInputs } from './stepInputs.js';

/** What a training worker needs once: the shared weights and its own gradient slot. */
export interface TrainWorkerSetup {
  shape: NetworkShape;
  /** Float32 weights in weightArrays order, flattened; the main thread updates them between batches. */
  weights: SharedArrayBuffer;
  /** Float32 [workers × parameters]; this worker writes only its slot. */
  gradients: SharedArrayBuffer;
  slot: number;
  threads: number;
  chunk: number;
  /** A share larger than this (workspace.ts's bytesPerRow × rows) runs in passes (sharePasses.ts). */
  passBytes: number;
  /** Whether the worker may force garbage collections (outputCopies.ts). */
  processTuning: boolean;
}

/** One share of a batch (arrays time-major, on SharedArrayBuffers so posting copies nothing). */
export interface ShareRequest extends StepInputs {
  /** Gradients of (summed loss × scale) into the slot; null: loss only (validation). */
  scale: number | null;
}

/** Worker -> main thread, once per share (after its ReadyMessage). */
export type TrainWorkerReply = { ok: true; lossSum: number } | { ok: false; error: string };
