import type { Distribution } from '../report.js';
import { countValues } from './distance.js';
import { OTHER, TOP_K } from './fieldKind.js';

const HISTOGRAM_BINS = 20;

/**
 * Plot data for numbers (undefined = blank or non-numeric). Few distinct real values (a rating, a
 * flag, a count) get one bar each; otherwise equal-width bins over the real range.
 */
export function numericDistribution(real: readonly (number | undefined)[], synthetic: readonly (number | undefined)[]): Distribution {
  const realNumbers = real.filter(isNumber);
  const syntheticNumbers = synthetic.filter(isNumber);
  const nonNumeric = {
    real: share(real.length - realNumbers.length, real.length),
    synthetic: share(synthetic.length - syntheticNumbers.length, synthetic.length),
  };
  const distinct = [...new Set(realNumbers)].sort((a, b) => a - b);
  if (distinct.length > 0 && distinct.length <= TOP_K) {
    const labels = distinct.map(String);
    const bars = categoricalDistribution(realNumbers.map(String), syntheticNumbers.map(String), labels, real.length, synthetic.length);
    return { ...bars, nonNumeric };
  }
  const low = distinct[0] ?? 0;
  const high = distinct[distinct.length - 1] ?? 1;
  const width = (high - low) / HISTOGRAM_BINS;
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => (i === HISTOGRAM_BINS ? high : low + i * width));
  const binOf = (x: number): number => Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor((x - low) / width)));
  const histogram = (numbers: number[], total: number): number[] => {
    const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
    for (const x of numbers) counts[binOf(x)]!++;
    return counts.map((n) => share(n, total));
  };
  return { kind: 'histogram', edges, real: histogram(realNumbers, real.length), synthetic: histogram(syntheticNumbers, synthetic.length), nonNumeric };
}

/**
 * Plot data for categories: the given labels (the real data's top values) and an "other" bar for
 * everything else, as shares of `realTotal` / `syntheticTotal` values.
 */
export function categoricalDistribution(
  real: readonly string[],
  synthetic: readonly string[],
  labels: readonly string[],
  realTotal = real.length,
  syntheticTotal = synthetic.length,
): Extract<Distribution, { kind: 'bars' }> {
  const realCounts = countValues(real);
  const syntheticCounts = countValues(synthetic);
  const realShares = labels.map((label) => share(realCounts.get(label) ?? 0, realTotal));
  const syntheticShares = labels.map((label) => share(syntheticCounts.get(label) ?? 0, syntheticTotal));
  const realOther = share(real.length, realTotal) - sum(realShares);
  const syntheticOther = share(synthetic.length, syntheticTotal) - sum(syntheticShares);
  if (realOther > 1e-12 || syntheticOther > 1e-12) {
    return { kind: 'bars', labels: [...labels, OTHER], real: [...realShares, Math.max(0, realOther)], synthetic: [...syntheticShares, Math.max(0, syntheticOther)] };
  }
  return { kind: 'bars', labels: [...labels], real: realShares, synthetic: syntheticShares };
}

/** The k most frequent values, most frequent first (ties in first-seen order). */
export function topValues(values: readonly string[], k = TOP_K): string[] {
  return [...countValues(values).entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([value]) => value);
}

function isNumber(x: number | undefined): x is number {
  return x !== undefined;
}

function share(n: number, total: number): number {
  return total === 0 ? 0 : n / total;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
