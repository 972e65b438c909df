import type { FieldValue, ValueType } from '../schema/typedValue.js';

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/;

/**
 * A name as a quoted identifier ("a""b"), so any column name is safe and keeps its case. SQLite
 * and PostgreSQL both quote identifiers this way.
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A standard SQL string literal: quotes doubled, nothing else special. Backslashes are literal in
 * SQLite and in PostgreSQL's standard strings (standard_conforming_strings, on by default since
 * 9.1), and line breaks and semicolons inside quotes end nothing in sqlite3 or psql.
 */
export function stringLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * One value as a literal both SQLite (3.23+, for TRUE/FALSE) and PostgreSQL read as the column's
 * type: numbers bare and exactly as generated (no detour through a double), booleans TRUE/FALSE,
 * timestamps as 'YYYY-MM-DD HH:MM:SS' (SQLite's own form; PostgreSQL takes it too), a blank NULL.
 */
export function sqlLiteral(value: FieldValue, raw: string, type: ValueType): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if ((type === 'integer' || type === 'decimal') && NUMBER.test(raw)) return raw;
  if (type === 'datetime' && typeof value === 'string') {
    const iso = ISO_DATETIME.exec(value);
    if (iso) return stringLiteral(`${iso[1]} ${iso[2]}${iso[3] ?? ':00'}`);
  }
  return stringLiteral(String(value));
}
