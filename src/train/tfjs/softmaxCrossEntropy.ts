/**
 * Sparse softmax cross-entropy from logits [rows, V] (Keras' SparseCategoricalCrossentropy with
 * from_logits). Returns the summed loss and, when asked, the gradient of the MEAN loss — the
 * quantity Keras minimises — with respect to the logits.
 */
export function softmaxCrossEntropy(
  logits: Float32Array,
  targets: Int32Array,
  rows: number,
  vocabSize: number,
  withGradient: boolean,
): { lossSum: number; dLogits: Float32Array | null } {
  const dLogits = withGradient ? new Float32Array(rows * vocabSize) : null;
  const scale = 1 / rows;
  let lossSum = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * vocabSize;
    let max = -Infinity;
    for (let v = 0; v < vocabSize; v++) if (logits[base + v]! > max) max = logits[base + v]!;
    let sum = 0;
    for (let v = 0; v < vocabSize; v++) sum += Math.exp(logits[base + v]! - max);
    const logSum = Math.log(sum) + max;
    const target = targets[r]!;
    lossSum += logSum - logits[base + target]!;
    if (dLogits) {
      for (let v = 0; v < vocabSize; v++) dLogits[base + v] = Math.exp(logits[base + v]! - logSum) * scale;
      dLogits[base + target] -= scale;
    }
  }
  return { lossSum, dLogits };
}
