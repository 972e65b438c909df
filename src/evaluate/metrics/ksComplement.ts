/** The two-sample Kolmogorov–Smirnov comparison the quality score, the text measures and the distances share. */

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
