import type { TrainBackendChoice } from './createTrainer.js';
import type { TrainingRecords } from '../data/readTrainingData.js';
import type { FieldOrderMode } from '../schema/fieldOrder.js';
import type { LearningRateScheduleKind } from './learningRateSchedule.js';

export interface TrainRunOptions {
  inputPath: string;
  /** Records already in memory (recordsInMemory.ts), trained on instead of inputPath's file. */
  records?: TrainingRecords;
  outDir: string;
  overwrite: boolean;
  embeddingDim: number;
  /** Units of each LSTM layer; 'auto' sizes the depth to the data (lstmUnitsFor in modelSize.ts). */
  lstmUnits: number[] | 'auto';
  /** Dropout after each LSTM layer; 'auto' sizes it to the data (dropoutFor in modelSize.ts). */
  dropout: number | 'auto';
  sequenceLength: number;
  /** Windows per batch; 'auto' sizes it to the data (batchSizeFor in trainingBatches.ts). */
  batchSize: number | 'auto';
  /** RMSprop's base rate; 'auto' scales it to the batch size (learningRateFor). */
  learningRate: number | 'auto';
  /** How the rate changes over the run (learningRateSchedule.ts). */
  learningRateSchedule: LearningRateScheduleKind;
  validationSplit: number;
  patience: number;
  epochs: number;
  /** Stop and keep the best model after this many minutes; absent: no time limit. */
  maxMinutes?: number;
  /** Seeds initialisation, the validation split, batch order and dropout; drawn when absent. */
  randomSeed?: number;
  /** auto: the native onnx trainer, else TensorFlow.js (see createTrainer). */
  backend: TrainBackendChoice;
  /** Worker threads of the onnx trainer; default one per core. */
  workers?: number;
  /** Forces CSV with this delimiter, or plain text with null; otherwise chosen from the extension and the first lines. */
  delimiter?: string | null;
  /** Records each epoch trains on, drawn afresh (seeded) from the training part; all when absent. */
  epochRecords?: number;
  /** Closed-set threshold of the schema profile (see schema/profileRecords.ts); 0 = no closed sets. */
  closedSetMaxValues?: number;
  /** false: closed-set fields are written in characters like the others (default true). */
  valueTokens?: boolean;
  /** false: no key columns are detected; every field is trained on its values (default true). */
  keys?: boolean;
  /**
   * false: no marginal calibration after training (train/calibrateMarginals.ts; default true):
   * generated values then follow the network alone.
   */
  calibrate?: boolean;
  /** The order the model writes fields in (schema/fieldOrder.ts); default auto. */
  fieldOrder?: FieldOrderMode;
  /**
   * Share of each epoch's records written with a random subset of fields first (fieldOrders.ts),
   * for conditions written first (`conditionPlacement: 'first'`); default 0.
   */
  shuffledOrders?: number;
  /** Aborting stops after the current batch, saves the best model so far, and rejects with the reason. */
  signal?: AbortSignal;
  /**
   * Lets training lower its memory with process-wide means: V8 flags for its worker threads and
   * forced garbage collections (collectGarbage.ts, outputCopies.ts, optimizeOnOwnThread.ts). They
   * act on the whole process, so only a caller that owns it opts in (synth train does).
   */
  processTuning?: boolean;
}

/** gretel-synthetics' TensorFlow LSTM defaults. */
export const TRAIN_DEFAULTS = {
  overwrite: false,
  embeddingDim: 256,
  lstmUnits: 'auto',
  dropout: 'auto',
  sequenceLength: 100,
  batchSize: 'auto',
  learningRate: 'auto',
  learningRateSchedule: 'decay',
  validationSplit: 0.2,
  /**
   * 10, not gretel's 5: with the rate decaying over the planned epochs a model crosses plateaus of
   * a few epochs on the way down (weather.csv, batches of 8), and the best weights are kept anyway.
   */
  patience: 10,
  epochs: 100,
  /**
   * A default run ends within ten minutes of training; the learning-rate schedule plans its
   * decay to end there (the quality issue's budget on a 2-core machine).
   */
  maxMinutes: 10,
  backend: 'auto',
  fieldOrder: 'auto',
} as const satisfies Partial<TrainRunOptions>;
