import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../tfjs/backend.js';
import { LAYER_NAMES, type Architecture, type ModelWeights } from './manifest.js';

/**
 * The Keras-compatible Layers model of an architecture: Embedding -> LSTM xN (dropout) -> Dense.
 * Layer names are fixed by the model format so weights can be located by name.
 */
export function buildLayersModel(tf: Tf, arch: Architecture): TF.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.embedding({ name: LAYER_NAMES.embedding, inputDim: arch.vocabSize, outputDim: arch.embeddingDim, batchInputShape: [null, null] }),
  );
  arch.lstmUnits.forEach((units, i) => {
    // hardSigmoid is tfjs-layers' default recurrent activation (Python Keras uses sigmoid); every
    // kernel and the trainer implement exactly this one, so it is pinned here rather than defaulted.
    model.add(
      tf.layers.lstm({ name: LAYER_NAMES.lstm(i), units, returnSequences: true, recurrentActivation: 'hardSigmoid', recurrentInitializer: 'glorotNormal' }),
    );
    if (arch.dropout > 0) model.add(tf.layers.dropout({ name: `dropout_${i + 1}`, rate: arch.dropout }));
  });
  model.add(tf.layers.dense({ name: LAYER_NAMES.dense, units: arch.vocabSize }));
  return model;
}

/** Copies framework-free weights into a Layers model built by buildLayersModel. */
export function setLayersWeights(tf: Tf, model: TF.LayersModel, weights: ModelWeights): void {
  const E = weights.embeddingDim;
  const V = weights.vocabSize;
  const tensors: TF.Tensor[] = [tf.tensor2d(weights.embedding, [V, E])];
  for (const layer of weights.lstm) {
    tensors.push(
      tf.tensor2d(layer.kernel, [layer.inputDim, 4 * layer.units]),
      tf.tensor2d(layer.recurrentKernel, [layer.units, 4 * layer.units]),
      tf.tensor1d(layer.bias),
    );
  }
  const lastUnits = weights.lstm[weights.lstm.length - 1]!.units;
  tensors.push(tf.tensor2d(weights.denseKernel, [lastUnits, V]), tf.tensor1d(weights.denseBias));
  model.setWeights(tensors);
  tf.dispose(tensors);
}

/** Reads a Layers model's weights back into framework-free arrays. */
export function getLayersWeights(model: TF.LayersModel, arch: Architecture): ModelWeights {
  const values = model.getWeights().map((t) => t.dataSync() as Float32Array);
  let i = 0;
  const embedding = Float32Array.from(values[i++]!);
  let inputDim = arch.embeddingDim;
  const lstm = arch.lstmUnits.map((units) => {
    const layer = {
      units,
      inputDim,
      kernel: Float32Array.from(values[i++]!),
      recurrentKernel: Float32Array.from(values[i++]!),
      bias: Float32Array.from(values[i++]!),
    };
    inputDim = units;
    return layer;
  });
  return {
    vocabSize: arch.vocabSize,
    embeddingDim: arch.embeddingDim,
    embedding,
    lstm,
    denseKernel: Float32Array.from(values[i++]!),
    denseBias: Float32Array.from(values[i++]!),
  };
}
