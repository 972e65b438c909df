import type { ModelWeights } from '../model/manifest.js';
import { BackendError, firstLineOf, message, option, type Warn } from '../errors.js';
import { loadTf, TfBackendUnavailableError, type Tf, type TfBackendName } from '../tfjs/backend.js';
import { BackendUnavailableError } from '../engine/kernels/createKernel.js';
import { LstmTrainer } from './tfjs/lstmTrainer.js';
import type { Trainer, TrainerOptions } from './trainer.js';

export type TrainBackendChoice = 'auto' | 'onnx' | TfBackendName;

export interface TrainerSettings extends TrainerOptions {
  /** Worker threads of the onnx trainer; default one per core. */
  workers?: number;
  /** The onnx trainer's process-wide memory means (TrainOptions.processTuning). */
  processTuning?: boolean;
}

export interface CreatedTrainer {
  trainer: Trainer;
  backend: string;
  /**
   * TensorFlow.js for writing the model directory. The onnx trainer has no use for it until then,
   * so it is loaded (cpu backend: fastest to load, says nothing) only when asked for: imported at
   * start-up it held ~50 MB through the whole run.
   */
  modelWriterTf: () => Promise<Tf>;
}

/**
 * The trainer for a backend choice. `auto` takes the native onnx trainer (onnxruntime-node on
 * worker threads) and, if it cannot start, says so in one line and takes the TensorFlow.js
 * reference trainer on the best backend that loads (loadTf's own order: tensorflow, then wasm).
 * A named backend that cannot start is a BackendError naming it (its own error as the cause).
 */
export async function createTrainer(
  choice: TrainBackendChoice,
  weights: ModelWeights,
  settings: TrainerSettings,
  warn: Warn,
): Promise<CreatedTrainer> {
  try {
    return await startTrainer(choice, weights, settings, warn);
  } catch (error) {
    if (!(error instanceof TfBackendUnavailableError || error instanceof BackendUnavailableError)) throw error;
    const reason = error instanceof TfBackendUnavailableError ? error.reason : error.message;
    throw new BackendError(message`${option('backend')} ${choice} cannot start here: ${reason}; choose another ${option('backend')}, or auto`, choice, { cause: error });
  }
}

async function startTrainer(
  choice: TrainBackendChoice,
  weights: ModelWeights,
  settings: TrainerSettings,
  warn: Warn,
): Promise<CreatedTrainer> {
  if (choice === 'onnx' || choice === 'auto') {
    try {
      const { OnnxTrainer } = await import('./onnx/onnxTrainer.js');
      const trainer = await OnnxTrainer.create(weights, settings);
      return { trainer, backend: 'onnx', modelWriterTf: async () => (await loadTf('cpu')).tf };
    } catch (error) {
      if (choice === 'onnx') throw new BackendUnavailableError('onnx', firstLineOf(error));
      warn(message`note: the onnx trainer could not start (${firstLineOf(error)}); training with TensorFlow.js`);
    }
  }
  const { tf, backend } = await loadTf(choice, warn);
  return { trainer: new LstmTrainer(tf, weights, settings), backend, modelWriterTf: async () => tf };
}
