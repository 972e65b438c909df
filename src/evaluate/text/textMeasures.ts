import { ksComplementSorted } from '../metrics/ksComplement.js';
import { NGRAM_ORDERS, ngramCounts, ngramSimilarity, topNgrams, type NgramCounts } from './characterNgrams.js';

/**
 * The quality measures of plain text (one record per line), where Column Shapes and Pair Trends
 * have nothing to score: how long records are, and which characters follow which. Whether records
 * copy training lines is the third measure; it is the exact-copy share every report has, and enters
 * the score through the privacy factor.
 */
export interface TextMeasures {
  /** KSComplement of characters per record; real and synthetic are the mean lengths. */
  recordLength: { score: number; real: number; synthetic: number };
  /** Mean over n = 1..3 of 1 − TV of the top character n-grams (characterNgrams.ts). */
  characterNgrams: { score: number; orders: { n: number; score: number }[] };
}

/** The real side, counted once and compared with every set. */
export interface TextReference {
  sortedLengths: Float64Array;
  meanLength: number;
  ngrams: { n: number; counts: NgramCounts; top: string[] }[];
}

export function textReference(training: readonly string[]): TextReference {
  const lengths = lengthsOf(training);
  return {
    sortedLengths: lengths.sort(),
    meanLength: mean(lengths),
    ngrams: NGRAM_ORDERS.map((n) => {
      const counts = ngramCounts(training, n);
      return { n, counts, top: topNgrams(counts) };
    }),
  };
}

/** The text measures of one set of records against the real training part. */
export function measureText(reference: TextReference, records: readonly string[]): TextMeasures {
  const lengths = lengthsOf(records);
  const orders = reference.ngrams.map(({ n, counts, top }) => ({ n, score: ngramSimilarity(counts, ngramCounts(records, n), undefined, top) }));
  return {
    recordLength: { score: ksComplementSorted(reference.sortedLengths, lengths.sort()), real: reference.meanLength, synthetic: mean(lengths) },
    characterNgrams: { score: mean(Float64Array.from(orders, (order) => order.score)), orders },
  };
}

/** The measures the text quality is the mean of (the copy share enters through privacy). */
export function textQualityMeasures(measures: TextMeasures): number[] {
  return [measures.recordLength.score, measures.characterNgrams.score];
}

function lengthsOf(records: readonly string[]): Float64Array {
  return Float64Array.from(records, (record) => [...record].length);
}

function mean(xs: Float64Array): number {
  let total = 0;
  for (let i = 0; i < xs.length; i++) total += xs[i]!;
  return xs.length === 0 ? 0 : total / xs.length;
}
