import os from 'node:os';
import type { OutputFormat } from '../output/format.js';
import type { RecordRunOptions } from './generateRecords.js';

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

/** Everything `synth generate` needs, already checked and typed: the record run plus where records go. */
export interface GenerateRunOptions extends RecordRunOptions {
  format: OutputFormat;
  /** --format sql: --table (checked parts; default from the training file's name) and --no-create. */
  sql?: { table?: string[]; create: boolean };
  /** undefined or '-' means stdout. */
  outputPath?: string;
  invalidOutputPath?: string;
  stats: boolean;
  quiet: boolean;
  progress: boolean;
}
