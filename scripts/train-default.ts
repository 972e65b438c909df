import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTrainProgress } from '../src/cli/trainProgress.js';
import { trainModel } from '../src/train/trainModel.js';
import { TRAIN_DEFAULTS, type TrainOptions } from '../src/train/trainOptions.js';
import { writeDefaultData } from './make-default-data.js';

/**
 * `npm run train:default`: regenerates fixtures/customers.csv and retrains the bundled model in
 * fixtures/default-model with synth train's defaults (architecture, batch size sized to the data,
 * the learning-rate decay, the ten-minute limit) and a fixed seed: the bundled model is what a user
 * gets from `synth train --input fixtures/customers.csv --out model --random-seed 42`.
 */
const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/default-model');

export const DEFAULT_MODEL_SETTINGS = {
  ...TRAIN_DEFAULTS,
  randomSeed: 42,
  overwrite: true,
} as const;

const inputPath = await writeDefaultData();
const options: TrainOptions = {
  ...DEFAULT_MODEL_SETTINGS,
  lstmUnits: [...DEFAULT_MODEL_SETTINGS.lstmUnits],
  inputPath: path.relative(process.cwd(), inputPath),
  outDir,
  processTuning: true,
};
const result = await trainModel(options, createTrainProgress({ quiet: false }));
process.stderr.write(
  `default model: ${result.epochs} epochs (best ${result.bestEpoch}), loss ${result.loss?.toFixed(4)}, val loss ${result.valLoss?.toFixed(4)}, ` +
    `${Math.round(result.tokensPerSecond)} tokens/s, ${(result.elapsedMs / 60000).toFixed(1)} minutes, stopped by ${result.stoppedBy}\n`,
);
