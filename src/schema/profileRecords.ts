import { dateKey, detectDateFormat, parseDate } from './dateFormat.js';
import type { FieldSchema, RecordSchema } from './schema.js';

/**
 * A field is a closed set when it has at most this many distinct values and each value appears
 * on average at least CLOSED_SET_MIN_MEAN_COUNT times, i.e. the values seen cover the data and a
 * new one would be a misspelling rather than a new name. Overridable with `synth train
 * --closed-set-max N` (0 turns closed sets off). 100 keeps first and last names of a 3,000-row
 * table (64 and 50 values) while e-mail addresses and ids (one value per row) stay free text.
 */
export const DEFAULT_CLOSED_SET_MAX_VALUES = 100;
export const CLOSED_SET_MIN_MEAN_COUNT = 10;

const BOOLEAN_PAIRS = [['true', 'false'], ['True', 'False'], ['TRUE', 'FALSE'], ['yes', 'no'], ['Yes', 'No'], ['YES', 'NO'], ['Y', 'N'], ['y', 'n'], ['t', 'f']] as const;
const INTEGER = /^-?(0|[1-9]\d*)$/;
const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;

export interface ProfileOptions {
  closedSetMaxValues?: number;
}

/** Profiles every field of the training records; `names` is the header (or ["text"] for a text model). */
export function profileRecords(records: readonly (readonly string[])[], names: readonly string[], options: ProfileOptions = {}): RecordSchema {
  const closedSetMaxValues = options.closedSetMaxValues ?? DEFAULT_CLOSED_SET_MAX_VALUES;
  const fields = names.map((name, i) => profileField(name, records.map((r) => r[i] ?? ''), closedSetMaxValues));
  return { fields, closedSetMaxValues };
}

/** The schema of one field from all its training values. */
export function profileField(name: string, values: readonly string[], closedSetMaxValues: number): FieldSchema {
  const counts = new Map<string, number>();
  let blanks = 0;
  let minLength = Infinity;
  let maxLength = 0;
  const chars = new Set<string>();
  for (const value of values) {
    if (value === '') {
      blanks++;
      continue;
    }
    counts.set(value, (counts.get(value) ?? 0) + 1);
    const length = [...value].length;
    minLength = Math.min(minLength, length);
    maxLength = Math.max(maxLength, length);
    for (const ch of value) chars.add(ch);
  }
  const nonBlank = values.length - blanks;
  const distinct = [...counts.keys()];
  const base: FieldSchema = {
    name,
    kind: 'text',
    blankShare: values.length === 0 ? 0 : round(blanks / values.length),
    repeats: distinct.length < nonBlank,
    distinct: distinct.length,
    minLength: nonBlank === 0 ? 0 : minLength,
    maxLength,
    chars: [...chars].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!).join(''),
  };
  if (nonBlank === 0) return base;

  const pair = BOOLEAN_PAIRS.find((p) => distinct.every((v) => (p as readonly string[]).includes(v)));
  if (pair) return { ...base, kind: 'boolean', values: [...pair] };
  if (distinct.length <= closedSetMaxValues && distinct.length * CLOSED_SET_MIN_MEAN_COUNT <= nonBlank) {
    return { ...base, kind: 'set', values: distinct };
  }

  const format = detectDateFormat(distinct);
  if (format) {
    const keyed = distinct.map((v) => ({ v, key: dateKey(parseDate(v, format)!) })).sort((a, b) => a.key - b.key);
    return { ...base, kind: format.includes('HH') ? 'datetime' : 'date', format, min: keyed[0]!.v, max: keyed[keyed.length - 1]!.v };
  }
  if (distinct.every((v) => INTEGER.test(v) && Number.isSafeInteger(Number(v)))) {
    return { ...base, kind: 'integer', ...numericRange(distinct) };
  }
  if (distinct.every((v) => DECIMAL.test(v))) {
    const scale = distinct.reduce((most, v) => Math.max(most, v.includes('.') ? v.length - v.indexOf('.') - 1 : 0), 0);
    return { ...base, kind: 'decimal', scale, ...numericRange(distinct) };
  }
  return base;
}

/** Loops, not Math.min(...values): a field may have more distinct values than the stack has room for. */
function numericRange(values: readonly string[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    const n = Number(v);
    if (n < min) min = n;
    if (n > max) max = n;
  }
  return { min, max };
}

function round(share: number): number {
  return Math.round(share * 1e6) / 1e6;
}
