/**
 * How a field is compared. Decided from the real data only, so the synthetic data cannot change
 * which test it is graded by.
 */
export type FieldKind =
  /** (Almost) every non-empty real value is a finite number: Kolmogorov–Smirnov. */
  | 'numeric'
  /** (Almost) every non-empty real value is an ISO-8601 date or date-time: compared as a number of days. */
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

/** Days since 1970-01-01 of an ISO-8601 date or date-time, or undefined for anything else. */
export function parseDate(value: string): number | undefined {
  const trimmed = value.trim();
  if (!ISO_DATE.test(trimmed)) return undefined;
  const ms = Date.parse(trimmed);
  return Number.isFinite(ms) ? ms / MS_PER_DAY : undefined;
}

/** The number a value of a numeric or datetime field stands for (undefined: blank or unparsable). */
export function numberOf(kind: FieldKind, value: string): number | undefined {
  return kind === 'datetime' ? parseDate(value) : parseNumber(value);
}

/** Numeric and datetime fields are compared as numbers (SDMetrics' "continuous" columns). */
export function isContinuous(kind: FieldKind): boolean {
  return kind === 'numeric' || kind === 'datetime';
}

/** Picks the comparison for one field from its real values. */
export function inferFieldKind(realValues: readonly string[]): FieldKind {
  let nonEmpty = 0;
  let numeric = 0;
  let dates = 0;
  for (const value of realValues) {
    if (value.trim() === '') continue;
    nonEmpty++;
    if (parseNumber(value) !== undefined) numeric++;
    else if (parseDate(value) !== undefined) dates++;
  }
  if (nonEmpty > 0 && numeric >= NUMERIC_SHARE * nonEmpty) return 'numeric';
  if (nonEmpty > 0 && dates >= NUMERIC_SHARE * nonEmpty) return 'datetime';
  return topKCoverage(realValues, TOP_K) >= CATEGORICAL_COVERAGE && !mostlyUnique(realValues) ? 'categorical' : 'shape';
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
