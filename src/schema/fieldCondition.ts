import { dateKey, isRealDate, parseDate } from './dateFormat.js';
import { isClosedSet, type FieldSchema } from './schema.js';
import { valueTypeOf } from './typedValue.js';

/**
 * A condition on one field of the records to generate (--where, a --seed-file cell, the API's
 * `where`). `field` is the table's 0-based field index. Conditioned fields are written first, so
 * every other field follows the model's distribution given them (see generate/conditionalStart.ts).
 */
export type FieldCondition =
  /** One of these exact values (one value: the field is fixed). */
  | { field: number; kind: 'values'; values: string[] }
  /**
   * A number or date within [min, max], both inclusive; an absent end is open. Dates are strings
   * in the field's own format (schema.ts `format`).
   */
  | { field: number; kind: 'range'; min?: number | string; max?: number | string };

/**
 * `field`'s schema restricted to a checked condition (checkCondition.ts), so that
 * buildFieldAutomaton admits exactly the values it allows. A condition asks for a value: no blank.
 * A values condition on a field that is not a closed set becomes a set of those texts, which the
 * automaton writes character by character; integer and decimal bounds are rounded inward to what
 * the field can write.
 */
export function narrowField(field: FieldSchema, condition: FieldCondition): FieldSchema {
  const narrowed: FieldSchema = { ...field, blankShare: 0 };
  if (condition.kind === 'values') {
    const wanted = new Set(condition.values);
    const values = isClosedSet(field) ? field.values!.filter((v) => wanted.has(v)) : [...wanted];
    return asSet(narrowed, values);
  }
  if (field.kind === 'set') {
    return asSet(narrowed, field.values!.filter((v) => inRange(Number(v), condition.min as number | undefined, condition.max as number | undefined)));
  }
  if (field.kind === 'integer' || field.kind === 'decimal') {
    const places = field.kind === 'integer' ? 0 : (field.scale ?? 0);
    const min = condition.min === undefined ? (field.min as number) : Math.max(field.min as number, roundAt(condition.min as number, places, 'up'));
    const max = condition.max === undefined ? (field.max as number) : Math.min(field.max as number, roundAt(condition.max as number, places, 'down'));
    return { ...narrowed, min, max };
  }
  if (field.kind === 'date' || field.kind === 'datetime') {
    const format = field.format!;
    const key = (text: string) => dateKey(parseDate(text, format)!);
    const min = condition.min === undefined || key(condition.min as string) < key(field.min as string) ? field.min : condition.min;
    const max = condition.max === undefined || key(condition.max as string) > key(field.max as string) ? field.max : condition.max;
    return { ...narrowed, min, max };
  }
  throw new Error(`a range on the ${field.kind} field ${field.name} should have been refused by checkCondition`);
}

/** Whether a narrowed field (narrowField) can still write any value. */
export function hasValues(field: FieldSchema): boolean {
  if (field.kind === 'set' || field.kind === 'boolean') return field.values!.length > 0;
  if (field.kind === 'integer' || field.kind === 'decimal') return (field.min as number) <= (field.max as number);
  if (field.kind === 'date' || field.kind === 'datetime') {
    return dateKey(parseDate(field.min as string, field.format!)!) <= dateKey(parseDate(field.max as string, field.format!)!);
  }
  return true;
}

/**
 * Whether `value` (a field's text, as a real row or a generated record has it) meets `condition`.
 * Numbers compare as numbers (12.5 meets a condition on 12.50), dates as dates; a blank never does.
 */
export function satisfies(value: string, field: FieldSchema, condition: FieldCondition): boolean {
  if (value === '') return false;
  const type = valueTypeOf(field);
  const numeric = type === 'integer' || type === 'decimal';
  if (condition.kind === 'values') {
    if (!numeric) return condition.values.includes(value);
    return NUMBER.test(value) && condition.values.some((v) => Number(v) === Number(value));
  }
  if (numeric) return NUMBER.test(value) && inRange(Number(value), condition.min as number | undefined, condition.max as number | undefined);
  if (field.kind !== 'date' && field.kind !== 'datetime') return false;
  const parts = parseDate(value, field.format!);
  if (parts === null || !isRealDate(parts)) return false;
  const key = dateKey(parts);
  const bound = (text: string | number | undefined) => (text === undefined ? undefined : dateKey(parseDate(String(text), field.format!)!));
  return inRange(key, bound(condition.min), bound(condition.max));
}

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

function inRange(n: number, min: number | undefined, max: number | undefined): boolean {
  return (min === undefined || n >= min) && (max === undefined || n <= max);
}

function asSet(field: FieldSchema, values: string[]): FieldSchema {
  const lengths = values.map((v) => [...v].length);
  return {
    ...field,
    kind: field.kind === 'boolean' ? 'boolean' : 'set',
    values,
    distinct: values.length,
    minLength: values.length > 0 ? Math.min(...lengths) : 0,
    maxLength: values.length > 0 ? Math.max(...lengths) : 0,
  };
}

/**
 * `n` rounded to `places` decimals toward the inside of a range: up for a low end, down for a high
 * one. The small slack keeps 10.55 (10.550000000000001 * 100 in binary) at 10.55.
 */
function roundAt(n: number, places: number, direction: 'up' | 'down'): number {
  const scale = 10 ** places;
  const scaled = direction === 'up' ? Math.ceil(n * scale - 1e-7) : Math.floor(n * scale + 1e-7);
  return scaled / scale;
}
