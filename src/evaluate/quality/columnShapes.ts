/**
 * Column Shapes, per column, as SDMetrics defines them: KSComplement (1 − the two-sample
 * Kolmogorov–Smirnov statistic) for numeric columns, TVComplement (1 − total variation distance of
 * the category frequencies) for categorical ones. Where SDMetrics drops missing values, blanks count
 * here: a point mass below every number, or a category of their own (see docs/evaluate.md).
 */

/** Sorted numbers of a numeric column with NaN (blank) as -Infinity, ready for ksComplementSorted. */
export function sortedForKs(values: Float64Array): Float64Array {
  const sorted = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) sorted[i] = Number.isNaN(values[i]!) ? -Infinity : values[i]!;
  return sorted.sort();
}

/** 1 − the largest gap between the empirical CDFs of two ascending samples (0 when one is empty). */
export function ksComplementSorted(x: Float64Array, y: Float64Array): number {
  if (x.length === 0 || y.length === 0) return 0;
  let i = 0;
  let j = 0;
  let largest = 0;
  while (i < x.length && j < y.length) {
    const value = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= value) i++;
    while (j < y.length && y[j]! <= value) j++;
    largest = Math.max(largest, Math.abs(i / x.length - j / y.length));
  }
  return 1 - largest;
}

/** Frequencies of each code (0 … levels − 1). */
export function codeCounts(codes: Int32Array, levels: number): Float64Array {
  const counts = new Float64Array(levels);
  for (let i = 0; i < codes.length; i++) counts[codes[i]!]!++;
  return counts;
}

/** 1 − total variation distance between two code-count tables = Σ min(p, q) (0 when one is empty). */
export function tvComplement(real: Float64Array, synthetic: Float64Array): number {
  const realTotal = sum(real);
  const syntheticTotal = sum(synthetic);
  if (realTotal === 0 || syntheticTotal === 0) return 0;
  let overlap = 0;
  for (let k = 0; k < real.length; k++) overlap += Math.min(real[k]! / realTotal, synthetic[k]! / syntheticTotal);
  return Math.min(1, overlap);
}

function sum(xs: Float64Array): number {
  let total = 0;
  for (let i = 0; i < xs.length; i++) total += xs[i]!;
  return total;
}
