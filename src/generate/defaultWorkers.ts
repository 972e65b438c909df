import os from 'node:os';

/**
 * Jobs up to this many batches run in this thread when workers are not given: starting worker
 * threads costs ~150 ms of time to first record, more than a small job gains from a second core.
 * Output is the same either way.
 */
export const IN_PROCESS_BATCHES = 16;

/** Sequences stepped together per worker when --batch-size is not given. */
export const DEFAULT_BATCH_SIZE = 64;

/** Worker threads when none are given: one for a job of up to IN_PROCESS_BATCHES batches, else one per core. */
export function defaultWorkers(lines: number, batchSize: number): number {
  return lines <= IN_PROCESS_BATCHES * batchSize ? 1 : os.availableParallelism();
}
