import type { ColumnProfile } from './columnProfile.js';

/**
 * Text Agreement: does a free-text field repeat what the other fields of its record say (an email
 * holding the record's name, an airport name holding its city)? Column Shapes and Pair Trends leave
 * free text out, so without this a model whose emails contradict their names loses nothing.
 * Which pairs count is learned from the real training part alone, never from column names.
 */

/** A pair is listed when at least this share of real training records agrees (the 20%). */
export const AGREEMENT_MIN_SHARE = 0.2;

/** A free-text field and another field whose value the real text often contains. */
export interface AgreementPair {
  /** Index of the free-text field (kind `shape`). */
  text: number;
  /** Index of the other field. */
  other: number;
  /** Share of real training records whose text contains the other field's value. */
  real: number;
}

/** One set's agreement on one pair: score = 1 − |real − synthetic|. */
export interface AgreementScore {
  score: number;
  real: number;
  synthetic: number;
}

/** Lower case, letters and digits only: "Smith-Jones" and "smithjones@x.com" compare as "smithjones". */
export function normalizeForAgreement(value: string): string {
  return value.toLowerCase().replace(NOT_LETTER_OR_DIGIT, '');
}

const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]/gu;

type Records = readonly (readonly string[])[];

/**
 * Per field, every record's normalized value, computed once per set and reused by every pair; only
 * the `fields` asked for (sparse otherwise), as a wide table may list pairs over a few of its fields.
 */
export function normalizedColumns(records: Records, fields: Iterable<number>): string[][] {
  const columns: string[][] = [];
  for (const c of fields) columns[c] ??= records.map((record) => normalizeForAgreement(record[c] ?? ''));
  return columns;
}

/**
 * Share of records whose normalized text contains the normalized other value. A blank other value
 * never counts: the empty string is inside every text and would agree by definition.
 */
export function containmentShare(columns: readonly (readonly string[])[], text: number, other: number): number {
  const texts = columns[text]!;
  const others = columns[other]!;
  if (texts.length === 0) return 0;
  let agreeing = 0;
  for (let r = 0; r < texts.length; r++) {
    const value = others[r]!;
    if (value !== '' && texts[r]!.includes(value)) agreeing++;
  }
  return agreeing / texts.length;
}

/**
 * Every (free-text field, other field) pair whose real share reaches `minShare`, in column order;
 * a conditioned field takes part in none (the condition, not the model, decides its value).
 */
export function agreementPairs(profile: readonly ColumnProfile[], training: Records, minShare = AGREEMENT_MIN_SHARE): AgreementPair[] {
  const texts = profile.flatMap((column, c) => (column.kind === 'shape' && !column.conditioned ? [c] : []));
  if (texts.length === 0 || profile.length < 2) return [];
  const columns = normalizedColumns(training, profile.keys());
  const pairs: AgreementPair[] = [];
  for (const text of texts) {
    for (let other = 0; other < profile.length; other++) {
      if (other === text || profile[other]!.conditioned) continue;
      const real = containmentShare(columns, text, other);
      if (real >= minShare) pairs.push({ text, other, real });
    }
  }
  return pairs;
}

/** One set's agreement on each pair, against the real shares the pairs were chosen by. */
export function scoreAgreement(pairs: readonly AgreementPair[], records: Records): AgreementScore[] {
  if (pairs.length === 0) return [];
  const columns = normalizedColumns(records, pairs.flatMap((pair) => [pair.text, pair.other]));
  return pairs.map((pair) => {
    const synthetic = containmentShare(columns, pair.text, pair.other);
    return { score: 1 - Math.abs(pair.real - synthetic), real: pair.real, synthetic };
  });
}

/** Mean of the pair scores; null when no pair is listed. */
export function meanAgreement(scores: readonly AgreementScore[]): number | null {
  return scores.length === 0 ? null : scores.reduce((total, pair) => total + pair.score, 0) / scores.length;
}
