import { trainModel, type TrainResult } from '../train/trainModel.js';
import type { TrainObserver } from '../train/trainObserver.js';
import { TRAIN_DEFAULTS, type TrainOptions as CoreTrainOptions } from '../train/trainOptions.js';

/** `synth train`'s options: `input` and `out` required, the rest default as the CLI's flags. */
export type TrainOptions = { input: string; out: string } & Partial<Omit<CoreTrainOptions, 'inputPath' | 'outDir'>> & {
  /** Progress events (epochs, batches, warnings); default: none. */
  observer?: TrainObserver;
};

/** Trains a model on a CSV or text file and writes the model directory `out` (synth train). */
export function train(options: TrainOptions): Promise<TrainResult> {
  const { input, out, observer, ...rest } = options;
  return trainModel({ ...TRAIN_DEFAULTS, lstmUnits: [...TRAIN_DEFAULTS.lstmUnits], ...rest, inputPath: input, outDir: out }, observer);
}
