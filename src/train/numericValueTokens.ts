import type { ModelWeights } from '../model/manifest.js';
import type { Random } from '../random/seededRandom.js';

/** The value tokens of one closed-set field whose values are all numbers, in ascending order of value. */
export type NumericValueTokens = readonly number[];

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;
/** Fields with fewer values gain nothing from a shared shape (a 1–5 rating learns each value fast). */
const MIN_VALUES = 8;
/** Cosine features of the value's rank: enough to tell neighbours from far values apart. */
const FEATURES = 8;

/**
 * The token ids of each closed-set field that holds only numbers, sorted by value; undefined
 * entries and fields with fewer than MIN_VALUES values are left out.
 */
export function numericValueTokens(fields: readonly (ReadonlyMap<string, number> | undefined)[]): NumericValueTokens[] {
  const out: NumericValueTokens[] = [];
  for (const values of fields) {
    if (!values || values.size < MIN_VALUES) continue;
    const entries = [...values];
    if (!entries.every(([value]) => NUMBER.test(value))) continue;
    out.push(entries.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, id]) => id));
  }
  return out;
}

/**
 * Starts each numeric field's value tokens with input embeddings and output weights that vary
 * smoothly with the value's rank (the random start plus a random projection of cosine features
 * of the rank), so 12.8 °C begins next to 13.3 °C and far from -4.1 °C. A value token otherwise
 * starts as a random, unrelated symbol: the model must learn from a few dozen occurrences each
 * that neighbouring values behave alike before it can carry "a warm day" from temp_max to
 * temp_min. Training is free to move everything afterwards.
 */
export function smoothNumericValueTokens(weights: ModelWeights, fields: readonly NumericValueTokens[], random: Random): void {
  const E = weights.embeddingDim;
  const V = weights.vocabSize;
  const H = weights.denseKernel.length / V;
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const projection = (rows: number): Float64Array => Float64Array.from({ length: rows * FEATURES }, gaussian);
  // Scales of the smooth parts: the embedding's uniform ±0.05 and the output's Glorot limit.
  const embeddingScale = 0.05;
  const outputScale = Math.sqrt(6 / (H + V));
  for (const ids of fields) {
    const toEmbedding = projection(E);
    const toOutput = projection(H);
    ids.forEach((id, rank) => {
      const u = ids.length === 1 ? 0 : rank / (ids.length - 1);
      // Lower frequencies weigh more, so neighbours stay close; the norm is about 1.
      const features = Array.from({ length: FEATURES }, (_, k) => Math.cos(Math.PI * (k + 1) * u) / (k + 1));
      const norm = Math.sqrt(features.reduce((s, f) => s + f * f, 0)) || 1;
      for (let e = 0; e < E; e++) {
        let sum = 0;
        for (let k = 0; k < FEATURES; k++) sum += toEmbedding[e * FEATURES + k]! * features[k]!;
        weights.embedding[id * E + e] += (embeddingScale * sum) / norm;
      }
      for (let h = 0; h < H; h++) {
        let sum = 0;
        for (let k = 0; k < FEATURES; k++) sum += toOutput[h * FEATURES + k]! * features[k]!;
        weights.denseKernel[h * V + id] += (outputScale * sum) / norm;
      }
    });
  }
}
