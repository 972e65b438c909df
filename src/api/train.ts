import { message, option, UsageError } from '../errors.js';
import { numberIn, oneOf, wholeNumber } from './checkOption.js';
import { IN_MEMORY_LABEL, recordsInMemory, type RecordsInput } from '../data/recordsInMemory.js';
import { trainModel, type TrainResult } from '../train/trainModel.js';
import type { TrainObserver } from '../train/trainObserver.js';
import { TRAIN_DEFAULTS, type TrainRunOptions } from '../train/trainOptions.js';

/**
 * `synth train`'s options: `out` and one of `input` (a file) or `records` (in memory) required,
 * the rest default as the CLI's flags. `processTuning` (default false) lets training set V8 flags
 * and force garbage collections to save memory, as synth train does; they affect the whole process.
 */
export type TrainOptions = { input?: string; records?: RecordsInput; out: string } & Partial<Omit<TrainRunOptions, 'inputPath' | 'outDir' | 'records'>> & {
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
  checkTrainOptions(rest);
  const inMemory = records === undefined ? undefined : await recordsInMemory(records, 'records', rest.signal);
  return trainModel(
    {
      ...TRAIN_DEFAULTS,
      ...rest,
      inputPath: input ?? IN_MEMORY_LABEL,
      ...(inMemory ? { records: inMemory } : {}),
      outDir: out,
    },
    observer,
  );
}

/** The checks synth train's flag parsers make, for values that come from code instead. */
function checkTrainOptions(options: Partial<TrainRunOptions>): void {
  const given = <K extends keyof TrainRunOptions>(key: K, check: (value: NonNullable<TrainRunOptions[K]>) => void) => {
    if (options[key] !== undefined) check(options[key] as NonNullable<TrainRunOptions[K]>);
  };
  given('embeddingDim', (v) => wholeNumber('embeddingDim', v, 1, 4096));
  given('lstmUnits', (v) => {
    if (v === 'auto') return;
    if (!Array.isArray(v) || v.length < 1 || v.length > 8) throw new UsageError(message`${option('lstmUnits')} must be 'auto' or list 1 to 8 layer sizes, e.g. [256, 256]`);
    v.forEach((units) => wholeNumber('lstmUnits', units, 1, 4096));
  });
  given('dropout', (v) => {
    if (v !== 'auto' && !(typeof v === 'number' && v >= 0 && v <= 0.9)) throw new UsageError(message`${option('dropout')} must be 'auto' or a number from 0 to 0.9, got ${v}`);
  });
  given('sequenceLength', (v) => wholeNumber('sequenceLength', v, 1, 10_000));
  given('batchSize', (v) => v === 'auto' || wholeNumber('batchSize', v, 1, 4096));
  given('learningRate', (v) => v === 'auto' || numberIn('learningRate', v, Number.MIN_VALUE, 10));
  given('learningRateSchedule', (v) => oneOf('learningRateSchedule', v, ['decay', 'constant']));
  given('validationSplit', (v) => numberIn('validationSplit', v, 0, 0.9));
  given('patience', (v) => wholeNumber('patience', v, 1, 1000));
  given('epochs', (v) => wholeNumber('epochs', v, 1, 100_000));
  given('maxMinutes', (v) => numberIn('maxMinutes', v, Number.MIN_VALUE, 10_000_000));
  given('randomSeed', (v) => wholeNumber('randomSeed', v, 0, 2 ** 32 - 1));
  given('backend', (v) => oneOf('backend', v, ['auto', 'onnx', 'tensorflow', 'wasm', 'cpu']));
  given('workers', (v) => wholeNumber('workers', v, 1, 256));
  given('epochRecords', (v) => wholeNumber('epochRecords', v, 1, 2 ** 32 - 1));
  given('closedSetMaxValues', (v) => wholeNumber('closedSetMaxValues', v, 0, 100_000));
  given('fieldOrder', (v) => oneOf('fieldOrder', v, ['auto', 'original']));
  given('shuffledOrders', (v) => numberIn('shuffledOrders', v, 0, 1));
}
