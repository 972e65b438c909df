import { ALL_DATE_FORMATS, dateKey, isRealDate, parseDate } from './dateFormat.js';
import { KeyShapeTracker } from './keyColumns.js';
import { BOOLEAN_PAIRS, type FieldSchema, type RecordSchema } from './schema.js';

/**
 * A field is a closed set when it has at most this many distinct values and each value appears
 * on average at least CLOSED_SET_MIN_MEAN_COUNT times (NUMERIC_CLOSED_SET_MIN_MEAN_COUNT for a
 * field of numbers), i.e. the values seen cover the data and a
 * new one would be a misspelling rather than a new name. Overridable with `synth train
 * --closed-set-max N` (0 turns closed sets off). E-mail addresses and ids (one value per row) stay
 * free text whatever the threshold; 300 also takes numbers measured to a fixed precision (weather's
 * precipitation: 144 values in 2,922 rows; wind: 113), which the model then chooses with one
 * softmax instead of digit by digit. Measured on fixtures/public/weather.csv (20 epochs, same
 * seed): at 100 those two fields scored 0.78 / 0.84 on Column Shapes and the table 0.922; at 300,
 * 0.95 / 0.97 and 0.976.
 */
export const DEFAULT_CLOSED_SET_MAX_VALUES = 300;
export const CLOSED_SET_MIN_MEAN_COUNT = 10;
/**
 * Numbers need fewer rows per value to be a closed set: their value tokens start smooth in the
 * value (numericValueTokens.ts), so neighbouring values share what the model learns, and a number
 * chosen with one softmax keeps its distribution where one written digit by digit drifts. Measured
 * on fixtures/public/cars.csv (398 rows; miles per gallon 129 values, horsepower 93, displacement
 * 83, acceleration 96), default flags: Column Shapes / Pair Trends 0.925 / 0.936 → 0.946 / 0.945
 * (seed 42) and 0.887 / 0.896 → 0.934 / 0.927 (seed 7). A number seen once per row (an id, a
 * price to the cent) stays a number.
 */
export const NUMERIC_CLOSED_SET_MIN_MEAN_COUNT = 2;
/** Distinct values tracked per field; past it a field is no closed set and memory stays bounded. */
const DISTINCT_CAP = 100_000;

const INTEGER = /^-?(0|[1-9]\d*)$/;
const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;

export interface ProfileOptions {
  closedSetMaxValues?: number;
  /** Mark key columns (keyColumns.ts); default true. */
  keys?: boolean;
}

interface DateBounds {
  minKey: number;
  min: string;
  maxKey: number;
  max: string;
}

/**
 * Profiles one field from its values seen one at a time (training input is streamed, so no
 * field's values are kept beyond DISTINCT_CAP distinct ones): counts, lengths, characters, and
 * which numeric and date formats every value so far fits.
 */
export class FieldProfiler {
  private readonly counts = new Map<string, number>();
  private overflow = false;
  private repeats = false;
  private total = 0;
  private blanks = 0;
  private minLength = Infinity;
  private maxLength = 0;
  private readonly chars = new Set<string>();
  private integer = true;
  private decimal = true;
  private numMin = Infinity;
  private numMax = -Infinity;
  private scale = 0;
  /** Fewest digits after the point of any numeric value (0 for one without a point). */
  private minScale = Infinity;
  private dates = new Map<string, DateBounds>(ALL_DATE_FORMATS.map((f) => [f, { minKey: Infinity, min: '', maxKey: -Infinity, max: '' }]));
  private readonly keyShape = new KeyShapeTracker();

  add(value: string): void {
    this.total++;
    if (value === '') {
      this.blanks++;
      return;
    }
    const seen = this.counts.get(value);
    if (seen !== undefined) {
      this.counts.set(value, seen + 1);
      this.repeats = true;
    } else if (this.counts.size < DISTINCT_CAP) {
      this.counts.set(value, 1);
    } else {
      this.overflow = true;
    }
    const length = [...value].length;
    if (length < this.minLength) this.minLength = length;
    if (length > this.maxLength) this.maxLength = length;
    for (const ch of value) this.chars.add(ch);
    if (this.decimal) this.addNumber(value);
    if (this.dates.size > 0) this.addDate(value);
    if (!this.repeats) this.keyShape.add(value);
  }

  private addNumber(value: string): void {
    if (!DECIMAL.test(value)) {
      this.integer = this.decimal = false;
      return;
    }
    if (this.integer && !(INTEGER.test(value) && Number.isSafeInteger(Number(value)))) this.integer = false;
    const n = Number(value);
    if (n < this.numMin) this.numMin = n;
    if (n > this.numMax) this.numMax = n;
    const point = value.indexOf('.');
    const places = point >= 0 ? value.length - point - 1 : 0;
    if (places > this.scale) this.scale = places;
    if (places < this.minScale) this.minScale = places;
  }

  private addDate(value: string): void {
    for (const [format, bounds] of this.dates) {
      const parts = parseDate(value, format);
      if (!parts || !isRealDate(parts)) {
        this.dates.delete(format);
        continue;
      }
      const key = dateKey(parts);
      if (key < bounds.minKey) Object.assign(bounds, { minKey: key, min: value });
      if (key > bounds.maxKey) Object.assign(bounds, { maxKey: key, max: value });
    }
  }

  /**
   * The field's schema; the first matching kind of: boolean, closed set, date, integer, decimal,
   * text; with `key` when `keys` and every value was there, distinct and shaped like an identifier.
   */
  finish(name: string, closedSetMaxValues: number, keys = true): FieldSchema {
    const field = this.finishKind(name, closedSetMaxValues);
    if (!keys || this.blanks > 0 || this.repeats || this.overflow || field.kind === 'set' || field.kind === 'boolean') return field;
    const key = this.keyShape.finish();
    return key ? { ...field, key } : field;
  }

  private finishKind(name: string, closedSetMaxValues: number): FieldSchema {
    const nonBlank = this.total - this.blanks;
    const distinct = [...this.counts.keys()];
    const base: FieldSchema = {
      name,
      kind: 'text',
      blankShare: this.total === 0 ? 0 : Math.round((this.blanks / this.total) * 1e6) / 1e6,
      repeats: this.repeats,
      distinct: distinct.length,
      minLength: nonBlank === 0 ? 0 : this.minLength,
      maxLength: this.maxLength,
      chars: [...this.chars].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!).join(''),
    };
    if (nonBlank === 0) return base;
    if (!this.overflow) {
      const pair = BOOLEAN_PAIRS.find((p) => distinct.every((v) => (p as readonly string[]).includes(v)));
      if (pair) return { ...base, kind: 'boolean', values: [...pair] };
      const minMeanCount = this.integer || this.decimal ? NUMERIC_CLOSED_SET_MIN_MEAN_COUNT : CLOSED_SET_MIN_MEAN_COUNT;
      if (distinct.length <= closedSetMaxValues && distinct.length * minMeanCount <= nonBlank) {
        return { ...base, kind: 'set', values: distinct };
      }
    }
    const date = this.dates.entries().next();
    if (!date.done) {
      const [format, bounds] = date.value;
      return { ...base, kind: format.includes('HH') ? 'datetime' : 'date', format, min: bounds.min, max: bounds.max };
    }
    if (this.integer) return { ...base, kind: 'integer', min: this.numMin, max: this.numMax };
    if (this.decimal) return { ...base, kind: 'decimal', scale: this.scale, fixedScale: this.minScale === this.scale, min: this.numMin, max: this.numMax };
    return base;
  }
}

/** Profiles whole records one at a time; `finish` takes the field names (the header, or ["text"]). */
export class RecordProfiler {
  private readonly fields: FieldProfiler[] = [];

  add(fields: readonly string[]): void {
    for (let i = 0; i < fields.length; i++) (this.fields[i] ??= new FieldProfiler()).add(fields[i]!);
  }

  finish(names: readonly string[], options: ProfileOptions = {}): RecordSchema {
    const closedSetMaxValues = options.closedSetMaxValues ?? DEFAULT_CLOSED_SET_MAX_VALUES;
    const keys = options.keys !== false;
    return { fields: names.map((name, i) => (this.fields[i] ?? new FieldProfiler()).finish(name, closedSetMaxValues, keys)), closedSetMaxValues };
  }
}

/** Profiles every field of the training records; `names` is the header (or ["text"] for a text model). */
export function profileRecords(records: Iterable<readonly string[]>, names: readonly string[], options: ProfileOptions = {}): RecordSchema {
  const profiler = new RecordProfiler();
  for (const fields of records) profiler.add(fields);
  return profiler.finish(names, options);
}
