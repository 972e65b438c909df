/**
 * Next-token choice from one row of logits: greedy argmax, or a temperature-scaled categorical
 * draw driven by a caller-supplied uniform (so the random stream, not the sampler, owns randomness).
 */

/** Scratch for the softmax weights, grown to the largest vocabulary seen; sampling is synchronous. */
let weights = new Float64Array(0);

/** Index (relative to `offset`) of the largest logit; the first one on ties; 0 if none is a number. */
export function argmax(logits: ArrayLike<number>, offset: number, vocabSize: number): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < vocabSize; i++) {
    const value = logits[offset + i]!;
    if (value > bestValue) {
      bestValue = value;
      best = i;
    }
  }
  return best;
}

/**
 * Token id drawn from softmax(logits / temperature) with the uniform `uniform` in [0, 1) by inverse
 * CDF; temperature 0 (or below) is argmax. Weights are accumulated in float64 after subtracting the
 * maximum, so huge logits cannot overflow; the result is always in [0, vocabSize), even for a
 * uniform that rounds to the total, NaN logits, or rows of -Infinity.
 */
export function sampleToken(logits: ArrayLike<number>, offset: number, vocabSize: number, temperature: number, uniform: number): number {
  if (!(temperature > 0)) return argmax(logits, offset, vocabSize);
  let max = -Infinity;
  for (let i = 0; i < vocabSize; i++) {
    const value = logits[offset + i]!;
    if (value > max) max = value;
  }
  // All -Infinity/NaN: no distribution to draw from. +Infinity: it takes all the mass.
  if (max === -Infinity || max === Infinity) return argmax(logits, offset, vocabSize);

  if (weights.length < vocabSize) weights = new Float64Array(vocabSize);
  const inverseTemperature = 1 / temperature;
  let total = 0;
  let last = 0;
  for (let i = 0; i < vocabSize; i++) {
    const w = Math.exp((logits[offset + i]! - max) * inverseTemperature);
    if (w > 0) {
      weights[i] = w;
      total += w;
      last = i;
    } else {
      weights[i] = 0; // underflow or NaN
    }
  }
  // With a tiny temperature, (max - max) * Infinity is NaN: the row is effectively greedy.
  if (!(total > 0) || !Number.isFinite(total)) return argmax(logits, offset, vocabSize);

  const target = uniform * total;
  let cumulative = 0;
  for (let i = 0; i < last; i++) {
    cumulative += weights[i]!;
    if (target < cumulative) return i;
  }
  // Rounding can leave target >= the running sum; the last token with weight takes the remainder.
  return last;
}
