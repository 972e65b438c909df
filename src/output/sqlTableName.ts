import path from 'node:path';
import { message, option, UsageError } from '../errors.js';

/** PostgreSQL cuts longer names to 63 bytes (NAMEDATALEN - 1), so two long names could collide. */
const MAX_NAME_LENGTH = 63;
const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The table when neither --table nor a training file name gives one. */
export const FALLBACK_TABLE = 'records';

/**
 * Checks --table: a plain identifier, or schema.table, each part letters, digits and underscores
 * not starting with a digit. Anything else would need quoting rules a user must then repeat in
 * every query, so it is refused rather than quoted into a surprising name.
 */
export function parseTableName(text: string): string[] {
  const parts = text.split('.');
  if (parts.length > 2 || !parts.every((p) => PLAIN.test(p) && p.length <= MAX_NAME_LENGTH)) {
    throw new UsageError(
      message`${option('table')} ${JSON.stringify(text)} is not a plain table name; use letters, digits and _ (not starting with a digit, at most ${MAX_NAME_LENGTH}), optionally as schema.table`,
    );
  }
  return parts;
}

/**
 * The default table: the training file's base name (customers.csv → customers), lower-cased and
 * with other characters as _, so that it can be typed unquoted in PostgreSQL; else "records".
 */
export function defaultTableName(trainingInput: unknown): string[] {
  if (typeof trainingInput !== 'string' || trainingInput === '') return [FALLBACK_TABLE];
  const base = path.basename(trainingInput).replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, MAX_NAME_LENGTH);
  if (base === '' || /^_*$/.test(base)) return [FALLBACK_TABLE];
  return [/^\d/.test(base) ? `t_${base}`.slice(0, MAX_NAME_LENGTH) : base];
}
