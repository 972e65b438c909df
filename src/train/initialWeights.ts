import type { Architecture, ModelWeights } from '../model/manifest.js';
import type { Random } from '../random/seededRandom.js';

/**
 * Seeded initial weights as Keras (and gretel-synthetics) start them: embedding uniform in
 * ±0.05, Glorot-uniform kernels (gretel also uses it for the recurrent kernel), zero biases with
 * the forget gate's set to 1 (Keras' unitForgetBias), Glorot-uniform output layer.
 */
export function initialWeights(arch: Architecture, random: Random): ModelWeights {
  const uniform = (n: number, limit: number): Float32Array => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = (random() * 2 - 1) * limit;
    return out;
  };
  const glorot = (fanIn: number, fanOut: number): Float32Array => uniform(fanIn * fanOut, Math.sqrt(6 / (fanIn + fanOut)));
  const V = arch.vocabSize;
  const embedding = uniform(V * arch.embeddingDim, 0.05);
  let inputDim = arch.embeddingDim;
  const lstm = arch.lstmUnits.map((units) => {
    const bias = new Float32Array(4 * units);
    bias.fill(1, units, 2 * units);
    const layer = {
      units,
      inputDim,
      kernel: glorot(inputDim, 4 * units),
      recurrentKernel: glorot(units, 4 * units),
      bias,
    };
    inputDim = units;
    return layer;
  });
  return {
    vocabSize: V,
    embeddingDim: arch.embeddingDim,
    embedding,
    lstm,
    denseKernel: glorot(inputDim, V),
    denseBias: new Float32Array(V),
  };
}

/** The weights' arrays in a fixed order (embedding, each layer's kernel/recurrent/bias, dense kernel, bias). */
export function weightArrays(weights: ModelWeights): Float32Array[] {
  return [
    weights.embedding,
    ...weights.lstm.flatMap((layer) => [layer.kernel, layer.recurrentKernel, layer.bias]),
    weights.denseKernel,
    weights.denseBias,
  ];
}

/** A deep copy, for keeping the best weights while training goes on. */
export function copyWeights(weights: ModelWeights): ModelWeights {
  return {
    vocabSize: weights.vocabSize,
    embeddingDim: weights.embeddingDim,
    embedding: weights.embedding.slice(),
    lstm: weights.lstm.map((layer) => ({
      units: layer.units,
      inputDim: layer.inputDim,
      kernel: layer.kernel.slice(),
      recurrentKernel: layer.recurrentKernel.slice(),
      bias: layer.bias.slice(),
    })),
    denseKernel: weights.denseKernel.slice(),
    denseBias: weights.denseBias.slice(),
  };
}
