import type { ModelWeights } from '../model/manifest.js';
import type { Random } from '../random/seededRandom.js';
import type { TokenBatch } from './trainingBatches.js';

/**
 * What the training loop needs from a trainer: the reference one (lstmTrainer.ts, TensorFlow.js)
 * answers synchronously, the native one (onnx/onnxTrainer.ts) asynchronously.
 */
export interface Trainer {
  /** The weights being trained, updated in place by each step. */
  readonly weights: ModelWeights;
  /** One RMSprop step on a batch; returns the batch's mean loss before the step. */
  trainBatch(batch: TokenBatch): number | Promise<number>;
  /** The learning rate of the next steps (the schedule in learningRateSchedule.ts sets it between batches). */
  setLearningRate(learningRate: number): void;
  /** Summed loss over a batch without dropout, for validation. */
  evaluate(batch: TokenBatch): { lossSum: number; tokens: number } | Promise<{ lossSum: number; tokens: number }>;
  dispose?(): Promise<void>;
}

/** What every trainer is made with. */
export interface TrainerOptions {
  learningRate: number;
  /** Dropout rate after each LSTM layer, as the Layers model applies it (0 disables). */
  dropout: number;
  /** The run's one seeded source: dropout masks are drawn from it in the same order by both trainers. */
  random: Random;
  /**
   * Token (end-of-record) at whose steps every layer's state is reset to zero, so each record is
   * trained from the state generation starts it from; absent: the state runs on through the window.
   */
  resetToken?: number;
}
