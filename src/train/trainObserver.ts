import type { Message } from '../errors.js';

/** Why training ended. */
export type TrainingStopReason = 'early-stopping' | 'max-minutes' | 'epochs' | 'interrupted';

export interface TrainStartInfo {
  /** Training and validation records; validation counts the validation sample when there is one. */
  records: { train: number; validation: number };
  /** Records each epoch trains on when that is a sample of the training part. */
  epochRecords?: number;
  /** Held-out records when validation runs on a sample of them. */
  heldOut?: number;
  tokens: { train: number; validation: number };
  vocabSize: number;
  backend: string;
  randomSeed: number;
  epochs: number;
  /** Windows per batch (chosen for the data under --batch-size auto). */
  batchSize: number;
  batchesPerEpoch: number;
}

export interface EpochStart {
  epoch: number;
  epochs: number;
  totalBatches: number;
  /** Records this epoch trains on. */
  records: number;
}

export interface BatchEnd {
  epoch: number;
  batch: number;
  totalBatches: number;
  loss: number;
  /** Training throughput over this epoch so far. */
  tokensPerSecond: number;
}

export interface EpochEnd {
  epoch: number;
  epochs: number;
  loss: number;
  /** Null when there is no validation data (the training loss is monitored instead). */
  valLoss: number | null;
  improved: boolean;
  /** The rate of the epoch's last batch. */
  learningRate: number;
  tokensPerSecond: number;
  elapsedMs: number;
}

export interface TrainStopped {
  reason: TrainingStopReason;
  /** Epochs completed. */
  epochs: number;
  /** Epoch whose weights are kept; 0 when training stopped inside the first epoch. */
  bestEpoch: number;
  patience: number;
  maxMinutes?: number;
}

/** Progress events of a training run, for a UI; every method is optional. */
export interface TrainObserver {
  /** A non-fatal note: the line in the API's option names, and its parts for other names (errors.ts WarningHook). */
  warning?(line: string, warning: Message): void;
  started?(info: TrainStartInfo): void;
  epochStart?(event: EpochStart): void;
  batchEnd?(event: BatchEnd): void;
  epochEnd?(event: EpochEnd): void;
  stopped?(event: TrainStopped): void;
  /** Marginal calibration fitted after training (calibrateMarginals.ts). */
  calibrated?(event: { fields: number; records: number; elapsedMs: number }): void;
  saved?(event: { dir: string }): void;
}
