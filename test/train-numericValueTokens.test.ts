import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialWeights } from '../src/train/initialWeights.js';
import { numericValueTokens, smoothNumericValueTokens } from '../src/train/numericValueTokens.js';
import { seededRandom } from '../src/random/seededRandom.js';

test('numeric closed sets are found and ordered by value; words, short sets and character fields are not', () => {
  const temps = new Map([['12.8', 10], ['-4.1', 11], ['3.0', 12], ['30.0', 13], ['0.0', 14], ['7.5', 15], ['21.1', 16], ['15.6', 17]]);
  const words = new Map(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((w, i) => [w, 20 + i]));
  const rating = new Map(['1', '2', '3', '4', '5'].map((v, i) => [v, 30 + i]));
  assert.deepEqual(numericValueTokens([undefined, temps, words, rating]), [[11, 14, 12, 15, 10, 17, 16, 13]]);
});

test('smoothed value tokens start with neighbouring values close and far values apart, input and output side', () => {
  const arch = { kind: 'char-lstm' as const, vocabSize: 60, embeddingDim: 32, lstmUnits: [16], dropout: 0 };
  const weights = initialWeights(arch, seededRandom(1));
  const ids = Array.from({ length: 40 }, (_, i) => 20 + i);
  smoothNumericValueTokens(weights, [ids], seededRandom(2));
  const E = arch.embeddingDim;
  const V = arch.vocabSize;
  const H = 16;
  const embeddingDistance = (a: number, b: number) => Math.hypot(...Array.from({ length: E }, (_, e) => weights.embedding[a * E + e]! - weights.embedding[b * E + e]!));
  const outputDistance = (a: number, b: number) => Math.hypot(...Array.from({ length: H }, (_, h) => weights.denseKernel[h * V + a]! - weights.denseKernel[h * V + b]!));
  let near = 0;
  let far = 0;
  let nearOut = 0;
  let farOut = 0;
  for (let i = 0; i + 1 < 20; i++) {
    near += embeddingDistance(ids[i]!, ids[i + 1]!);
    far += embeddingDistance(ids[i]!, ids[i + 20]!);
    nearOut += outputDistance(ids[i]!, ids[i + 1]!);
    farOut += outputDistance(ids[i]!, ids[i + 20]!);
  }
  assert.ok(near * 1.5 < far, `embedding: neighbours ${near / 19} vs far ${far / 19}`);
  assert.ok(nearOut * 1.5 < farOut, `output: neighbours ${nearOut / 19} vs far ${farOut / 19}`);
  // Tokens of no numeric field keep their random start.
  assert.deepEqual(weights.embedding.slice(0, 20 * E), initialWeights(arch, seededRandom(1)).embedding.slice(0, 20 * E));
});
