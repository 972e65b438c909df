import type { ModelWeights } from '../../model/manifest.js';

/** The sizes that fix every array of the training graphs and the flat parameter layout. */
export interface NetworkShape {
  vocabSize: number;
  embeddingDim: number;
  /** Each LSTM layer's width, first layer first. */
  units: number[];
}

export function shapeOf(weights: ModelWeights): NetworkShape {
  return { vocabSize: weights.vocabSize, embeddingDim: weights.embeddingDim, units: weights.lstm.map((layer) => layer.units) };
}
