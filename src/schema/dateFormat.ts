/**
 * Date and datetime formats a field can have: fixed-width patterns of YYYY, MM, DD, HH, mm, ss
 * and literal characters. Fixed width keeps masks exact (a trie of date strings) and parsing
 * a regular expression.
 */

export const DATE_FORMATS = ['YYYY-MM-DD', 'YYYY/MM/DD', 'DD.MM.YYYY', 'MM/DD/YYYY', 'DD/MM/YYYY'] as const;
const TIME_SUFFIXES = [' HH:mm:ss', 'THH:mm:ss', ' HH:mm', 'THH:mm'] as const;
/** Every format synth knows, each date format followed by its datetime variants: the order detection tries them in. */
export const ALL_DATE_FORMATS: readonly string[] = DATE_FORMATS.flatMap((d) => [d, ...TIME_SUFFIXES.map((t) => d + t)]);

export interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const TOKEN = /YYYY|MM|DD|HH|mm|ss/g;

const patternCache = new Map<string, RegExp>();

/** The format's regular expression with one capture group per token, in format order. */
function patternOf(format: string): RegExp {
  let pattern = patternCache.get(format);
  if (!pattern) {
    const source = format.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(TOKEN, (token) => (token === 'YYYY' ? '(\\d{4})' : '(\\d{2})'));
    pattern = new RegExp(`^${source}$`);
    patternCache.set(format, pattern);
  }
  return pattern;
}

/** Whether `format` is one synth knows (a date format, optionally with a time suffix). */
export function isKnownFormat(format: string): boolean {
  return DATE_FORMATS.some((d) => format === d || TIME_SUFFIXES.some((t) => format === d + t));
}

export function hasTime(format: string): boolean {
  return format.includes('HH');
}

/** The parts of `text` in `format`, or null when it does not have the format's shape. */
export function parseDate(text: string, format: string): DateParts | null {
  const match = patternOf(format).exec(text);
  if (!match) return null;
  const parts: DateParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  const tokens = format.match(TOKEN)!;
  tokens.forEach((token, i) => {
    const value = Number(match[i + 1]);
    if (token === 'YYYY') parts.year = value;
    else if (token === 'MM') parts.month = value;
    else if (token === 'DD') parts.day = value;
    else if (token === 'HH') parts.hour = value;
    else if (token === 'mm') parts.minute = value;
    else parts.second = value;
  });
  return parts;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The parts name a real calendar date and clock time (2019-04-31 and 25:00 do not). */
export function isRealDate(p: DateParts): boolean {
  return (
    p.month >= 1 && p.month <= 12 && p.day >= 1 && p.day <= daysInMonth(p.year, p.month) &&
    p.hour <= 23 && p.minute <= 59 && p.second <= 59
  );
}

/** Sortable number of the parts (yyyymmddhhmmss), for range checks. */
export function dateKey(p: DateParts): number {
  return ((((p.year * 100 + p.month) * 100 + p.day) * 100 + p.hour) * 100 + p.minute) * 100 + p.second;
}

/** Days (with fractions for the time of day) since 1970-01-01 of the parts, read as UTC. */
export function dayNumber(p: DateParts): number {
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) / 86_400_000;
}

/** `parts` written in `format`. */
export function formatDate(p: DateParts, format: string): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return format.replace(TOKEN, (token) =>
    token === 'YYYY' ? pad(p.year, 4) : token === 'MM' ? pad(p.month, 2) : token === 'DD' ? pad(p.day, 2) : token === 'HH' ? pad(p.hour, 2) : token === 'mm' ? pad(p.minute, 2) : pad(p.second, 2),
  );
}

/** The first format every value parses in as a real date, or null. Day-first wins only when month-first fails. */
export function detectDateFormat(values: readonly string[]): string | null {
  for (const format of ALL_DATE_FORMATS) {
    if (values.every((v) => {
      const p = parseDate(v, format);
      return p !== null && isRealDate(p);
    })) return format;
  }
  return null;
}

/** The date part of a format (everything before the time suffix). */
export function dateOnly(format: string): string {
  const at = format.indexOf('HH');
  return at < 0 ? format : format.slice(0, at - 1);
}

/** Every calendar date from `first` to `last` inclusive (time parts ignored), written in `format`. */
export function* datesBetween(first: DateParts, last: DateParts, format: string): Generator<string> {
  const day = new Date(Date.UTC(first.year, first.month - 1, first.day));
  const end = Date.UTC(last.year, last.month - 1, last.day);
  while (day.getTime() <= end) {
    yield formatDate({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour: 0, minute: 0, second: 0 }, format);
    day.setUTCDate(day.getUTCDate() + 1);
  }
}
