import { message, option, UsageError } from '../errors.js';
import type { ConditionRequest, ConditionValue } from '../schema/checkCondition.js';
import type { FieldValue } from '../schema/typedValue.js';
import type { SeedRow } from '../generate/seedRows.js';
import { parseWhere } from '../generate/whereConditions.js';

/** A range of a number or date field, both ends inclusive; leave one out for an open end. */
export interface WhereRange {
  min?: number | string;
  max?: number | string;
}

/**
 * Conditions every record must meet (all of them), by column name: a value (`country: 'Japan'`),
 * a set (`plan: ['basic', 'pro']`) or a range (`age: { min: 30, max: 39 }`; dates as strings) —
 * or the same as --where strings (`['country=Japan', 'age=30..39']`).
 */
export type Where = Readonly<Record<string, ConditionValue | readonly ConditionValue[] | WhereRange>> | readonly string[];

/** One record per entry, its named fields fixed; null, '' or a missing column leaves a field free. */
export type SeedRecord = Readonly<Record<string, FieldValue | undefined>>;

/** The API's `where`, as conditions by field name (checked against the model once it is read). */
export function whereRequests(where: Where | undefined): ConditionRequest[] | undefined {
  if (where === undefined) return undefined;
  if (Array.isArray(where)) {
    return where.map((text, i) => {
      if (typeof text !== 'string') throw new UsageError(message`${option('where')}[${i}] must be a string such as "country=Japan", got ${describe(text)}`);
      return parseWhere(text);
    });
  }
  if (typeof where !== 'object' || where === null) {
    throw new UsageError(message`${option('where')} must be an object such as { country: 'Japan', age: { min: 30, max: 39 } } or an array of "FIELD=VALUE" strings, got ${describe(where)}`);
  }
  return Object.entries(where as Record<string, unknown>).map(([field, value]) => {
    const source = message`${option('where')}.${field}`;
    if (isValue(value)) return { source, field, kind: 'values', values: [value] };
    if (Array.isArray(value)) {
      const bad = value.find((v) => !isValue(v));
      if (bad !== undefined || value.length === 0) {
        throw new UsageError(message`${source} must list strings, numbers or booleans${value.length === 0 ? ', and at least one' : `, got ${describe(bad)}`}`);
      }
      return { source, field, kind: 'values', values: value as ConditionValue[] };
    }
    if (typeof value === 'object' && value !== null && Object.keys(value).every((k) => k === 'min' || k === 'max')) {
      const { min, max } = value as { min?: unknown; max?: unknown };
      for (const end of [min, max]) {
        if (end !== undefined && typeof end !== 'number' && typeof end !== 'string') throw new UsageError(message`${source} range ends must be numbers or date strings, got ${describe(end)}`);
      }
      return { source, field, kind: 'range', ...(min === undefined ? {} : { min: min as ConditionValue }), ...(max === undefined ? {} : { max: max as ConditionValue }) };
    }
    throw new UsageError(message`${source} must be a value, an array of values or a range { min, max }, got ${describe(value)}`);
  });
}

/** The API's `seedRecords`, as seed rows (checked against the model once it is read). */
export function seedRecordRows(records: readonly SeedRecord[] | undefined): SeedRow[] | undefined {
  if (records === undefined) return undefined;
  if (!Array.isArray(records) || records.length === 0) throw new UsageError(message`${option('seedRecords')} must be a non-empty array of objects such as { country: 'Japan' }`);
  return records.map((record, i) => {
    const source = message`${option('seedRecords')}[${i}]`;
    if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new UsageError(message`${source} must be an object such as { country: 'Japan' }, got ${describe(record)}`);
    const cells = Object.entries(record).map(([field, value]) => {
      if (value !== undefined && value !== null && !isValue(value)) throw new UsageError(message`${source}.${field} must be a string, number, boolean or null, got ${describe(value)}`);
      return { field, value: value ?? null };
    });
    return { source, cells };
  });
}

function isValue(value: unknown): value is ConditionValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value === 'string' ? JSON.stringify(value) : `${typeof value} ${String(value)}`;
}
