import { dateKey, parseDate } from './dateFormat.js';
import type { FieldSchema } from './schema.js';

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
 * `field`'s schema restricted to `condition`, so the field's automaton admits exactly the allowed
 * values. A values condition becomes a closed set (written with the field's value tokens where it
 * has them, spelled otherwise); a range narrows a number's or a date's bounds, or a closed set of
 * numbers' values. No blank: a condition asks for a value.
 */
export function narrowField(field: FieldSchema, condition: FieldCondition): FieldSchema {
  if (condition.kind === 'values') return { ...field, kind: 'set', values: [...condition.values], blankShare: 0 };
  const { min, max } = condition;
  if (field.kind === 'integer' || field.kind === 'decimal') {
    const lo = min === undefined ? (field.min as number) : Math.max(field.min as number, field.kind === 'integer' ? Math.ceil(Number(min)) : Number(min));
    const hi = max === undefined ? (field.max as number) : Math.min(field.max as number, field.kind === 'integer' ? Math.floor(Number(max)) : Number(max));
    return { ...field, min: lo, max: hi, blankShare: 0 };
  }
  if (field.kind === 'date' || field.kind === 'datetime') {
    const key = (text: string | number | undefined): number | undefined => {
      if (text === undefined) return undefined;
      const parts = parseDate(String(text), field.format!);
      return parts ? dateKey(parts) : undefined;
    };
    const later = (a: string, b: string | number | undefined): string => (b !== undefined && key(b)! > key(a)! ? String(b) : a);
    const earlier = (a: string, b: string | number | undefined): string => (b !== undefined && key(b)! < key(a)! ? String(b) : a);
    return { ...field, min: later(field.min as string, min), max: earlier(field.max as string, max), blankShare: 0 };
  }
  const inRange = (value: string): boolean => (min === undefined || Number(value) >= Number(min)) && (max === undefined || Number(value) <= Number(max));
  return { ...field, values: (field.values ?? []).filter(inRange), blankShare: 0 };
}
