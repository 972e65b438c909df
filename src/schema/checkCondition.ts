import { message, UsageError, type Message } from '../errors.js';
import { fieldProblem } from './checkField.js';
import { dateKey, dateOnly, formatDate, hasTime, isRealDate, parseDate, type DateParts } from './dateFormat.js';
import { hasValues, narrowField, type FieldCondition } from './fieldCondition.js';
import { BOOLEAN_PAIRS, isClosedSet, type FieldSchema, type RecordSchema } from './schema.js';
import { isoFormatOf, valueTypeOf } from './typedValue.js';

/** A value as a caller may give it: the field's text, or (from the API) a number or boolean. */
export type ConditionValue = string | number | boolean;

/**
 * A condition as the user wrote it (--where, a --seed-file cell, the API's where and seedRecords):
 * the field by name, values not yet checked. `source` names it in errors, e.g. `--where "age=30.."`.
 */
export type ConditionRequest =
  | { source: Message; field: string; kind: 'values'; values: ConditionValue[] }
  | { source: Message; field: string; kind: 'range'; min?: ConditionValue; max?: ConditionValue };

/** Shown of a closed set's values in an error. */
const SHOWN_VALUES = 8;
/** Shown of a table's field names in an error. */
const SHOWN_FIELDS = 30;

/**
 * The conditions, checked against the schema, by field index. Throws a UsageError naming the
 * condition, the field and what the field can take, for anything generation could not meet.
 */
export function checkConditions(requests: readonly ConditionRequest[], schema: RecordSchema): FieldCondition[] {
  const byField = new Map<number, ConditionRequest>();
  const conditions = requests.map((request) => {
    const condition = checkCondition(request, schema);
    const earlier = byField.get(condition.field);
    if (earlier) {
      const name = schema.fields[condition.field]!.name;
      throw new UsageError(
        message`${earlier.source} and ${request.source} are both on ${JSON.stringify(name)}; combine them into one condition (a set ${name}=a|b, or one range ${name}=LO..HI)`,
      );
    }
    byField.set(condition.field, request);
    return condition;
  });
  refuseNeverTogether(conditions, requests, schema);
  return conditions;
}

/**
 * Two conditions whose every pair of values the schema rules out (neverTogether.ts) would turn
 * down every record the model begins until the rejection limit; said before anything is generated.
 */
function refuseNeverTogether(conditions: readonly FieldCondition[], requests: readonly ConditionRequest[], schema: RecordSchema): void {
  for (const { fields, values } of schema.neverTogether ?? []) {
    const [i, j] = fields.map((f) => conditions.findIndex((c) => c.field === f));
    if (i! < 0 || j! < 0) continue;
    const [a, b] = [conditions[i!]!, conditions[j!]!].map((c) => narrowField(schema.fields[c.field]!, c).values ?? []);
    const ruledOut = new Set(values.map(([x, y]) => `${x}\u0000${y}`));
    if (a!.length === 0 || b!.length === 0 || !a!.every((x) => b!.every((y) => ruledOut.has(`${x}\u0000${y}`)))) continue;
    const [nameA, nameB] = fields.map((f) => JSON.stringify(schema.fields[f]!.name));
    throw new UsageError(
      message`${requests[i!]!.source} and ${requests[j!]!.source}: no training record has ${nameA} ${a!.join('|')} with ${nameB} ${b!.join('|')}, so the model never writes them together (synth inspect lists such pairs); drop one of the two`,
    );
  }
}

/** One condition, checked against the schema (see checkConditions). */
export function checkCondition(request: ConditionRequest, schema: RecordSchema): FieldCondition {
  const index = fieldIndex(request, schema);
  const field = schema.fields[index]!;
  const fail = (text: string): never => {
    throw new UsageError(message`${request.source}: ${text}; ${whatFieldTakes(field)}`);
  };
  if (field.key) {
    throw new UsageError(
      message`${request.source}: ${JSON.stringify(field.name)} is a key column (synth writes a fresh, unique value in every record), so it cannot be conditioned; drop the condition`,
    );
  }
  const condition: FieldCondition =
    request.kind === 'values'
      ? { field: index, kind: 'values', values: checkValues(request.values, field, fail) }
      : { field: index, kind: 'range', ...checkRange(request, field, fail) };
  if (!hasValues(narrowField(field, condition))) {
    const range = condition.kind === 'range' ? `${condition.min ?? ''}..${condition.max ?? ''}` : '';
    fail(`no value of ${field.name} is within ${range}`);
  }
  return condition;
}

/** The index of the field a condition names; a UsageError listing the fields when there is none. */
export function fieldIndex(request: Pick<ConditionRequest, 'source' | 'field'>, schema: RecordSchema): number {
  const index = schema.fields.findIndex((f) => f.name === request.field);
  if (index >= 0) return index;
  const names = schema.fields.map((f) => f.name);
  const alike = names.find((n) => n.toLowerCase() === request.field.toLowerCase());
  const hint = alike === undefined ? '' : ` (did you mean ${JSON.stringify(alike)}?)`;
  const shown = names.slice(0, SHOWN_FIELDS).join(', ') + (names.length > SHOWN_FIELDS ? `, ... (${names.length} in all)` : '');
  throw new UsageError(message`${request.source}: the model has no field ${JSON.stringify(request.field)}${hint}; its fields are ${shown}`);
}

function checkValues(values: readonly ConditionValue[], field: FieldSchema, fail: (text: string) => never): string[] {
  if (values.length === 0) fail(`no values given for ${field.name}`);
  const texts = values.map((value) => {
    const text = valueText(value, field);
    if (text === '') fail(`an empty value for ${field.name}: a condition asks for a value (to leave ${field.name} free, leave it out)`);
    if (isClosedSet(field)) {
      if (!field.values!.includes(text)) fail(`${field.name} has no value ${JSON.stringify(text)}`);
      return text;
    }
    // Text is held to the characters the model can write, not the training lengths: asking for a longer name is fair.
    const problem = fieldProblem(field, text, field.kind !== 'text');
    if (problem !== null) fail(`${field.name} ${problem}`);
    return text;
  });
  return [...new Set(texts)];
}

function checkRange(request: Extract<ConditionRequest, { kind: 'range' }>, field: FieldSchema, fail: (text: string) => never): { min?: number | string; max?: number | string } {
  const type = valueTypeOf(field);
  const dates = field.kind === 'date' || field.kind === 'datetime';
  if (type !== 'integer' && type !== 'decimal' && !dates) {
    fail(`a range needs a number or date field, but ${field.name} is ${field.kind === 'set' ? 'a set of text values' : field.kind}; give values instead (${field.name}=a|b), and write a ".." that is part of a value as \\.\\.`);
  }
  if (request.min === undefined && request.max === undefined) fail(`the range on ${field.name} has no end; give LO.., ..HI or LO..HI`);
  const bound = (value: ConditionValue | undefined, end: 'min' | 'max'): number | string | undefined => {
    if (value === undefined) return undefined;
    if (dates) return dateBound(value, field, end) ?? fail(`${JSON.stringify(String(value))} is not a ${field.kind} in the format ${field.format}`);
    const n = typeof value === 'number' ? value : NUMBER.test(String(value).trim()) ? Number(String(value).trim()) : NaN;
    return Number.isFinite(n) ? n : fail(`${JSON.stringify(String(value))} is not a number`);
  };
  const min = bound(request.min, 'min');
  const max = bound(request.max, 'max');
  if (min !== undefined && max !== undefined && (dates ? keyOf(min as string, field) > keyOf(max as string, field) : (min as number) > (max as number))) {
    fail(`the range ${min}..${max} on ${field.name} is empty: its low end is above its high end`);
  }
  return { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)$/;

/**
 * The field's text for a value. Numbers from the API are written as the field writes them (a
 * decimal field of fixed scale: 100 as 100.00); booleans in the field's own spelling; a date may
 * also be given in ISO 8601, as --format jsonl and the API write them.
 */
function valueText(value: ConditionValue, field: FieldSchema): string {
  if (typeof value === 'boolean') {
    const pair = field.kind === 'boolean' ? BOOLEAN_PAIRS.find((p) => (p as readonly string[]).includes(field.values![0]!)) : undefined;
    return pair ? pair[value ? 0 : 1] : String(value);
  }
  if (typeof value === 'number') {
    // A closed set of numbers holds texts such as "2.0": the number picks the value equal to it.
    const equal = isClosedSet(field) ? field.values!.find((v) => v.trim() !== '' && Number(v) === value) : undefined;
    if (equal !== undefined) return equal;
    return field.kind === 'decimal' && field.fixedScale && Number.isFinite(value) ? value.toFixed(field.scale ?? 0) : String(value);
  }
  if (field.kind === 'date' || field.kind === 'datetime') {
    const parts = parseDate(value, field.format!) ?? parseDate(value, isoFormatOf(field));
    if (parts && isRealDate(parts)) return formatDate(parts, field.format!);
  }
  return value;
}

/**
 * A range end of a date field in the field's format. A datetime field also takes a date alone,
 * meaning the start of that day for a low end and its last second for a high end.
 */
function dateBound(value: ConditionValue, field: FieldSchema, end: 'min' | 'max'): string | undefined {
  if (typeof value !== 'string') return undefined;
  const format = field.format!;
  const full = parseDate(value, format) ?? parseDate(value, isoFormatOf(field));
  if (full && isRealDate(full)) return formatDate(full, format);
  if (!hasTime(format)) return undefined;
  const day = parseDate(value, dateOnly(format)) ?? parseDate(value, 'YYYY-MM-DD');
  if (!day || !isRealDate(day)) return undefined;
  const parts: DateParts = end === 'min' ? { ...day, hour: 0, minute: 0, second: 0 } : { ...day, hour: 23, minute: 59, second: 59 };
  return formatDate(parts, format);
}

function keyOf(text: string, field: FieldSchema): number {
  return dateKey(parseDate(text, field.format!)!);
}

/** What a field can take, for an error: "country takes one of 9 values: ...". */
export function whatFieldTakes(field: FieldSchema): string {
  const name = field.name;
  switch (field.kind) {
    case 'set':
    case 'boolean': {
      const values = field.values!;
      const type = valueTypeOf(field);
      if (type === 'integer' || type === 'decimal') {
        const numbers = values.map(Number);
        return `${name} takes ${values.length} values from ${Math.min(...numbers)} to ${Math.max(...numbers)}`;
      }
      const shown = values.slice(0, SHOWN_VALUES).map((v) => JSON.stringify(v)).join(', ');
      return `${name} takes one of ${values.length} values: ${shown}${values.length > SHOWN_VALUES ? ', ...' : ''}`;
    }
    case 'integer':
      return `${name} takes whole numbers from ${field.min} to ${field.max}`;
    case 'decimal':
      return `${name} takes numbers from ${field.min} to ${field.max} with ${field.fixedScale ? 'exactly' : 'at most'} ${field.scale} decimal places`;
    case 'date':
    case 'datetime':
      return `${name} takes ${field.kind}s (${field.format}) from ${field.min} to ${field.max}`;
    case 'text':
      return `${name} takes text of ${field.minLength}-${field.maxLength} characters`;
  }
}
