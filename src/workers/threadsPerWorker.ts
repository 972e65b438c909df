import os from 'node:os';

/**
 * Intra-op threads for each of `workers` worker threads: the cores divided among them, at least
 * one, so the workers together keep every core busy without oversubscribing it. One formula for
 * both pools (generation's and the onnx trainer's), so they split a machine alike.
 */
export function threadsPerWorker(workers: number, cores = os.availableParallelism()): number {
  return Math.max(1, Math.floor(cores / workers));
}
