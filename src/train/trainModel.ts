import { randomInt } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import type { Architecture, SynthManifest } from '../model/manifest.js';
import { writeModelDirectory } from '../model/writeModelDirectory.js';
import { loadTf } from '../tfjs/backend.js';
import { profileRecords } from '../schema/profileRecords.js';
import { isClosedSet } from '../schema/schema.js';
import { CharTokenizer } from '../tokenizer/charTokenizer.js';
import { initialWeights } from './initialWeights.js';
import { LstmTrainer } from './lstmTrainer.js';
import { readTrainingData } from './readTrainingData.js';
import { seededRandom } from './seededRandom.js';
import { runTrainingLoop } from './trainLoop.js';
import { batchCount, makeWindows, splitRecords, tokenStream } from './trainingBatches.js';
import type { StopReason, TrainObserver } from './trainObserver.js';
import type { TrainOptions } from './trainOptions.js';

export interface TrainResult {
  dir: string;
  /** Null when training was interrupted before its first epoch finished: nothing is saved then. */
  manifest: SynthManifest | null;
  stoppedBy: StopReason;
  epochs: number;
  bestEpoch: number;
  loss: number | null;
  valLoss: number | null;
  tokensPerSecond: number;
  elapsedMs: number;
  backend: string;
  randomSeed: number;
}

/** Trains a char-LSTM on a CSV or text file and saves the best weights as a model directory. */
export async function trainModel(options: TrainOptions, observer: TrainObserver = {}): Promise<TrainResult> {
  await refuseExistingOutput(options.outDir, options.overwrite);
  const data = await readTrainingData(options.inputPath, { delimiter: options.delimiter });
  const delimited = data.kind.kind === 'delimited';
  const schema = profileRecords(data.records, delimited && data.kind.kind === 'delimited' ? data.kind.header : ['text'], {
    closedSetMaxValues: options.closedSetMaxValues,
  });
  const valueSets = options.valueTokens === false ? [] : schema.fields.map((f) => (isClosedSet(f) ? f.values : undefined));
  const tokenizer = CharTokenizer.fromRecords(data.records, delimited, valueSets);
  const randomSeed = options.randomSeed ?? randomInt(2 ** 32);
  const random = seededRandom(randomSeed);

  const { train, validation } = splitRecords(data.records, options.validationSplit, random);
  const trainStream = tokenStream(tokenizer, train);
  const validationStream = tokenStream(tokenizer, validation);
  const trainData = { stream: trainStream, windows: makeWindows(trainStream, options.sequenceLength, tokenizer.endOfRecord) };
  // A single validation record gives a stream of its tokens plus one EOR; it still makes a window.
  const validationData = {
    stream: validationStream,
    windows: validation.length === 0 ? { steps: 0, starts: [] } : makeWindows(validationStream, options.sequenceLength, tokenizer.endOfRecord),
  };

  const { tf, backend } = await loadTf(options.backend, (line) => observer.warning?.(line));
  const architecture: Architecture = {
    kind: 'char-lstm',
    vocabSize: tokenizer.vocabSize,
    embeddingDim: options.embeddingDim,
    lstmUnits: [...options.lstmUnits],
    dropout: options.dropout,
  };
  const trainer = new LstmTrainer(tf, initialWeights(architecture, random), {
    learningRate: options.learningRate,
    dropout: options.dropout,
    random,
  });
  observer.started?.({
    records: { train: train.length, validation: validation.length },
    tokens: { train: trainStream.length, validation: validationStream.length },
    vocabSize: tokenizer.vocabSize,
    backend,
    randomSeed,
    epochs: options.epochs,
    batchesPerEpoch: batchCount(trainData.windows, options.batchSize),
  });

  const result = await runTrainingLoop(
    trainer,
    trainData,
    validationData,
    { epochs: options.epochs, patience: options.patience, batchSize: options.batchSize, maxMinutes: options.maxMinutes, signal: options.signal },
    random,
    observer,
  );

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
  if (result.stoppedBy === 'interrupted' && result.bestEpoch === 0) return { ...base, manifest: null };

  let longestRecord = 1;
  for (const fields of data.records) longestRecord = Math.max(longestRecord, tokenizer.encodeRecord(fields).length - 1);
  const manifest = await writeModelDirectory(
    tf,
    options.outDir,
    {
      architecture,
      tokenizer: tokenizer.spec,
      records: data.kind,
      // Room beyond the longest training record, yet finite, so a record that never ends stops.
      generation: { maxChars: Math.ceil(1.5 * longestRecord) + 10 },
      training: {
        settings: {
          input: options.inputPath,
          records: data.records.length,
          trainRecords: train.length,
          validationRecords: validation.length,
          embeddingDim: options.embeddingDim,
          lstmUnits: [...options.lstmUnits],
          dropout: options.dropout,
          sequenceLength: options.sequenceLength,
          batchSize: options.batchSize,
          learningRate: options.learningRate,
          optimizer: 'rmsprop',
          validationSplit: options.validationSplit,
          patience: options.patience,
          epochs: options.epochs,
          closedSetMaxValues: schema.closedSetMaxValues,
          valueTokens: options.valueTokens !== false,
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
    },
    result.best,
    { overwrite: options.overwrite },
  ).catch(async (error: unknown) => {
    await refuseExistingOutput(options.outDir, options.overwrite);
    throw error;
  });
  observer.saved?.({ dir: options.outDir });
  return { ...base, manifest };
}

/** An existing output is refused before any work unless overwrite is set; a file is always refused. */
async function refuseExistingOutput(dir: string, overwrite: boolean): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (!info) return;
  if (!info.isDirectory()) throw new UsageError(`--out ${dir} is a file; give a directory path for the model`);
  if (!overwrite) throw new UsageError(`--out ${dir} already exists; pass --overwrite to replace it, or choose another directory`);
}
