import type { ModelWeights } from '../model/manifest.js';
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
