import type * as TF from '@tensorflow/tfjs';
import type { ModelWeights } from '../../../model/manifest.js';
import { loadTf, type Tf, type TfBackendName } from '../../../tfjs/backend.js';
import type { KernelOptions, LstmState, StepKernel } from '../kernel.js';

/**
 * Gate activation of the LSTM's i, f and o gates. TF.js Layers' LSTM defaults to hardSigmoid
 * (clip(0.2 x + 0.5, 0, 1), tfjs-layers src/layers/recurrent.ts LSTMCell), unlike Python Keras 2
 * whose default is sigmoid; the kernel must use whatever the saved model.json says, and models
 * built by src/model/layersModel.ts leave the TF.js default.
 */
export type RecurrentActivation = 'hardSigmoid' | 'sigmoid';

export interface TfjsKernelOptions extends KernelOptions {
  backend: TfBackendName;
  /** Defaults to 'hardSigmoid', the TF.js Layers default used by buildLayersModel. */
  recurrentActivation?: RecurrentActivation;
}

interface LayerTensors {
  units: number;
  /** [inputDim + units, 4 * units]: kernel stacked over recurrentKernel, so [x, h] needs one matMul. */
  stacked: TF.Tensor2D;
  bias: TF.Tensor1D;
}

/**
 * One step of Embedding -> LSTM xN -> Dense for a batch, written with tfjs ops on the requested
 * backend. Weights become tensors once; per step the state rows go in and come back out as the
 * caller's Float32Arrays.
 */
export async function createTfjsKernel(weights: ModelWeights, options: TfjsKernelOptions): Promise<StepKernel> {
  const { tf } = await loadTf(options.backend);
  const batchSize = options.batchSize;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  const { vocabSize, embeddingDim } = weights;
  const units = weights.lstm.map((layer) => layer.units);
  const gate = gateActivation(tf, options.recurrentActivation ?? 'hardSigmoid');

  const embedding = tf.tensor2d(weights.embedding, [vocabSize, embeddingDim]);
  const layers: LayerTensors[] = weights.lstm.map((layer) => {
    const stacked = new Float32Array(layer.kernel.length + layer.recurrentKernel.length);
    stacked.set(layer.kernel);
    stacked.set(layer.recurrentKernel, layer.kernel.length);
    return {
      units: layer.units,
      stacked: tf.tensor2d(stacked, [layer.inputDim + layer.units, 4 * layer.units]),
      bias: tf.tensor1d(layer.bias),
    };
  });
  const denseKernel = tf.tensor2d(weights.denseKernel, [units[units.length - 1]!, vocabSize]);
  const denseBias = tf.tensor1d(weights.denseBias);

  const forward = (tokens: Int32Array, state: LstmState): TF.Tensor[] =>
    tf.tidy(() => {
      let x: TF.Tensor2D = tf.gather(embedding, tf.tensor1d(tokens, 'int32'));
      const next: TF.Tensor[] = [];
      layers.forEach((layer, l) => {
        const h = tf.tensor2d(state[2 * l]!, [batchSize, layer.units]);
        const c = tf.tensor2d(state[2 * l + 1]!, [batchSize, layer.units]);
        const z = tf.fused.matMul({ a: tf.concat([x, h], 1), b: layer.stacked, bias: layer.bias });
        const [zi, zf, zc, zo] = tf.split(z, 4, 1) as [TF.Tensor2D, TF.Tensor2D, TF.Tensor2D, TF.Tensor2D];
        const cNext = tf.add(tf.mul(gate(zf), c), tf.mul(gate(zi), tf.tanh(zc))) as TF.Tensor2D;
        const hNext = tf.mul(gate(zo), tf.tanh(cNext)) as TF.Tensor2D;
        next.push(hNext, cNext);
        x = hNext;
      });
      return [tf.fused.matMul({ a: x, b: denseKernel, bias: denseBias }), ...next];
    });

  return {
    backend: tf.getBackend(),
    batchSize,
    vocabSize,
    units,
    async step(tokens: Int32Array, state: LstmState): Promise<Float32Array> {
      if (tokens.length !== batchSize) throw new RangeError(`step got ${tokens.length} tokens for a batch of ${batchSize}`);
      if (state.length !== 2 * layers.length) throw new RangeError(`step got ${state.length} state arrays, the model needs ${2 * layers.length}`);
      const [logits, ...next] = forward(tokens, state);
      try {
        next.forEach((tensor, i) => state[i]!.set(tensor.dataSync() as Float32Array));
        return logits!.dataSync() as Float32Array;
      } finally {
        tf.dispose([logits!, ...next]);
      }
    },
    async dispose(): Promise<void> {
      tf.dispose([embedding, denseKernel, denseBias, ...layers.flatMap((layer) => [layer.stacked, layer.bias])]);
    },
  };
}

function gateActivation(tf: Tf, kind: RecurrentActivation): (z: TF.Tensor2D) => TF.Tensor2D {
  if (kind === 'sigmoid') return (z) => tf.sigmoid(z);
  // Same expression and order as tfjs-layers' K.hardSigmoid, so results match bit for bit.
  return (z) => tf.clipByValue(tf.add(0.5, tf.mul(0.2, z)), 0, 1) as TF.Tensor2D;
}
