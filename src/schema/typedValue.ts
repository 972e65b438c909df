import { formatDate, hasTime, isRealDate, parseDate } from './dateFormat.js';
import { BOOLEAN_PAIRS, type FieldSchema, type RecordSchema } from './schema.js';

/** A field's value as JSON and SQL writers see it; null is a blank. */
export type FieldValue = string | number | boolean | null;

/** What a field's values are once typed: a closed set of numbers is numbers (the bundled model's age). */
export type ValueType = 'integer' | 'decimal' | 'boolean' | 'date' | 'datetime' | 'text';

const INTEGER = /^-?(0|[1-9]\d*)$/;
const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;
/**
 * A double holds every decimal of up to 15 significant digits exactly. Past that (and past
 * Number.MAX_SAFE_INTEGER for integers) a value stays a string: JSON readers such as JavaScript's
 * parse numbers into doubles, where a digit would change silently; a string keeps it exact.
 */
const MAX_EXACT_DIGITS = 15;

/** The type of a field's values. A set is numbers only when every value is one (no leading zeros: "007" stays text). */
export function valueTypeOf(field: FieldSchema): ValueType {
  if (field.kind !== 'set') return field.kind;
  if (field.values!.every((v) => INTEGER.test(v))) return 'integer';
  if (field.values!.every((v) => DECIMAL.test(v))) return 'decimal';
  return 'text';
}

/** The ISO-8601 shape a date or datetime field's values take: seconds only when the field's format has them. */
export function isoFormatOf(field: FieldSchema): string {
  if (field.kind !== 'datetime') return 'YYYY-MM-DD';
  return field.format!.includes('ss') ? 'YYYY-MM-DDTHH:mm:ss' : 'YYYY-MM-DDTHH:mm';
}

/**
 * One field's text as a typed value. A blank is null whatever the kind: a CSV has no other way to
 * write NULL, and a database's CSV export writes NULL as an empty cell. Text that does not fit the
 * type (possible with --no-validate) stays as it is.
 */
export function typedValue(text: string, field: FieldSchema, type: ValueType = valueTypeOf(field)): FieldValue {
  if (text === '') return null;
  switch (type) {
    case 'integer': {
      if (!INTEGER.test(text)) return text;
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : text;
    }
    case 'decimal':
      return DECIMAL.test(text) && significantDigits(text) <= MAX_EXACT_DIGITS ? Number(text) : text;
    case 'boolean': {
      const pair = BOOLEAN_PAIRS.find((p) => (p as readonly string[]).includes(text));
      return pair === undefined ? text : text === pair[0];
    }
    case 'date':
    case 'datetime': {
      if (field.format === undefined) return text;
      const parts = parseDate(text, field.format);
      if (parts === null || !isRealDate(parts) || hasTime(field.format) !== (type === 'datetime')) return text;
      return formatDate(parts, isoFormatOf(field));
    }
    case 'text':
      return text;
  }
}

/**
 * The typing of a record's fields under `schema`, worked out once per run: fields past the
 * schema's, and every field when there is no schema (a model from before schemas), stay strings.
 */
export function compileTypedValues(schema: RecordSchema | undefined): (fields: readonly string[]) => FieldValue[] {
  if (schema === undefined) return (fields) => fields.slice();
  const types = schema.fields.map(valueTypeOf);
  return (fields) => fields.map((text, i) => (i < types.length ? typedValue(text, schema.fields[i]!, types[i]) : text));
}

function significantDigits(text: string): number {
  return text.replace(/[-.]/g, '').replace(/^0+/, '').length;
}
