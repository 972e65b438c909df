import { ALL_DATE_FORMATS, dayNumber, isRealDate, parseDate } from '../../schema/dateFormat.js';

/**
 * How a field is compared. Decided from the real data only, so the synthetic data cannot change
 * which test it is graded by.
 */
export type ColumnKind =
  /** (Almost) every non-empty real value is a finite number: Kolmogorov–Smirnov. */
  | 'numeric'
  /** (Almost) every non-empty real value is a date or date-time (ISO-8601 or a schema date format): compared as a number of days. */
  | 'datetime'
  /** Few distinct values cover most of the data: total variation over the top values + "other". */
  | 'categorical'
  /** Unique-ish text (names, emails, ids): total variation over character-class shapes. */
  | 'shape';

/** Share of non-empty real values that must parse as numbers for a field to be numeric. */
export const NUMERIC_SHARE = 0.95;
/** Categories kept by name; the rest are pooled into "other". */
export const TOP_K = 20;
/** The top-K real values must cover this share of the real values for a `categorical` field. */
export const CATEGORICAL_COVERAGE = 0.5;
export const OTHER = '(other)';

/** The number a field value stands for, or undefined for blank and non-numeric values. */
export function parseNumber(value: string): number | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : undefined;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const MS_PER_DAY = 86_400_000;
/**
 * ISO-8601 values are read by Date.parse, which also knows time zones and fractions of a second;
 * the other formats are the schema's (schema/dateFormat.ts), so a column that trains as a date
 * (`03/14/2024`) is compared as one too.
 */
export const ISO_8601 = 'ISO-8601';
const DATE_READINGS = [ISO_8601, ...ALL_DATE_FORMATS];

/** How a column is compared, and for a datetime column the format its values are read in. */
export interface ColumnReading {
  kind: ColumnKind;
  /** datetime: ISO_8601 or one of the schema's formats. */
  dateFormat?: string;
}

/** Days since 1970-01-01 of a date or date-time in `format` (ISO-8601 by default), or undefined for anything else. */
export function dayOf(value: string, format: string = ISO_8601): number | undefined {
  const trimmed = value.trim();
  if (format !== ISO_8601) {
    const parts = parseDate(trimmed, format);
    return parts && isRealDate(parts) ? dayNumber(parts) : undefined;
  }
  if (!ISO_DATE.test(trimmed)) return undefined;
  const ms = Date.parse(trimmed);
  return Number.isFinite(ms) ? ms / MS_PER_DAY : undefined;
}

/** The number a value of a numeric or datetime column stands for (undefined: blank or unparsable). */
export function numberOf(column: ColumnReading, value: string): number | undefined {
  return column.kind === 'datetime' ? dayOf(value, column.dateFormat) : parseNumber(value);
}

/** Numeric and datetime fields are compared as numbers (SDMetrics' "continuous" columns). */
export function isContinuous(kind: ColumnKind): boolean {
  return kind === 'numeric' || kind === 'datetime';
}

/** Picks the comparison for one field from its real values. */
export function inferFieldKind(realValues: readonly string[]): ColumnKind {
  return readColumn(realValues).kind;
}

/** Picks the comparison for one field from its real values, and the date format of a datetime field. */
export function readColumn(realValues: readonly string[]): ColumnReading {
  const nonEmpty = realValues.filter((value) => value.trim() !== '');
  const enough = NUMERIC_SHARE * nonEmpty.length;
  if (nonEmpty.length > 0) {
    let numeric = 0;
    for (const value of nonEmpty) if (parseNumber(value) !== undefined) numeric++;
    if (numeric >= enough) return { kind: 'numeric' };
    // Month-first before day-first, as the schema detects them.
    const dateFormat = DATE_READINGS.find((format) => {
      let dates = 0;
      for (const value of nonEmpty) if (dayOf(value, format) !== undefined) dates++;
      return dates >= enough;
    });
    if (dateFormat !== undefined) return { kind: 'datetime', dateFormat };
  }
  return { kind: topKCoverage(realValues, TOP_K) >= CATEGORICAL_COVERAGE && !mostlyUnique(realValues) ? 'categorical' : 'shape' };
}

/**
 * The character-class shape of a value: runs of upper-case letters become "A", of other letters
 * "a", of digits "9", of white space " "; every other character stays as it is.
 * "Jane.Doe42@example.com" -> "Aa.Aa9@a.a". Shapes of unique values repeat, so their mix can be compared.
 */
export function valueShape(value: string): string {
  return value.replace(SHAPE_RUNS, (_run, upper?: string, letters?: string, digits?: string) =>
    upper ? 'A' : letters ? 'a' : digits ? '9' : ' ');
}

const SHAPE_RUNS = /(\p{Lu}+)|([\p{Ll}\p{Lt}\p{Lm}\p{Lo}\p{M}]+)|(\p{Nd}+)|\s+/gu;

/**
 * More than half the values are distinct (and more than the top K): ids, names, free text — even when
 * a small file lets 20 of them cover half.
 */
function mostlyUnique(values: readonly string[]): boolean {
  const distinct = new Set(values).size;
  return distinct > TOP_K && distinct > values.length / 2;
}

/** Share of the values taken by the k most frequent ones. */
function topKCoverage(values: readonly string[], k: number): number {
  if (values.length === 0) return 1;
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const top = [...counts.values()].sort((a, b) => b - a).slice(0, k);
  return top.reduce((sum, n) => sum + n, 0) / values.length;
}
