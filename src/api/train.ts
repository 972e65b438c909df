import { message, option, UsageError } from '../errors.js';
import { IN_MEMORY_LABEL, recordsInMemory, type RecordsInput } from '../train/recordsInMemory.js';
import { trainModel, type TrainResult } from '../train/trainModel.js';
import type { TrainObserver } from '../train/trainObserver.js';
import { TRAIN_DEFAULTS, type TrainOptions as CoreTrainOptions } from '../train/trainOptions.js';

/**
 * `synth train`'s options: `out` and one of `input` (a file) or `records` (in memory) required,
 * the rest default as the CLI's flags. `processTuning` (default false) lets training set V8 flags
 * and force garbage collections to save memory, as synth train does; they affect the whole process.
 */
export type TrainOptions = { input?: string; records?: RecordsInput; out: string } & Partial<Omit<CoreTrainOptions, 'inputPath' | 'outDir' | 'records'>> & {
    /** Progress events (epochs, batches, warnings); default: none. */
    observer?: TrainObserver;
  };

/**
 * Trains a model on a CSV or text file, or on records in memory, and writes the model directory
 * `out` (synth train). An aborted `signal` rejects with its reason; if an epoch had finished, the
 * best model so far is saved to `out` first (the observer's `saved` event says so).
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { input, records, out, observer, ...rest } = options;
  rest.signal?.throwIfAborted();
  if ((input === undefined) === (records === undefined)) {
    throw new UsageError(message`give either ${option('input')} (a file) or ${option('records')} (records in memory), not ${input === undefined ? 'neither' : 'both'}`);
  }
  if (typeof out !== 'string' || out === '') throw new UsageError(message`${option('out')} must be the path of the model directory to write`);
  const inMemory = records === undefined ? undefined : await recordsInMemory(records, 'records', rest.signal);
  return trainModel(
    {
      ...TRAIN_DEFAULTS,
      lstmUnits: [...TRAIN_DEFAULTS.lstmUnits],
      ...rest,
      inputPath: input ?? IN_MEMORY_LABEL,
      ...(inMemory ? { records: inMemory } : {}),
      outDir: out,
    },
    observer,
  );
}
