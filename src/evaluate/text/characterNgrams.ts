/**
 * Character n-gram similarity of two sets of text records: 1 − total variation distance between
 * their n-gram frequencies, over the most frequent n-grams of either side with the rest pooled.
 */

/** N-grams kept by name per side; the union of both sides' top lists is compared, the rest pooled. */
export const TOP_NGRAMS = 1000;
/** The orders compared (the n = 1..3). */
export const NGRAM_ORDERS = [1, 2, 3] as const;

/** Marks a record's start and end for n ≥ 2, so how words and lines begin and end is compared too. */
export const RECORD_START = '\u0002';
export const RECORD_END = '\u0003';

export interface NgramCounts {
  counts: Map<string, number>;
  total: number;
}

/**
 * Counts of every n-gram of code points. For n = 1 the record's own characters; for n ≥ 2 the
 * record framed by one start and one end mark ("ab" → "\u0002a", "ab", "b\u0003" for n = 2).
 */
export function ngramCounts(records: readonly string[], n: number): NgramCounts {
  const counts = new Map<string, number>();
  let total = 0;
  for (const record of records) {
    const chars = n === 1 ? Array.from(record) : [RECORD_START, ...record, RECORD_END];
    for (let i = 0; i + n <= chars.length; i++) {
      // Concatenation, not slice().join(): this loop runs once per character of up to 50,000 records.
      let gram = chars[i]!;
      for (let k = 1; k < n; k++) gram += chars[i + k]!;
      counts.set(gram, (counts.get(gram) ?? 0) + 1);
    }
    total += Math.max(0, chars.length - n + 1);
  }
  return { counts, total };
}

/** The k most frequent n-grams (ties in first-seen order). */
export function topNgrams(counts: NgramCounts, k = TOP_NGRAMS): string[] {
  return [...counts.counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([gram]) => gram);
}

/**
 * 1 − TV(p, q) with TV = ½ Σ_{g ∈ S} |p(g) − q(g)| + ½ |p(rest) − q(rest)|, S the union of the top
 * `k` n-grams of each side and "rest" every other n-gram pooled into one bin (as categories beyond
 * the top 20 are pooled in TVComplement). 0 when either side has no n-gram.
 */
export function ngramSimilarity(real: NgramCounts, synthetic: NgramCounts, k = TOP_NGRAMS, realTop = topNgrams(real, k)): number {
  if (real.total === 0 || synthetic.total === 0) return 0;
  const compared = new Set([...realTop, ...topNgrams(synthetic, k)]);
  let distance = 0;
  let realRest = 1;
  let syntheticRest = 1;
  for (const gram of compared) {
    const p = (real.counts.get(gram) ?? 0) / real.total;
    const q = (synthetic.counts.get(gram) ?? 0) / synthetic.total;
    distance += Math.abs(p - q);
    realRest -= p;
    syntheticRest -= q;
  }
  distance += Math.abs(Math.max(0, realRest) - Math.max(0, syntheticRest));
  return Math.max(0, Math.min(1, 1 - distance / 2));
}
