import type { Message } from '../errors.js';
import type { FieldValue } from '../schema/typedValue.js';

/** One generated candidate as the validators see it. */
export interface GeneratedRecord {
  /** Candidate index k (its place in the deterministic candidate order). */
  index: number;
  /** The record as one line: the text for text models, the CSV row (no header) for delimited ones. */
  text: string;
  /** The record's fields: one field (the text) for text models. */
  fields: string[];
}

/** A judged record with its fields typed once by the run's schema (schema/typedValue.ts), for writers and the API. */
export interface TypedRecord extends GeneratedRecord {
  values: FieldValue[];
}

/** A rejected record's reason is a Message, as warnings are: the API and the CLI each name options their way. */
export type Verdict = { readonly valid: true } | { readonly valid: false; readonly reason: Message };

/** Shared so that accepting a record allocates nothing. */
export const VALID: Verdict = Object.freeze({ valid: true });

export function invalid(reason: string | Message): Verdict {
  return { valid: false, reason: typeof reason === 'string' ? [reason] : reason };
}

/** A synchronous built-in check. */
export type RecordCheck = (record: GeneratedRecord) => Verdict;
