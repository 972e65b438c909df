import type { OutputFormat } from '../output/format.js';
import type { RecordRunOptions } from './generateRecords.js';

export { DEFAULT_BATCH_SIZE, defaultWorkers, IN_PROCESS_BATCHES } from './defaultWorkers.js';

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
