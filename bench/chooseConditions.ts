import { formatWhere } from '../src/generate/whereConditions.js';
import type { FieldCondition } from '../src/schema/fieldCondition.js';
import { isClosedSet, type FieldSchema, type RecordSchema } from '../src/schema/schema.js';
import { valueTypeOf } from '../src/schema/typedValue.js';

/** One condition of the table, as --where texts, and why it was chosen. */
export interface ChosenCondition {
  kind: 'last closed set' | 'numeric range' | 'two columns';
  where: string[];
}

/** A condition kind the table cannot give, and why. */
export interface SkippedCondition {
  kind: ChosenCondition['kind'];
  reason: string;
}

/**
 * The three conditions of the conditions table, chosen from the model's schema and order and the
 * real rows: the most common value of the closed-set field the model writes last (where forcing a
 * value in place and writing it first differ most, since every other field comes before it); the
 * middle half (25th to 75th percentile) of the numeric field it writes last; and the most common
 * pair of values of two closed-set fields (the two-column condition with the most real rows).
 * Key columns are never chosen (synth refuses conditions on them).
 */
export function chooseConditions(schema: RecordSchema, modelOrder: readonly number[], rows: readonly (readonly string[])[]): (ChosenCondition | SkippedCondition)[] {
  const usable = (f: number) => !schema.fields[f]!.key;
  const closed = modelOrder.filter((f) => usable(f) && isClosedSet(schema.fields[f]!));
  const numeric = modelOrder.filter((f) => usable(f) && isNumeric(schema.fields[f]!));
  const text = (condition: FieldCondition) => formatWhere(condition, schema.fields[condition.field]!.name);
  const chosen: (ChosenCondition | SkippedCondition)[] = [];

  const last = closed.at(-1);
  const common = last === undefined ? undefined : mostCommon(rows.map((r) => r[last] ?? ''));
  chosen.push(
    last !== undefined && common !== undefined
      ? { kind: 'last closed set', where: [text({ field: last, kind: 'values', values: [common] })] }
      : { kind: 'last closed set', reason: 'no closed-set field with a value' },
  );

  const range = numeric.at(-1);
  const quartiles = range === undefined ? undefined : middleHalf(rows.map((r) => r[range] ?? ''));
  chosen.push(
    range !== undefined && quartiles !== undefined
      ? { kind: 'numeric range', where: [text({ field: range, kind: 'range', min: quartiles[0], max: quartiles[1] })] }
      : { kind: 'numeric range', reason: 'no numeric field' },
  );

  const pair = mostCommonPair(closed, rows);
  chosen.push(
    pair
      ? { kind: 'two columns', where: pair.map(([field, value]) => text({ field, kind: 'values', values: [value] })) }
      : { kind: 'two columns', reason: 'fewer than two closed-set fields' },
  );
  return chosen;
}

function isNumeric(field: FieldSchema): boolean {
  const type = valueTypeOf(field);
  return type === 'integer' || type === 'decimal';
}

/** The most common non-blank value; ties go to the first seen. */
function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== '') counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | undefined;
  for (const [value, count] of counts) if (best === undefined || count > counts.get(best)!) best = value;
  return best;
}

/** The 25th and 75th percentiles of the numeric values (nearest rank), or undefined when there are none. */
function middleHalf(values: readonly string[]): [number, number] | undefined {
  const numbers = values.filter((v) => v.trim() !== '').map(Number).filter(Number.isFinite).sort((a, b) => a - b);
  if (numbers.length === 0) return undefined;
  const at = (q: number) => numbers[Math.min(numbers.length - 1, Math.floor(q * numbers.length))]!;
  return [at(0.25), at(0.75)];
}

/** The (field, value) pair of two closed-set fields whose joint value is the most common, in model order. */
function mostCommonPair(fields: readonly number[], rows: readonly (readonly string[])[]): [number, string][] | undefined {
  let best: { count: number; pair: [number, string][] } | undefined;
  for (let i = 0; i < fields.length; i++) {
    for (let j = i + 1; j < fields.length; j++) {
      const [a, b] = [fields[i]!, fields[j]!];
      const counts = new Map<string, number>();
      for (const row of rows) {
        const [x, y] = [row[a] ?? '', row[b] ?? ''];
        if (x === '' || y === '') continue;
        const key = JSON.stringify([x, y]);
        const count = (counts.get(key) ?? 0) + 1;
        counts.set(key, count);
        if (!best || count > best.count) best = { count, pair: [[a, x], [b, y]] };
      }
    }
  }
  return best?.pair;
}
