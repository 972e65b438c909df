/**
 * Distances between two samples, each in [0, 1]: 0 when the samples have the same distribution,
 * 1 when they share nothing.
 */

/** Total variation distance between two count tables: half the sum of absolute share differences. */
export function totalVariationDistance(real: ReadonlyMap<string, number>, synthetic: ReadonlyMap<string, number>): number {
  const realTotal = sumCounts(real);
  const syntheticTotal = sumCounts(synthetic);
  if (realTotal === 0 && syntheticTotal === 0) return 0;
  // One empty side shares no mass with the other.
  if (realTotal === 0 || syntheticTotal === 0) return 1;
  let sum = 0;
  for (const key of new Set([...real.keys(), ...synthetic.keys()])) {
    sum += Math.abs((real.get(key) ?? 0) / realTotal - (synthetic.get(key) ?? 0) / syntheticTotal);
  }
  return Math.min(1, sum / 2);
}

/**
 * Two-sample Kolmogorov–Smirnov statistic: the largest gap between the two empirical CDFs.
 * Ties are handled by stepping both CDFs past a value together; -Infinity is a valid value
 * (callers use it for missing entries, a point mass below every number).
 */
export function ksStatistic(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  if (a.length === 0 || b.length === 0) return 1;
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let largest = 0;
  while (i < x.length && j < y.length) {
    const value = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= value) i++;
    while (j < y.length && y[j]! <= value) j++;
    largest = Math.max(largest, Math.abs(i / x.length - j / y.length));
  }
  // Once one side is exhausted its CDF is 1; the other's only rises towards 1 from here, so the
  // gap right after the last common step is already the largest remaining one.
  return largest;
}

/** Counts of each string. */
export function countValues(values: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

function sumCounts(counts: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const n of counts.values()) total += n;
  return total;
}
