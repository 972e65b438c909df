import type { ModelWeights } from '../../model/manifest.js';
import type { NetworkShape } from './networkShape.js';

/** Floats in all the weights of a network of this shape. */
export function parameterCount(shape: NetworkShape): number {
  let count = shape.vocabSize * shape.embeddingDim;
  let inputDim = shape.embeddingDim;
  for (const H of shape.units) {
    count += inputDim * 4 * H + H * 4 * H + 4 * H;
    inputDim = H;
  }
  return count + inputDim * shape.vocabSize + shape.vocabSize;
}

/**
 * ModelWeights whose arrays are views of one flat float buffer, laid out in weightArrays order
 * (embedding, each layer's kernel, recurrent kernel and bias, dense kernel, dense bias), so the
 * workers and the main thread can share the weights and gradients as one SharedArrayBuffer each.
 */
export function viewParameters(shape: NetworkShape, buffer: ArrayBufferLike, byteOffset = 0): ModelWeights {
  let offset = byteOffset;
  const take = (length: number): Float32Array => {
    const view = new Float32Array(buffer, offset, length);
    offset += length * Float32Array.BYTES_PER_ELEMENT;
    return view;
  };
  const embedding = take(shape.vocabSize * shape.embeddingDim);
  let inputDim = shape.embeddingDim;
  const lstm = shape.units.map((units) => {
    const kernel = take(inputDim * 4 * units);
    const recurrentKernel = take(units * 4 * units);
    const bias = take(4 * units);
    const layer = { units, inputDim, kernel, recurrentKernel, bias };
    inputDim = units;
    return layer;
  });
  const denseKernel = take(inputDim * shape.vocabSize);
  const denseBias = take(shape.vocabSize);
  return { vocabSize: shape.vocabSize, embeddingDim: shape.embeddingDim, embedding, lstm, denseKernel, denseBias };
}
