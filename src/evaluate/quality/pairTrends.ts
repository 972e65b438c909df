/**
 * Column Pair Trends, per pair, as SDMetrics defines them: CorrelationSimilarity
 * 1 − |r_real − r_synthetic| / 2 (Pearson) for two numeric columns, ContingencySimilarity
 * 1 − TVD of the joint distribution otherwise (numeric columns binned, see quantileBins.ts).
 */

/** Pearson's r over the rows where both values are present; NaN when it is undefined (constant or < 2 rows). */
export function pearson(x: Float64Array, y: Float64Array): number {
  let n = 0;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i]!;
    const b = y[i]!;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    n++;
    meanX += (a - meanX) / n;
    meanY += (b - meanY) / n;
  }
  if (n < 2) return NaN;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i]!;
    const b = y[i]!;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    sxx += (a - meanX) * (a - meanX);
    syy += (b - meanY) * (b - meanY);
    sxy += (a - meanX) * (b - meanY);
  }
  if (sxx === 0 || syy === 0) return NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * 1 − |r_real − r_synthetic| / 2. A synthetic correlation that is undefined (a constant column) counts
 * as 0, so a model cannot escape the pair by generating one value; SDMetrics errors out instead.
 */
export function correlationSimilarity(realR: number, syntheticR: number): number {
  return 1 - Math.abs(realR - (Number.isNaN(syntheticR) ? 0 : syntheticR)) / 2;
}

/** Above this many cells the joint counts go in a Map instead of a dense array. */
const DENSE_CELLS = 1 << 22;

/** The real side of a contingency table, counted once and compared with many synthetic tables. */
export interface JointCounts {
  levelsB: number;
  total: number;
  dense?: Float64Array;
  sparse?: Map<number, number>;
}

/** Counts of each (a, b) code pair. */
export function jointCounts(a: Int32Array, b: Int32Array, levelsA: number, levelsB: number): JointCounts {
  const total = a.length;
  if (levelsA * levelsB <= DENSE_CELLS) {
    const dense = new Float64Array(levelsA * levelsB);
    for (let i = 0; i < total; i++) dense[a[i]! * levelsB + b[i]!]!++;
    return { levelsB, total, dense };
  }
  const sparse = new Map<number, number>();
  for (let i = 0; i < total; i++) {
    const cell = a[i]! * levelsB + b[i]!;
    sparse.set(cell, (sparse.get(cell) ?? 0) + 1);
  }
  return { levelsB, total, sparse };
}

/**
 * 1 − TVD between the real joint distribution and that of the synthetic codes, computed as
 * Σ min(p, q) over the cells the synthetic rows touch (TVD = 1 − Σ min(p, q) for two distributions).
 * `scratch` must be all zeros with as many cells as the real dense table; it is left all zeros.
 */
export function contingencySimilarity(real: JointCounts, a: Int32Array, b: Int32Array, scratch?: Float64Array): number {
  const n = a.length;
  if (n === 0 || real.total === 0) return 0;
  const { levelsB } = real;
  let overlap = 0;
  if (real.dense && scratch) {
    for (let i = 0; i < n; i++) scratch[a[i]! * levelsB + b[i]!]!++;
    for (let i = 0; i < n; i++) {
      const cell = a[i]! * levelsB + b[i]!;
      const count = scratch[cell]!;
      if (count === 0) continue;
      overlap += Math.min(real.dense[cell]! / real.total, count / n);
      scratch[cell] = 0;
    }
    return Math.min(1, overlap);
  }
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const cell = a[i]! * levelsB + b[i]!;
    counts.set(cell, (counts.get(cell) ?? 0) + 1);
  }
  for (const [cell, count] of counts) {
    const realCount = real.dense ? real.dense[cell]! : (real.sparse!.get(cell) ?? 0);
    overlap += Math.min(realCount / real.total, count / n);
  }
  return Math.min(1, overlap);
}
