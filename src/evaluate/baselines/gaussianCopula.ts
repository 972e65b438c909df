import type { ColumnProfile } from '../quality/columnProfile.js';
import { isContinuous, numberOf } from '../metrics/fieldKind.js';
import { normalSource } from '../../random/seededRandom.js';
import { normalCdf, normalQuantile } from './normalDistribution.js';

/**
 * The "Gaussian copula" baseline, after SDV's GaussianCopulaSynthesizer (Copulas'
 * GaussianMultivariate) with empirical marginals:
 * - each scored column becomes a uniform u per training row: the row's value owns the interval
 *   [F(v⁻), F(v)] of the empirical CDF and u is drawn inside it — for a categorical column this is
 *   RDT's UniformEncoder (categories in order of first appearance, intervals by frequency), for a
 *   numeric one it spreads ties; blanks of a numeric column sort below every number;
 * - normal scores z = Φ⁻¹(u) (clipped like Copulas' EPSILON), one Pearson correlation matrix of z;
 * - sampling draws z ~ N(0, Σ), u = Φ(z), and maps u back through the empirical marginal, so every
 *   value it writes is a training value of that column.
 * Unique-ish text columns are not part of the copula (SDV models ids and PII apart too); they are
 * resampled independently.
 */
export interface GaussianCopula {
  /** Per field: training values in marginal order (copula columns), or undefined (resampled). */
  marginals: (string[] | undefined)[];
  /** Indexes of the copula columns, in the order of the correlation matrix. */
  copulaColumns: number[];
  /** Lower-triangular Cholesky factor of the correlation matrix, row-major d × d. */
  cholesky: Float64Array;
  /** The fitted correlation matrix (row-major d × d), for the report and tests. */
  correlation: Float64Array;
  training: readonly (readonly string[])[];
}

const EPSILON = 1e-9;

export function fitGaussianCopula(profile: readonly ColumnProfile[], training: readonly (readonly string[])[], uniform: () => number): GaussianCopula {
  const n = training.length;
  const copulaColumns = profile.flatMap((column, c) => (column.kind === 'shape' ? [] : [c]));
  const d = copulaColumns.length;
  const scores = new Float64Array(n * d);
  const marginals: (string[] | undefined)[] = profile.map(() => undefined);
  copulaColumns.forEach((c, k) => {
    const keys = marginalKeys(profile[c]!, training.map((record) => record[c] ?? ''));
    const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => keys[i]! - keys[j]! || i - j);
    marginals[c] = order.map((i) => training[i]![c] ?? '');
    for (let start = 0; start < n; ) {
      let end = start + 1;
      while (end < n && keys[order[end]!] === keys[order[start]!]) end++;
      for (let p = start; p < end; p++) {
        const u = (start + uniform() * (end - start)) / n;
        scores[order[p]! * d + k] = normalQuantile(Math.min(1 - EPSILON, Math.max(EPSILON, u)));
      }
      start = end;
    }
  });
  const correlation = correlationMatrix(scores, n, d);
  return { marginals, copulaColumns, correlation, cholesky: choleskyWithJitter(correlation, d), training };
}

/** `rows` records drawn from the copula with the given uniform source. */
export function sampleGaussianCopula(model: GaussianCopula, rows: number, uniform: () => number): string[][] {
  const { marginals, copulaColumns, cholesky, training } = model;
  const d = copulaColumns.length;
  const n = training.length;
  if (n === 0) return [];
  const normal = normalSource(uniform);
  const resampled = marginals.flatMap((marginal, c) => (marginal ? [] : [c]));
  const e = new Float64Array(d);
  const records: string[][] = [];
  for (let r = 0; r < rows; r++) {
    const fields = new Array<string>(marginals.length);
    for (const c of resampled) fields[c] = training[Math.floor(uniform() * n)]![c] ?? '';
    for (let k = 0; k < d; k++) e[k] = normal();
    for (let k = 0; k < d; k++) {
      let z = 0;
      for (let m = 0; m <= k; m++) z += cholesky[k * d + m]! * e[m]!;
      const index = Math.min(n - 1, Math.floor(normalCdf(z) * n));
      const c = copulaColumns[k]!;
      fields[c] = marginals[c]![index]!;
    }
    records.push(fields);
  }
  return records;
}

/** Sort keys of the marginal order: numbers (blank lowest), or categories by first appearance. */
function marginalKeys(column: ColumnProfile, values: readonly string[]): Float64Array {
  const keys = new Float64Array(values.length);
  if (isContinuous(column.kind)) {
    values.forEach((value, i) => (keys[i] = numberOf(column, value) ?? -Infinity));
    return keys;
  }
  const firstSeen = new Map<string, number>();
  values.forEach((value, i) => {
    if (!firstSeen.has(value)) firstSeen.set(value, firstSeen.size);
    keys[i] = firstSeen.get(value)!;
  });
  return keys;
}

/** Pearson correlation matrix of the n × d row-major scores; a constant column correlates 0 (Copulas' nan_to_num). */
export function correlationMatrix(scores: Float64Array, n: number, d: number): Float64Array {
  const means = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) means[k]! += scores[i * d + k]! / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      const x = scores[i * d + k]! - means[k]!;
      for (let m = 0; m <= k; m++) cov[k * d + m]! += x * (scores[i * d + m]! - means[m]!);
    }
  }
  const correlation = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    correlation[k * d + k] = 1;
    for (let m = 0; m < k; m++) {
      const denominator = Math.sqrt(cov[k * d + k]! * cov[m * d + m]!);
      const r = denominator > 0 ? cov[k * d + m]! / denominator : 0;
      correlation[k * d + m] = r;
      correlation[m * d + k] = r;
    }
  }
  return correlation;
}

/** Cholesky factor of a correlation matrix; a singular one gets a growing ridge on its diagonal, as in Copulas. */
export function choleskyWithJitter(matrix: Float64Array, d: number): Float64Array {
  for (let ridge = 0; ; ridge = ridge === 0 ? 1e-10 : ridge * 10) {
    const factor = cholesky(matrix, d, ridge);
    if (factor) return factor;
    if (ridge > 1) throw new Error('correlation matrix is not positive semi-definite');
  }
}

function cholesky(matrix: Float64Array, d: number, ridge: number): Float64Array | undefined {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * d + j]! + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) sum -= L[i * d + k]! * L[j * d + k]!;
      if (i === j) {
        if (!(sum > 0)) return undefined;
        L[i * d + i] = Math.sqrt(sum);
      } else {
        L[i * d + j] = sum / L[j * d + j]!;
      }
    }
  }
  return L;
}
