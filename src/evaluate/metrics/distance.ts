import { ksComplementSorted } from './ksComplement.js';

/**
 * Distances between two samples, each in [0, 1]: 0 when the samples have the same distribution,
 * 1 when they share nothing.
 */

/**
 * Two-sample Kolmogorov–Smirnov statistic: the largest gap between the two empirical CDFs.
 * Ties are handled by stepping both CDFs past a value together; -Infinity is a valid value
 * (callers use it for missing entries, a point mass below every number).
 */
export function ksStatistic(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  return 1 - ksComplementSorted(Float64Array.from(a).sort(), Float64Array.from(b).sort());
}

/** Counts of each string. */
export function countValues(values: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
