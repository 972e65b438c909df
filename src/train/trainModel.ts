import type { RecordSchema } from '../schema/schema.js';
import { randomInt } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { message, option, UsageError, warnTo } from '../errors.js';
import type { Architecture, SynthManifest } from '../model/manifest.js';
import { recoverModelSiblings, writeModelDirectory } from '../model/writeModelDirectory.js';
import { collectGarbage } from '../memory/collectGarbage.js';
import { createTrainer } from './createTrainer.js';
import { calibrateMarginals, CALIBRATION_RECORDS, CALIBRATION_ROUNDS } from './calibrateMarginals.js';
import { everyRecordEachEpoch, allRecords, sampledRecordsEachEpoch, type FieldOrders } from './epochSource.js';
import { SHUFFLED_SHARE } from './fieldOrders.js';
import type { CharTokenizer } from '../tokenizer/charTokenizer.js';
import type { Random } from '../random/seededRandom.js';
import { profiledVocabulary } from './vocabularyBuilder.js';
import { initialWeights } from './initialWeights.js';
import { numericValueTokens, smoothNumericValueTokens } from './numericValueTokens.js';
import { prepareTrainingData } from './prepareTrainingData.js';
import { seededRandom } from '../random/seededRandom.js';
import { runTrainingLoop } from './trainLoop.js';
import { batchCount, batchSizeFor } from './trainingBatches.js';
import { learningRateFor } from './learningRateSchedule.js';
import { dropoutFor, lstmUnitsFor } from './modelSize.js';
import type { TrainingStopReason, TrainObserver } from './trainObserver.js';
import type { TrainRunOptions } from './trainOptions.js';

export interface TrainResult {
  dir: string;
  /** The saved model's synth.json. */
  manifest: SynthManifest;
  /** Why training ended; an aborted run rejects instead (see trainModel). */
  stoppedBy: Exclude<TrainingStopReason, 'interrupted'>;
  epochs: number;
  bestEpoch: number;
  loss: number | null;
  valLoss: number | null;
  tokensPerSecond: number;
  elapsedMs: number;
  backend: string;
  randomSeed: number;
}

/**
 * Most held-out records validation runs on; a bigger held-out part is validated on a fixed seeded
 * sample of this many. Why: on a 3,000,000-row table the held-out part was 37 million tokens,
 * 74 MB held for the whole run and a forward pass a quarter as long as an epoch, where 20,000
 * records (~1.2 million tokens of the bundled table's rows) are plenty to compare epochs by. Tables
 * up to 100,000 rows (at the default split) are validated on all their held-out records.
 */
export const VALIDATION_MAX_RECORDS = 20_000;

/**
 * Trains a char-LSTM on a CSV or text file and saves the best weights as a model directory.
 * Aborting `signal` rejects with its reason: before any work, while reading, or after the current
 * batch. A run aborted after its first epoch saves the best weights so far first (the observer's
 * `saved` event says so), so an interrupted run keeps what it learned; before that nothing is saved.
 */
export async function trainModel(options: TrainRunOptions, observer: TrainObserver = {}): Promise<TrainResult> {
  const result = await trainAndSave(options, observer);
  if (!options.processTuning) return result;
  // The run's arrays (encoded tokens, shared weights, gradient slots: ~60 MB on the 30 MB table)
  // are garbage now, but V8 frees an ArrayBuffer's memory only when it collects it, on its own
  // ~64 MB of new external memory later: collected here, so what the caller does next (synth
  // train's quality score: its generation and the sample of real rows) does not stack on them.
  collectGarbage();
  return result;
}

async function trainAndSave(options: TrainRunOptions, observer: TrainObserver): Promise<TrainResult> {
  options.signal?.throwIfAborted();
  // A run killed while writing --out may have left siblings; a model moved aside is back before the check.
  recoverModelSiblings(options.outDir);
  await refuseExistingOutput(options.outDir, options.overwrite);
  const randomSeed = options.randomSeed ?? randomInt(2 ** 32);
  const random = seededRandom(randomSeed);
  // Record sampling draws from a stream of its own, so a run whose --epoch-records covers the
  // whole training part is the very run without the flag.
  const sampling = seededRandom((randomSeed ^ 0x5bd1e995) >>> 0);
  const epochRecords = options.epochRecords;
  const vocabulary = profiledVocabulary({ closedSetMaxValues: options.closedSetMaxValues, valueTokens: options.valueTokens, fieldOrder: options.fieldOrder, keys: options.keys });
  const data = await prepareTrainingData(options.records ?? options.inputPath, {
    vocabulary: () => vocabulary,
    delimiter: options.delimiter,
    validationSplit: options.validationSplit,
    random,
    signal: options.signal,
    collectGarbage: options.processTuning === true,
    validationSample: { ...(epochRecords === undefined ? {} : { epochRecords }), maxRecords: VALIDATION_MAX_RECORDS, random: sampling },
  }).catch((error: unknown) => {
    // Aborted while a big file is read: nothing trained, nothing saved.
    if (options.signal?.aborted) observer.stopped?.({ reason: 'interrupted', epochs: 0, bestEpoch: 0, patience: options.patience, maxMinutes: options.maxMinutes });
    throw error;
  });
  const warn = warnTo(observer.warning && ((line, warning) => observer.warning!(line, warning)));
  if (data.detected) warn(data.detected);
  const { tokenizer } = data;
  const schema: RecordSchema = data.neverTogether.length > 0 ? { ...vocabulary.schema(), neverTogether: data.neverTogether } : vocabulary.schema();
  const eor = tokenizer.endOfRecord;
  // Field orders draw from a stream of their own too: record sampling stays what it was.
  const orders = fieldOrdersOf(tokenizer, options.shuffledOrders ?? SHUFFLED_SHARE, seededRandom((randomSeed ^ 0x27d4eb2f) >>> 0));
  const trainSource =
    epochRecords === undefined
      ? everyRecordEachEpoch(data.train, options.sequenceLength, eor, orders)
      : sampledRecordsEachEpoch(data.train, epochRecords, options.sequenceLength, eor, sampling, orders);
  // A single validation record gives a stream of its tokens plus one EOR; it still makes a window.
  const validationData = allRecords(data.validation, options.sequenceLength, eor);
  const sampled = trainSource.recordsPerEpoch < data.train.count;

  const firstEpoch = trainSource.epoch(1);
  const lstmUnits = options.lstmUnits === 'auto' ? lstmUnitsFor(firstEpoch.stream.length) : [...options.lstmUnits];
  const dropout = options.dropout === 'auto' ? dropoutFor(firstEpoch.stream.length) : options.dropout;
  const architecture: Architecture = {
    kind: 'char-lstm',
    vocabSize: tokenizer.vocabSize,
    embeddingDim: options.embeddingDim,
    lstmUnits,
    dropout,
  };
  const batchSize = options.batchSize === 'auto' ? batchSizeFor(firstEpoch.windows.starts.length) : options.batchSize;
  // A batch of 8 split over two worker threads is 4 rows each, too few to pay for the hand-over:
  // measured on weather.csv (LSTM 256×2, AMD EPYC 2 cores), batch 8 trains at 6.3k tokens/s on one
  // worker with two threads and 5.4k on two workers; from batch 16 on, two workers win (9.4k vs 7.6k).
  const workers = options.workers ?? (batchSize < 16 ? 1 : undefined);
  const learningRate = options.learningRate === 'auto' ? learningRateFor(batchSize) : options.learningRate;
  const start = initialWeights(architecture, random);
  smoothNumericValueTokens(start, numericValueTokens(schema.fields.map((_, i) => tokenizer.valueTokensOf(i))), random);
  const { trainer, backend, modelWriterTf } = await createTrainer(
    options.backend,
    start,
    { learningRate, dropout, random, resetToken: tokenizer.endOfRecord, workers, processTuning: options.processTuning === true },
    warn,
  );
  observer.started?.({
    records: { train: data.train.count, validation: data.validation.count },
    ...(sampled ? { epochRecords: trainSource.recordsPerEpoch } : {}),
    ...(data.validation.count < data.heldOut ? { heldOut: data.heldOut } : {}),
    tokens: { train: data.train.ids.length, validation: data.validation.ids.length },
    vocabSize: tokenizer.vocabSize,
    backend,
    randomSeed,
    epochs: options.epochs,
    batchSize,
    batchesPerEpoch: batchCount(firstEpoch.windows, batchSize),
  });

  const result = await runTrainingLoop(
    trainer,
    trainSource,
    validationData,
    {
      epochs: options.epochs,
      patience: options.patience,
      batchSize,
      maxMinutes: options.maxMinutes,
      learningRate: { base: learningRate, schedule: options.learningRateSchedule },
      signal: options.signal,
    },
    random,
    observer,
  ).finally(() => trainer.dispose?.());

  const base = {
    dir: options.outDir,
    stoppedBy: result.stoppedBy,
    epochs: result.epochs,
    bestEpoch: result.bestEpoch,
    loss: result.loss,
    valLoss: result.valLoss,
    tokensPerSecond: result.tokensPerSecond,
    elapsedMs: result.elapsedMs,
    backend,
    randomSeed,
  };
  // An interrupt before any epoch finished has no model worth keeping; a time limit still saves.
  if (result.stoppedBy === 'interrupted' && result.bestEpoch === 0) options.signal!.throwIfAborted();

  const longestRecord = data.longestRecordTokens;
  const maxChars = Math.ceil(1.5 * longestRecord) + 10;
  const calibrationStart = Date.now();
  const { calibration, records: calibrationRecords } =
    options.calibrate === false || result.stoppedBy === 'interrupted'
      ? { calibration: undefined, records: 0 }
      : await calibrateMarginals(result.best, tokenizer, schema, [data.train, data.validation], {
          records: CALIBRATION_RECORDS,
          rounds: CALIBRATION_ROUNDS,
          randomSeed,
          maxTokens: maxChars,
          warn,
          signal: options.signal,
        });
  if (calibration) observer.calibrated?.({ fields: calibration.fields.length, records: calibrationRecords, elapsedMs: Date.now() - calibrationStart });
  const manifest = await writeModelDirectory(
    await modelWriterTf(),
    options.outDir,
    {
      architecture,
      tokenizer: tokenizer.spec,
      records: data.kind,
      // Room beyond the longest training record, yet finite, so a record that never ends stops.
      generation: { maxChars },
      training: {
        settings: {
          input: options.inputPath,
          records: data.records,
          trainRecords: data.train.count,
          validationRecords: data.heldOut,
          epochRecords: sampled ? trainSource.recordsPerEpoch : null,
          validationSampleRecords: data.validation.count < data.heldOut ? data.validation.count : null,
          embeddingDim: options.embeddingDim,
          lstmUnits: [...lstmUnits],
          dropout,
          sequenceLength: options.sequenceLength,
          batchSize,
          learningRate,
          learningRateSchedule: options.learningRateSchedule,
          optimizer: 'rmsprop',
          validationSplit: options.validationSplit,
          patience: options.patience,
          epochs: options.epochs,
          closedSetMaxValues: schema.closedSetMaxValues,
          valueTokens: options.valueTokens !== false,
          keys: options.keys !== false,
          calibrate: options.calibrate !== false,
          fieldOrder: options.fieldOrder ?? 'auto',
          ...(options.shuffledOrders ? { shuffledOrders: options.shuffledOrders } : {}),
          maxMinutes: options.maxMinutes ?? null,
          randomSeed,
          backend,
        },
        metrics: {
          loss: result.loss,
          valLoss: result.valLoss,
          epochs: result.epochs,
          bestEpoch: result.bestEpoch,
          tokensPerSecond: Math.round(result.tokensPerSecond),
          trainingSeconds: Math.round(result.elapsedMs / 100) / 10,
          stoppedBy: result.stoppedBy,
        },
      },
      schema,
      ...(calibration ? { calibration } : {}),
    },
    result.best,
    { overwrite: options.overwrite },
  ).catch(async (error: unknown) => {
    await refuseExistingOutput(options.outDir, options.overwrite);
    throw error;
  });
  observer.saved?.({ dir: options.outDir });
  if (result.stoppedBy === 'interrupted') options.signal!.throwIfAborted();
  return { ...base, stoppedBy: result.stoppedBy as TrainResult['stoppedBy'], manifest };
}

/** An existing output is refused before any work unless overwrite is set; a file is always refused. */
async function refuseExistingOutput(dir: string, overwrite: boolean): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (!info) return;
  if (!info.isDirectory()) throw new UsageError(message`${option('out')} ${dir} is a file; give a directory path for the model`);
  if (!overwrite) throw new UsageError(message`${option('out')} ${dir} already exists; pass ${option('overwrite')} to replace it, or choose another directory`);
}

/** A field-token model's per-epoch field orders (fieldOrders.ts); undefined for other models. */
function fieldOrdersOf(tokenizer: CharTokenizer, shuffledShare: number, random: Random): FieldOrders | undefined {
  const tokens = tokenizer.fieldTokens;
  if (!tokens || !(shuffledShare > 0)) return undefined;
  const fieldOfToken = new Int32Array(tokenizer.vocabSize).fill(-1);
  tokens.forEach((id, field) => (fieldOfToken[id] = field));
  const fields = tokens.map((_, f) => f);
  const sources = fields.map((f) => [...new Set(tokenizer.copyTokensOf(f).map((c) => c.source))]);
  return {
    plan: {
      fieldOfToken,
      defaultOrder: tokenizer.defaultOrder(),
      movable: fields.filter((f) => !tokenizer.isBlankField(f)),
      sources,
      shuffledShare,
      endOfRecord: tokenizer.endOfRecord,
    },
    random,
  };
}
