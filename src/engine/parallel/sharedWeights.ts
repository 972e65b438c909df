import type { ModelWeights } from '../../model/manifest.js';

/** Where each array of a ModelWeights lies in one SharedArrayBuffer (float offsets and lengths). */
interface Span {
  offset: number;
  length: number;
}

/** ModelWeights flattened into one SharedArrayBuffer: every worker views it, none copies it. */
export interface SharedWeights {
  buffer: SharedArrayBuffer;
  vocabSize: number;
  embeddingDim: number;
  embedding: Span;
  lstm: { units: number; inputDim: number; kernel: Span; recurrentKernel: Span; bias: Span }[];
  denseKernel: Span;
  denseBias: Span;
}

/** Copies the weights once into shared memory; the caller's arrays are left as they are. */
export function shareWeights(weights: ModelWeights): SharedWeights {
  const arrays = [weights.embedding, ...weights.lstm.flatMap((l) => [l.kernel, l.recurrentKernel, l.bias]), weights.denseKernel, weights.denseBias];
  const buffer = new SharedArrayBuffer(arrays.reduce((n, a) => n + a.length, 0) * Float32Array.BYTES_PER_ELEMENT);
  const all = new Float32Array(buffer);
  let offset = 0;
  const place = (array: Float32Array): Span => {
    all.set(array, offset);
    const span = { offset, length: array.length };
    offset += array.length;
    return span;
  };
  return {
    buffer,
    vocabSize: weights.vocabSize,
    embeddingDim: weights.embeddingDim,
    embedding: place(weights.embedding),
    lstm: weights.lstm.map((l) => ({
      units: l.units,
      inputDim: l.inputDim,
      kernel: place(l.kernel),
      recurrentKernel: place(l.recurrentKernel),
      bias: place(l.bias),
    })),
    denseKernel: place(weights.denseKernel),
    denseBias: place(weights.denseBias),
  };
}

/** ModelWeights whose arrays are views of the shared buffer. */
export function viewWeights(shared: SharedWeights): ModelWeights {
  const view = (span: Span) => new Float32Array(shared.buffer, span.offset * Float32Array.BYTES_PER_ELEMENT, span.length);
  return {
    vocabSize: shared.vocabSize,
    embeddingDim: shared.embeddingDim,
    embedding: view(shared.embedding),
    lstm: shared.lstm.map((l) => ({
      units: l.units,
      inputDim: l.inputDim,
      kernel: view(l.kernel),
      recurrentKernel: view(l.recurrentKernel),
      bias: view(l.bias),
    })),
    denseKernel: view(shared.denseKernel),
    denseBias: view(shared.denseBias),
  };
}
