import { isContinuous } from '../metrics/fieldKind.js';
import type { ColumnProfile, EncodedTable } from './columnProfile.js';
import { ksComplementSorted, sortedForKs } from '../metrics/ksComplement.js';
import { codeCounts, tvComplement } from './columnShapes.js';
import { contingencySimilarity, correlationSimilarity, jointCounts, pearson } from './pairTrends.js';

export type ShapeMetric = 'KSComplement' | 'TVComplement';
export type PairMetric = 'CorrelationSimilarity' | 'ContingencySimilarity';

/** A scored column pair (indexes into the profile), with the real side of its statistic. */
export interface PairInfo {
  columns: [number, number];
  metric: PairMetric;
  /** Pearson's r of the real training part (CorrelationSimilarity pairs only). */
  realCorrelation?: number;
}

/** One synthetic table's Column Shapes and Column Pair Trends against the real reference. */
export interface QualityScores {
  /** Per profile column; null for columns left out (unique-ish text). */
  columnScores: (number | null)[];
  /** Per pair of `pairs`; null where the real statistic is undefined (a constant real column). */
  pairScores: (number | null)[];
  /** Per pair: the synthetic Pearson r for CorrelationSimilarity pairs, else null. */
  pairCorrelations: (number | null)[];
  /** Mean of the non-null column scores (null when no column is scored). */
  columnShapes: number | null;
  /** Mean of the non-null pair scores (null when there are fewer than two scored columns). */
  columnPairTrends: number | null;
}

/** The metric a column is scored with, or null when it is left out. */
export function shapeMetric(column: ColumnProfile): ShapeMetric | null {
  if (column.key || column.conditioned) return null;
  return isContinuous(column.kind) ? 'KSComplement' : column.kind === 'categorical' ? 'TVComplement' : null;
}

/** Every pair of scored columns, in column order, with the metric SDMetrics' Column Pair Trends uses. */
export function columnPairs(profile: readonly ColumnProfile[]): PairInfo[] {
  const scored = profile.flatMap((column, i) => (shapeMetric(column) ? [i] : []));
  const pairs: PairInfo[] = [];
  for (let x = 0; x < scored.length; x++) {
    for (let y = x + 1; y < scored.length; y++) {
      const a = scored[x]!;
      const b = scored[y]!;
      const bothNumeric = isContinuous(profile[a]!.kind) && isContinuous(profile[b]!.kind);
      pairs.push({ columns: [a, b], metric: bothNumeric ? 'CorrelationSimilarity' : 'ContingencySimilarity' });
    }
  }
  return pairs;
}

/**
 * Scores several synthetic tables against one real reference, pair by pair, so each real joint table
 * is counted once and only one pair's tables are in memory at a time.
 */
export function scoreQuality(
  profile: readonly ColumnProfile[],
  reference: EncodedTable,
  candidates: readonly EncodedTable[],
): { pairs: PairInfo[]; scores: QualityScores[] } {
  const columnScores = candidates.map(() => profile.map((): number | null => null));
  profile.forEach((column, c) => {
    if (!shapeMetric(column)) return;
    if (isContinuous(column.kind)) {
      const real = sortedForKs(reference.columns[c]!.values!);
      candidates.forEach((table, t) => (columnScores[t]![c] = ksComplementSorted(real, sortedForKs(table.columns[c]!.values!))));
    } else if (column.kind === 'categorical') {
      const real = codeCounts(reference.columns[c]!.codes!, column.levels);
      candidates.forEach((table, t) => (columnScores[t]![c] = tvComplement(real, codeCounts(table.columns[c]!.codes!, column.levels))));
    }
  });

  const pairs = columnPairs(profile);
  const pairScores = candidates.map(() => pairs.map((): number | null => null));
  const pairCorrelations = candidates.map(() => pairs.map((): number | null => null));
  let scratch: Float64Array | undefined;
  pairs.forEach((pair, p) => {
    const [a, b] = pair.columns;
    if (pair.metric === 'CorrelationSimilarity') {
      const realR = pearson(reference.columns[a]!.values!, reference.columns[b]!.values!);
      if (Number.isNaN(realR)) return;
      pair.realCorrelation = realR;
      candidates.forEach((table, t) => {
        const r = pearson(table.columns[a]!.values!, table.columns[b]!.values!);
        pairCorrelations[t]![p] = Number.isNaN(r) ? null : r;
        pairScores[t]![p] = table.rows === 0 ? 0 : correlationSimilarity(realR, r);
      });
      return;
    }
    const levelsA = profile[a]!.levels;
    const levelsB = profile[b]!.levels;
    const real = jointCounts(reference.columns[a]!.codes!, reference.columns[b]!.codes!, levelsA, levelsB);
    if (real.dense && (!scratch || scratch.length < real.dense.length)) scratch = new Float64Array(real.dense.length);
    candidates.forEach((table, t) => {
      pairScores[t]![p] = contingencySimilarity(real, table.columns[a]!.codes!, table.columns[b]!.codes!, real.dense ? scratch : undefined);
    });
  });

  const scores = candidates.map((_, t) => ({
    columnScores: columnScores[t]!,
    pairScores: pairScores[t]!,
    pairCorrelations: pairCorrelations[t]!,
    columnShapes: meanOfScored(columnScores[t]!),
    columnPairTrends: meanOfScored(pairScores[t]!),
  }));
  return { pairs, scores };
}

function meanOfScored(scores: readonly (number | null)[]): number | null {
  let total = 0;
  let n = 0;
  for (const score of scores) {
    if (score === null) continue;
    total += score;
    n++;
  }
  return n === 0 ? null : total / n;
}
