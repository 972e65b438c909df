/** One generated candidate as the validators and writers see it. */
export interface GeneratedRecord {
  /** Candidate index k (its place in the deterministic candidate order). */
  index: number;
  /** The record as one line: the text for text models, the CSV row (no header) for delimited ones. */
  text: string;
  /** The record's fields: one field (the text) for text models. */
  fields: string[];
}

export type Verdict = { readonly valid: true } | { readonly valid: false; readonly reason: string };

/** Shared so that accepting a record allocates nothing. */
export const VALID: Verdict = Object.freeze({ valid: true });

export function invalid(reason: string): Verdict {
  return { valid: false, reason };
}

/** A synchronous built-in check. */
export type RecordCheck = (record: GeneratedRecord) => Verdict;
