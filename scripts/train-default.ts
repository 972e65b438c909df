import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTrainProgress } from '../src/cli/trainProgress.js';
import { trainModel } from '../src/train/trainModel.js';
import { TRAIN_DEFAULTS, type TrainOptions } from '../src/train/trainOptions.js';
import { writeDefaultData } from './make-default-data.js';

/**
 * `npm run train:default`: regenerates fixtures/customers.csv and retrains the bundled model in
 * fixtures/default-model with a fixed seed. The architecture is smaller than the reference
 * (embedding 64, LSTM 128+128 instead of 256, 256+256) so the model is about 1 MB and loads fast.
 * It trains on the default backend (the native onnx trainer) for at most ten minutes, the training
 * budget the quality issue sets for a 2-core machine.
 */
const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/default-model');

export const DEFAULT_MODEL_SETTINGS = {
  ...TRAIN_DEFAULTS,
  embeddingDim: 64,
  lstmUnits: [128, 128],
  epochs: 60,
  maxMinutes: 10,
  randomSeed: 42,
  backend: 'auto',
  overwrite: true,
} as const;

const inputPath = await writeDefaultData();
const options: TrainOptions = {
  ...DEFAULT_MODEL_SETTINGS,
  lstmUnits: [...DEFAULT_MODEL_SETTINGS.lstmUnits],
  inputPath: path.relative(process.cwd(), inputPath),
  outDir,
};
const result = await trainModel(options, createTrainProgress({ quiet: false }));
process.stderr.write(
  `default model: ${result.epochs} epochs (best ${result.bestEpoch}), loss ${result.loss?.toFixed(4)}, val loss ${result.valLoss?.toFixed(4)}, ` +
    `${Math.round(result.tokensPerSecond)} tokens/s, ${(result.elapsedMs / 60000).toFixed(1)} minutes, stopped by ${result.stoppedBy}\n`,
);
