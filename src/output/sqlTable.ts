import type { FieldSchema, RecordSchema } from '../schema/schema.js';
import { valueTypeOf, type ValueType } from '../schema/typedValue.js';
import { quoteIdentifier } from './sqlLiteral.js';

/** One column of the table synth writes. */
export interface SqlColumn {
  name: string;
  type: ValueType;
  /** The declared type: INTEGER, BIGINT, NUMERIC(p,s), DATE, TIMESTAMP, BOOLEAN or TEXT. */
  sqlType: string;
  notNull: boolean;
  primaryKey: boolean;
  unique: boolean;
}

/** PostgreSQL's INTEGER is 32-bit; wider ranges (and key columns, whose fresh values count past training's) get BIGINT. */
const INT32_MAX = 2 ** 31 - 1;
/** Most digits a BIGINT always holds (its range is about ±9.2e18). */
const BIGINT_DIGITS = 18;
/** PostgreSQL's largest NUMERIC precision. */
const MAX_PRECISION = 1000;

/**
 * The table's columns from the record schema. A model without a schema, or a run with --schema off,
 * has nothing to type by: every column is TEXT and may be NULL-free text. A text model has one
 * column, "text". The first key column is the PRIMARY KEY; any other is UNIQUE.
 */
export function sqlColumns(header: readonly string[], schema: RecordSchema | undefined, textModel: boolean): SqlColumn[] {
  if (textModel) return [{ name: 'text', type: 'text', sqlType: 'TEXT', notNull: true, primaryKey: false, unique: false }];
  let keySeen = false;
  return columnNames(header).map((name, i) => {
    const field = schema?.fields[i];
    if (field === undefined) return { name, type: 'text', sqlType: 'TEXT', notNull: false, primaryKey: false, unique: false };
    const isKey = field.key !== undefined;
    const primaryKey = isKey && !keySeen;
    keySeen ||= isKey;
    const type = valueTypeOf(field);
    return { name, type, sqlType: sqlTypeOf(field, type), notNull: field.blankShare === 0 || isKey, primaryKey, unique: isKey && !primaryKey };
  });
}

/**
 * The header as column names a database accepts: a CSV header may repeat a name or leave one
 * empty, which CREATE TABLE refuses, so an empty name becomes column_N and a repeat gets _2, _3.
 */
export function columnNames(header: readonly string[]): string[] {
  const taken = new Set<string>();
  return header.map((name, i) => {
    let unique = name === '' ? `column_${i + 1}` : name;
    for (let n = 2; taken.has(unique); n++) unique = `${name === '' ? `column_${i + 1}` : name}_${n}`;
    taken.add(unique);
    return unique;
  });
}

/** CREATE TABLE IF NOT EXISTS, so that shards loaded one after another, or a file loaded twice, do not fail on it. */
export function createTableStatement(table: readonly string[], columns: readonly SqlColumn[]): string {
  const lines = columns.map((c) => `  ${quoteIdentifier(c.name)} ${c.sqlType}${c.notNull ? ' NOT NULL' : ''}${c.primaryKey ? ' PRIMARY KEY' : ''}${c.unique ? ' UNIQUE' : ''}`);
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(table)} (\n${lines.join(',\n')}\n);\n`;
}

export function qualifiedName(table: readonly string[]): string {
  return table.map(quoteIdentifier).join('.');
}

function sqlTypeOf(field: FieldSchema, type: ValueType): string {
  switch (type) {
    case 'integer': {
      const digits = Math.max(...numbersOf(field).map((n) => integerDigits(n)));
      if (digits > BIGINT_DIGITS) return `NUMERIC(${Math.min(digits, MAX_PRECISION)},0)`;
      const widest = Math.max(...numbersOf(field).map((n) => Math.abs(Number(n))));
      return field.key !== undefined || widest > INT32_MAX ? 'BIGINT' : 'INTEGER';
    }
    case 'decimal': {
      const numbers = numbersOf(field);
      const scale = field.kind === 'set' ? Math.max(...numbers.map(places)) : (field.scale ?? Math.max(...numbers.map(places)));
      const digits = Math.max(1, ...numbers.map(integerDigits));
      return `NUMERIC(${Math.min(digits + scale, MAX_PRECISION)},${scale})`;
    }
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'datetime':
      return 'TIMESTAMP';
    case 'text':
      return 'TEXT';
  }
}

/** The numbers that bound a field's values, as text: a set's values, else its training min and max. */
function numbersOf(field: FieldSchema): string[] {
  if (field.kind === 'set') return field.values!;
  return [field.min, field.max].filter((n) => n !== undefined).map((n) => (typeof n === 'number' ? numberText(n) : String(n)));
}

/** A double as plain digits (no exponent), so that 1e21 counts as 22 digits. */
function numberText(n: number): string {
  return Number.isInteger(n) ? BigInt(n).toString() : String(n);
}

function integerDigits(text: string): number {
  const whole = text.replace(/^-/, '').split('.')[0]!.replace(/^0+/, '');
  return Math.max(1, whole.length);
}

function places(text: string): number {
  const point = text.indexOf('.');
  return point < 0 ? 0 : text.length - point - 1;
}
