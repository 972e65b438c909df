import type { ModelWeights } from '../../model/manifest.js';
import type { NetworkShape } from './gradientSession.js';

export interface Span {
  offset: number;
  length: number;
}

/** Where each weight array (weightArrays order) lies in one flat float vector. */
export function parameterSpans(shape: NetworkShape): Span[] {
  const lengths = [shape.vocabSize * shape.embeddingDim];
  let inputDim = shape.embeddingDim;
  for (const H of shape.units) {
    lengths.push(inputDim * 4 * H, H * 4 * H, 4 * H);
    inputDim = H;
  }
  lengths.push(inputDim * shape.vocabSize, shape.vocabSize);
  let offset = 0;
  return lengths.map((length) => {
    const span = { offset, length };
    offset += length;
    return span;
  });
}

/** ModelWeights whose arrays are views of a flat buffer laid out by parameterSpans. */
export function viewParameters(shape: NetworkShape, buffer: ArrayBufferLike): ModelWeights {
  const views = parameterSpans(shape).map((s) => new Float32Array(buffer, s.offset * 4, s.length));
  let inputDim = shape.embeddingDim;
  const lstm = shape.units.map((units, l) => {
    const layer = { units, inputDim, kernel: views[1 + 3 * l]!, recurrentKernel: views[2 + 3 * l]!, bias: views[3 + 3 * l]! };
    inputDim = units;
    return layer;
  });
  return {
    vocabSize: shape.vocabSize,
    embeddingDim: shape.embeddingDim,
    embedding: views[0]!,
    lstm,
    denseKernel: views[views.length - 2]!,
    denseBias: views[views.length - 1]!,
  };
}
