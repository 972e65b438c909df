import { isJsonObject, jsonPreview } from '../files/jsonPreview.js';
import { dateKey, isKnownFormat, isRealDate, parseDate } from './dateFormat.js';
import type { FieldKind, RecordSchema } from './schema.js';

const KINDS: readonly FieldKind[] = ['integer', 'decimal', 'date', 'datetime', 'boolean', 'set', 'text'];

/**
 * What is wrong with a schema read from JSON (synth.json's "schema" or a --schema-file), as
 * "fields[3].max: ..." naming the field, or null when it is usable for a model whose records
 * have the fields `names`.
 */
export function findSchemaProblem(value: unknown, names: readonly string[]): string | null {
  if (!isJsonObject(value)) return '(root): must be a JSON object with "fields"';
  if (!Array.isArray(value.fields)) return 'fields: must be a list with one entry per field';
  if (value.fields.length !== names.length) return `fields: has ${value.fields.length} entries; the model's records have ${names.length} fields`;
  if (value.closedSetMaxValues !== undefined && !(Number.isSafeInteger(value.closedSetMaxValues) && (value.closedSetMaxValues as number) >= 0)) {
    return 'closedSetMaxValues: must be a whole number, 0 or more';
  }
  for (let i = 0; i < names.length; i++) {
    const problem = fieldProblem(value.fields[i], names[i]!);
    if (problem) return `fields[${i}] (${JSON.stringify(names[i])}).${problem}`;
  }
  return value.neverTogether === undefined ? null : neverTogetherProblem(value.neverTogether, value.fields as { kind: FieldKind; values?: string[] }[]);
}

/** neverTogether: pairs of values of two closed-set fields. */
function neverTogetherProblem(list: unknown, fields: readonly { kind: FieldKind; values?: string[] }[]): string | null {
  if (!Array.isArray(list)) return 'neverTogether: must be a list of { "fields": [i, j], "values": [[a, b], ...] }';
  for (let k = 0; k < list.length; k++) {
    const entry: unknown = list[k];
    const at = `neverTogether[${k}]`;
    if (!isJsonObject(entry)) return `${at}: must be a JSON object with "fields" and "values"`;
    const pair = entry.fields;
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((i) => Number.isSafeInteger(i) && i >= 0 && i < fields.length) || pair[0] === pair[1]) {
      return `${at}.fields: must be two different field numbers from 0 to ${fields.length - 1}`;
    }
    const sets = (pair as number[]).map((i) => fields[i]!);
    const open = sets.findIndex((f) => f.kind !== 'set' && f.kind !== 'boolean');
    if (open >= 0) return `${at}.fields: field ${pair[open]} is not a set or boolean field`;
    if (!Array.isArray(entry.values)) return `${at}.values: must be a list of [value, value] pairs`;
    // A value the field no longer has (a closed set narrowed by hand) is allowed: it rules out
    // nothing the field could write, and editing one list should not mean editing two.
    for (const values of entry.values as unknown[]) {
      if (!Array.isArray(values) || values.length !== 2 || !values.every((v) => typeof v === 'string')) return `${at}.values: ${jsonPreview(values)} is not a [value, value] pair of strings`;
    }
  }
  return null;
}

/** Narrows a value findSchemaProblem accepted. */
export function asRecordSchema(value: unknown): RecordSchema {
  const schema = value as RecordSchema;
  return { ...schema, closedSetMaxValues: schema.closedSetMaxValues ?? 0 };
}

function fieldProblem(f: unknown, name: string): string | null {
  if (!isJsonObject(f)) return '(entry): must be a JSON object';
  if (f.name !== name) return `name: is ${jsonPreview(f.name)}, the model's field is ${JSON.stringify(name)}`;
  if (!KINDS.includes(f.kind as FieldKind)) return `kind: is ${jsonPreview(f.kind)}, expected one of ${KINDS.join(', ')}`;
  if (typeof f.blankShare !== 'number' || !(f.blankShare >= 0 && f.blankShare <= 1)) return 'blankShare: must be a number from 0 to 1';
  if (typeof f.repeats !== 'boolean') return 'repeats: must be true or false';
  for (const key of ['distinct', 'minLength', 'maxLength'] as const) {
    if (!(Number.isSafeInteger(f[key]) && (f[key] as number) >= 0)) return `${key}: must be a whole number, 0 or more`;
  }
  if ((f.minLength as number) > (f.maxLength as number)) return 'minLength: is larger than maxLength';
  if (typeof f.chars !== 'string') return 'chars: must be a string of the characters allowed';
  const kind = f.kind as FieldKind;
  if (kind === 'set' || kind === 'boolean') {
    if (!Array.isArray(f.values) || f.values.length === 0 || !f.values.every((v) => typeof v === 'string' && v !== '')) {
      return 'values: must be a non-empty list of non-empty strings';
    }
    if (new Set(f.values).size !== f.values.length) return 'values: has duplicates';
  }
  if (kind === 'integer' || kind === 'decimal') {
    if (typeof f.min !== 'number' || typeof f.max !== 'number' || !Number.isFinite(f.min) || !Number.isFinite(f.max)) return 'min, max: must be numbers';
    if (f.min > f.max) return 'min: is larger than max';
    if (kind === 'integer' && !(Number.isSafeInteger(f.min) && Number.isSafeInteger(f.max))) return 'min, max: must be whole numbers for an integer field';
    if (kind === 'decimal' && f.fixedScale !== undefined && typeof f.fixedScale !== 'boolean') return 'fixedScale: must be true or false';
    if (kind === 'decimal' && !(Number.isSafeInteger(f.scale) && (f.scale as number) >= 0 && (f.scale as number) <= 12)) return 'scale: must be a whole number from 0 to 12';
  }
  if (kind === 'date' || kind === 'datetime') {
    if (typeof f.format !== 'string' || !isKnownFormat(f.format)) return `format: ${jsonPreview(f.format)} is not a date format synth knows (e.g. "YYYY-MM-DD")`;
    if ((kind === 'datetime') !== f.format.includes('HH')) return `format: a ${kind} field needs a format ${kind === 'datetime' ? 'with' : 'without'} a time`;
    for (const key of ['min', 'max'] as const) {
      const parts = typeof f[key] === 'string' ? parseDate(f[key] as string, f.format) : null;
      if (!parts || !isRealDate(parts)) return `${key}: must be a real ${kind} written as ${f.format}`;
    }
    if (dateKey(parseDate(f.min as string, f.format)!) > dateKey(parseDate(f.max as string, f.format)!)) return 'min: is later than max';
  }
  return f.key === undefined ? null : keyProblem(f.key);
}

const KEY_FORMS = '{ "format": "sequence", "prefix": "C", "digits": 5, "suffix": "", "start": 3001 } or { "format": "uuid" }';

function keyProblem(key: unknown): string | null {
  if (!isJsonObject(key)) return `key: must be a JSON object such as ${KEY_FORMS}`;
  if (key.format === 'uuid') {
    return key.uppercase === undefined || typeof key.uppercase === 'boolean' ? null : 'key.uppercase: must be true or false';
  }
  if (key.format !== 'sequence') return `key.format: is ${JSON.stringify(key.format)}, expected "sequence" or "uuid" (e.g. ${KEY_FORMS})`;
  if (typeof key.prefix !== 'string' || typeof key.suffix !== 'string') return 'key.prefix, key.suffix: must be strings ("" for none)';
  if (!(Number.isSafeInteger(key.digits) && (key.digits as number) >= 0 && (key.digits as number) <= 15)) return 'key.digits: must be a whole number from 0 (a plain integer) to 15';
  if (!(Number.isSafeInteger(key.start) && (key.start as number) >= 0)) return 'key.start: must be a whole number, 0 or more (the first fresh number, above every training value)';
  if (key.fixedWidth !== undefined && typeof key.fixedWidth !== 'boolean') return 'key.fixedWidth: must be true or false';
  if (key.fixedWidth === true && key.digits === 0) return 'key.fixedWidth: needs key.digits above 0 (the width to keep)';
  return null;
}
