import { message, option, UsageError, type Message } from '../errors.js';

/** --max-invalid as given: a count of rejected records, or a share of the valid records wanted ('5%'). */
export type InvalidLimit = number | `${number}%`;

/** Largest count and share accepted (a share above 100% allows more rejections than records). */
export const MAX_INVALID_COUNT = 1_000_000_000;
export const MAX_INVALID_PERCENT = 10_000;

/**
 * The default: 10% of --lines, at least 1000. The project's bar for a usable model is a valid
 * rate of 95% or more, i.e. up to ~5.3 rejections per 100 valid records; twice that leaves room for
 * a streak, so a usable model never fails a long run (the bundled model rejects ~1%). A model that
 * produces almost nothing valid still stops after about a tenth of the work the run asked for
 * (and after 1000 candidates on short runs, as before).
 */
export const DEFAULT_INVALID_LIMIT: InvalidLimit = '10%';
const DEFAULT_MINIMUM = 1000;

/** Parses a --max-invalid value ("250", "5%", "0.5%"); throws a UsageError naming what is accepted. */
export function parseInvalidLimit(text: string): InvalidLimit {
  const trimmed = text.trim();
  const share = /^(\d+(?:\.\d+)?)%$/.exec(trimmed);
  if (share && Number(share[1]) <= MAX_INVALID_PERCENT) return `${Number(share[1])}%`;
  const count = Number(trimmed);
  if (/^\+?\d+$/.test(trimmed) && Number.isSafeInteger(count) && count <= MAX_INVALID_COUNT) return count;
  throw new UsageError(message`${option('maxInvalid')} ${text}: expected a whole number from 0 to ${MAX_INVALID_COUNT}, or a share of ${option('lines')} such as 5%`);
}

/**
 * The number of rejected records a run of `lines` valid records may see. A share is rounded up;
 * undefined takes the default (DEFAULT_INVALID_LIMIT, at least 1000).
 */
export function resolveInvalidLimit(limit: InvalidLimit | undefined, lines: number): number {
  if (limit === undefined) return Math.max(DEFAULT_MINIMUM, resolveInvalidLimit(DEFAULT_INVALID_LIMIT, lines));
  if (typeof limit === 'number') {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new UsageError(message`${option('maxInvalid')} must be a whole number of records, 0 or more, got ${limit}`);
    return limit;
  }
  const percent = Number(String(limit).slice(0, -1));
  if (!String(limit).endsWith('%') || !Number.isFinite(percent) || percent < 0) {
    throw new UsageError(message`${option('maxInvalid')} ${String(limit)}: expected a whole number of records or a share such as 5%`);
  }
  // toPrecision drops float noise, so 10% of 1000 is 100, not 100.00000000000001 rounded up to 101.
  return Math.ceil(Number(((percent * lines) / 100).toPrecision(12)));
}

/** How a resolved limit reads in the budget message: "250", "50 (5% of --lines 1000)", "1000 (the default: ...)". */
export function describeInvalidLimit(limit: InvalidLimit | undefined, resolved: number, lines: number): Message {
  if (limit === undefined) return message`${resolved} (the default: 10% of ${option('lines')} ${lines}, at least 1000)`;
  return typeof limit === 'number' ? message`${resolved}` : message`${resolved} (${limit} of ${option('lines')} ${lines})`;
}
