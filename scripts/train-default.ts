import { rm, rename } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTrainProgress } from '../src/cli/trainProgress.js';
import { trainModel } from '../src/train/trainModel.js';
import { TRAIN_DEFAULTS, type TrainRunOptions } from '../src/train/trainOptions.js';
import { writeDefaultData } from './make-default-data.js';

/**
 * `npm run train:default`: regenerates fixtures/customers.csv and retrains the bundled model in
 * fixtures/default-model with synth train's defaults (architecture, batch size sized to the data,
 * the learning-rate decay, the ten-minute limit) and a fixed seed: the bundled model is what a user
 * gets from `synth train --input fixtures/customers.csv --out model --random-seed 42`.
 */
const modelDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/default-model');
// Trained into a fresh sibling and swapped in: a fresh write keeps the plain file names
// (model.json, weights.bin) that the package and its tests name, where an in-place --overwrite
// would switch to content-named files. A run killed before the swap leaves the old model.
const outDir = `${modelDir}.next`;

export const DEFAULT_MODEL_SETTINGS = {
  ...TRAIN_DEFAULTS,
  randomSeed: 42,
} as const;

await rm(outDir, { recursive: true, force: true });
const inputPath = await writeDefaultData();
const options: TrainRunOptions = {
  ...DEFAULT_MODEL_SETTINGS,
  inputPath: path.relative(process.cwd(), inputPath),
  outDir,
  processTuning: true,
};
const result = await trainModel(options, createTrainProgress({ quiet: false }));
process.stderr.write(
  `default model: ${result.epochs} epochs (best ${result.bestEpoch}), loss ${result.loss?.toFixed(4)}, val loss ${result.valLoss?.toFixed(4)}, ` +
    `${Math.round(result.tokensPerSecond)} tokens/s, ${(result.elapsedMs / 60000).toFixed(1)} minutes, stopped by ${result.stoppedBy}\n`,
);
await rm(modelDir, { recursive: true, force: true });
await rename(outDir, modelDir);
process.stderr.write(`now make its report: synth evaluate --data fixtures/customers.csv --lines 2000 --random-seed 1 --report fixtures/default-model/quality.json\n`);
