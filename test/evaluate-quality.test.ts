import assert from 'node:assert/strict';
import { test } from 'node:test';
import { correlationMatrix, fitGaussianCopula, sampleGaussianCopula } from '../src/evaluate/baselines/gaussianCopula.js';
import { sampleIndependentColumns } from '../src/evaluate/baselines/independentColumns.js';
import { normalCdf, normalQuantile } from '../src/evaluate/baselines/normalDistribution.js';
import { encodeTable, profileColumns } from '../src/evaluate/quality/columnProfile.js';
import { ksComplementSorted, sortedForKs } from '../src/evaluate/metrics/ksComplement.js';
import { codeCounts, tvComplement } from '../src/evaluate/quality/columnShapes.js';
import { contingencySimilarity, correlationSimilarity, jointCounts, pearson } from '../src/evaluate/quality/pairTrends.js';
import { binOf, quantileEdges } from '../src/evaluate/quality/quantileBins.js';
import { scoreQuality } from '../src/evaluate/quality/scoreQuality.js';
import { evaluationRandom } from '../src/random/seededRandom.js';

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);
const f64 = (xs: number[]) => Float64Array.from(xs);
const i32 = (xs: number[]) => Int32Array.from(xs);

test('KSComplement is 1 for a perfect copy and 1 − the largest CDF gap otherwise', () => {
  close(ksComplementSorted(sortedForKs(f64([3, 1, 2])), sortedForKs(f64([1, 2, 3]))), 1);
  // CDF gap after 1: 1/3 - 0 -> 1 - 1/3
  close(ksComplementSorted(sortedForKs(f64([1, 2, 3])), sortedForKs(f64([2, 3, 4]))), 2 / 3);
  close(ksComplementSorted(sortedForKs(f64([1, 2])), sortedForKs(f64([10, 20]))), 0);
  // a blank (NaN) is a point mass below every number: 1 of 4 missing on one side only -> 0.75
  close(ksComplementSorted(sortedForKs(f64([NaN, 1, 2, 3])), sortedForKs(f64([1, 1, 2, 3]))), 0.75);
});

test('TVComplement is 1 for a perfect copy and Σ min(p, q) otherwise', () => {
  close(tvComplement(codeCounts(i32([0, 1, 1, 2]), 3), codeCounts(i32([1, 2, 0, 1]), 3)), 1);
  // shares (.5, .5) vs (1, 0): TVD .5 -> .5
  close(tvComplement(codeCounts(i32([0, 1]), 2), codeCounts(i32([0, 0, 0]), 2)), 0.5);
  // disjoint categories (code 2 = unseen in the real data)
  close(tvComplement(codeCounts(i32([0, 1]), 3), codeCounts(i32([2, 2]), 3)), 0);
});

test('CorrelationSimilarity: correlated vs independent columns score 1 − |1 − 0| / 2 = 0.5', () => {
  const x = f64([1, 2, 3, 4]);
  const correlated = f64([2, 4, 6, 8]);
  // deviations of x (−1.5, −.5, .5, 1.5) and of y (.5, −.5, −.5, .5) are orthogonal: r = 0 exactly
  const independent = f64([1, 0, 0, 1]);
  close(pearson(x, correlated), 1);
  close(pearson(x, independent), 0);
  close(pearson(x, f64([8, 6, 4, 2])), -1);
  close(correlationSimilarity(1, 1), 1);
  close(correlationSimilarity(pearson(x, correlated), pearson(x, independent)), 0.5);
  close(correlationSimilarity(1, -1), 0);
  // rows with a blank on either side are left out; a constant synthetic column counts as r = 0
  close(pearson(f64([1, NaN, 2, 3]), f64([1, 5, 2, 3])), 1);
  assert.ok(Number.isNaN(pearson(f64([1, 1, 1]), f64([1, 2, 3]))));
  close(correlationSimilarity(0.8, NaN), 0.6);
});

test('ContingencySimilarity: a perfectly dependent pair vs an independent one scores 1 − TVD = 0.5', () => {
  // real: a = b, half (0,0), half (1,1); synthetic: all four cells a quarter each
  const real = jointCounts(i32([0, 0, 1, 1]), i32([0, 0, 1, 1]), 2, 2);
  const scratch = new Float64Array(4);
  close(contingencySimilarity(real, i32([0, 1, 0, 1]), i32([0, 1, 0, 1]), scratch), 1);
  close(contingencySimilarity(real, i32([0, 0, 1, 1]), i32([0, 1, 0, 1]), scratch), 0.5);
  assert.deepEqual([...scratch], [0, 0, 0, 0], 'the scratch table is left empty for the next pair');
  // the sparse path (no scratch) gives the same numbers
  close(contingencySimilarity(real, i32([0, 0, 1, 1]), i32([0, 1, 0, 1])), 0.5);
  close(contingencySimilarity(real, i32([1]), i32([0])), 0);
});

test('numbers are binned at the real deciles, duplicates dropped, outer bins open', () => {
  const edges = quantileEdges([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10);
  assert.deepEqual([...edges].map((e) => Number(e.toFixed(10))), [1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1]);
  assert.equal(binOf(edges, -100), 0);
  assert.equal(binOf(edges, 1.9), 1);
  assert.equal(binOf(edges, 100), 9);
  // eight 0s and two 1s: deciles at positions 0.9 … 8.1 of the sorted values are 0 (×7), 0.2, 1
  assert.deepEqual([...quantileEdges([0, 0, 0, 0, 0, 0, 0, 0, 1, 1], 10)].map((e) => Number(e.toFixed(10))), [0, 0.2, 1]);
});

const header = ['x', 'y', 'colour', 'id'];
/** y = 2x, colour decided by x, id unique: every relation a quality metric can see. */
function linkedTable(rows: number, seed: number): string[][] {
  const random = evaluationRandom(seed);
  return Array.from({ length: rows }, (_, i) => {
    const x = Math.round(random() * 1000) / 10;
    return [String(x), String(2 * x), x < 30 ? 'red' : x < 70 ? 'green' : 'blue', `id-${seed}-${i}`];
  });
}

test('a perfect copy scores 1 on Column Shapes and Column Pair Trends; text columns are left out', () => {
  const real = linkedTable(500, 1);
  const profile = profileColumns(header, real);
  assert.deepEqual(profile.map((column) => column.kind), ['numeric', 'numeric', 'categorical', 'shape']);
  const reference = encodeTable(profile, real);
  const { pairs, scores } = scoreQuality(profile, reference, [encodeTable(profile, [...real].reverse())]);
  assert.deepEqual(pairs.map((pair) => [pair.columns, pair.metric]), [
    [[0, 1], 'CorrelationSimilarity'],
    [[0, 2], 'ContingencySimilarity'],
    [[1, 2], 'ContingencySimilarity'],
  ]);
  close(pairs[0]!.realCorrelation!, 1);
  assert.deepEqual(scores[0]!.columnScores, [1, 1, 1, null]);
  close(scores[0]!.columnShapes!, 1);
  close(scores[0]!.columnPairTrends!, 1);
});

test('the independent-columns baseline keeps shapes and breaks relations; the copula keeps both', () => {
  const training = linkedTable(2000, 1);
  const profile = profileColumns(header, training);
  const independent = sampleIndependentColumns(training, header.length, 2000, evaluationRandom(7));
  const random = evaluationRandom(8);
  const copula = sampleGaussianCopula(fitGaussianCopula(profile, training, random), 2000, random);
  const { scores } = scoreQuality(profile, encodeTable(profile, training), [independent, copula].map((records) => encodeTable(profile, records)));
  const [ind, cop] = scores;
  // shapes: resampled values of the same training part
  assert.ok(ind!.columnShapes! > 0.95 && cop!.columnShapes! > 0.95, `${ind!.columnShapes} ${cop!.columnShapes}`);
  // independent: r ≈ 0 where the real r = 1, so CorrelationSimilarity ≈ 0.5
  assert.ok(Math.abs(ind!.pairScores[0]! - 0.5) < 0.05, `independent ${ind!.pairScores[0]}`);
  // the copula's correlation of normal scores is 1, so y follows x
  assert.ok(cop!.pairScores[0]! > 0.99, `copula ${cop!.pairScores[0]}`);
  assert.ok(cop!.columnPairTrends! > ind!.columnPairTrends! + 0.2, `${cop!.columnPairTrends} vs ${ind!.columnPairTrends}`);
  // every value the baselines write is a training value of that column (empirical marginals)
  for (let c = 0; c < 3; c++) {
    const seen = new Set(training.map((r) => r[c]));
    assert.ok(copula.every((r) => seen.has(r[c])) && independent.every((r) => seen.has(r[c])));
  }
});

test('the copula samples the same records for the same seed', () => {
  const training = linkedTable(300, 2);
  const profile = profileColumns(header, training);
  const draw = () => {
    const random = evaluationRandom(42);
    return sampleGaussianCopula(fitGaussianCopula(profile, training, random), 50, random);
  };
  assert.deepEqual(draw(), draw());
});

test('correlation of normal scores is 1 on the diagonal and 0 for a constant column', () => {
  // rows (1, 5), (2, 5), (3, 5): column 2 is constant
  const matrix = correlationMatrix(f64([1, 5, 2, 5, 3, 5]), 3, 2);
  assert.deepEqual([...matrix], [1, 0, 0, 1]);
});

test('the normal CDF and quantile match tabulated values and invert each other', () => {
  close(normalCdf(0), 0.5, 1e-7);
  close(normalCdf(1.959963984540054), 0.975, 1e-7);
  close(normalCdf(-3), 0.0013498980316301, 1e-8);
  close(normalQuantile(0.975), 1.959963984540054, 1e-8);
  close(normalQuantile(1e-9), -5.997807015, 1e-6);
  for (const p of [1e-6, 0.01, 0.3, 0.5, 0.77, 0.999]) close(normalCdf(normalQuantile(p)), p, 2e-7 * Math.max(p, 1e-3));
});
