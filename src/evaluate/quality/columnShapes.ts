/**
 * Column Shapes, per column, as SDMetrics defines them: KSComplement (1 − the two-sample
 * Kolmogorov–Smirnov statistic) for numeric columns, TVComplement (1 − total variation distance of
 * the category frequencies) for categorical ones. Where SDMetrics drops missing values, blanks count
 * here: a point mass below every number, or a category of their own (see docs/evaluate.md).
 */

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
