/**
 * The learned schema of a model's records: one entry per field, profiled from the training data
 * (profileRecords.ts), stored in synth.json, and used at generation for masks
 * (recordConstraint.ts) and checks (checkField.ts). A text model has a one-field schema.
 */

export type FieldKind = 'integer' | 'decimal' | 'date' | 'datetime' | 'boolean' | 'set' | 'text';

export interface FieldSchema {
  name: string;
  kind: FieldKind;
  /** Share of training values that were empty, in [0, 1]; a blank is allowed when it is > 0. */
  blankShare: number;
  /** Some non-blank value occurred more than once in training. */
  repeats: boolean;
  /** Distinct non-blank values seen. */
  distinct: number;
  /** Shortest and longest non-blank value, in characters. */
  minLength: number;
  maxLength: number;
  /** Characters seen in the non-blank values, sorted by code point. */
  chars: string;
  /** integer, decimal: numeric bounds; date, datetime: bounds in the field's own format. */
  min?: number | string;
  max?: number | string;
  /** decimal: most digits after the point. */
  scale?: number;
  /**
   * decimal: every training value had exactly `scale` digits after a point (4.0, 12.5 — a
   * measurement written to one place), so generated values must too. Absent in older models: false.
   */
  fixedScale?: boolean;
  /** date, datetime: e.g. "YYYY-MM-DD" or "YYYY-MM-DD HH:mm:ss" (see dateFormat.ts). */
  format?: string;
  /** set, boolean: the values, in order of first appearance (no blank). */
  values?: string[];
  /**
   * A key column (every training value distinct, in an identifier's shape): generation writes a
   * fresh, unique value of this shape instead of sampling one. Absent: not a key.
   */
  key?: KeySpec;
}

/**
 * How a key column's fresh values are made. `sequence`: prefix + a number + suffix, the number
 * zero-padded to `digits` (0: not padded, a plain integer), counting up from `start` (above every
 * training value); `fixedWidth` forbids growing past `digits` when a run needs more values.
 * `uuid`: random version-4 UUIDs, in upper case when `uppercase` (as every training value was).
 * Detected by keyColumns.ts, made by generate/keyValues.ts.
 */
export type KeySpec =
  | { format: 'sequence'; prefix: string; digits: number; suffix: string; start: number; fixedWidth?: boolean }
  | { format: 'uuid'; uppercase?: boolean };

export interface RecordSchema {
  fields: FieldSchema[];
  /** The closed-set threshold the profile used (see profileRecords.ts). */
  closedSetMaxValues: number;
  /**
   * Pairs of closed-set values no training record holds together although many would were the
   * fields independent (neverTogether.ts); generation never writes them in one record. Absent in
   * models from before it, and in a --schema-file that leaves it out: none.
   */
  neverTogether?: NeverTogether[];
}

/** Values of two closed-set fields (table indices, lower first) that never occur in one record. */
export interface NeverTogether {
  fields: [number, number];
  values: [string, string][];
}

/** The spellings a boolean field can have, true first; a field is boolean when its values fit one pair. */
export const BOOLEAN_PAIRS = [['true', 'false'], ['True', 'False'], ['TRUE', 'FALSE'], ['yes', 'no'], ['Yes', 'No'], ['YES', 'NO'], ['Y', 'N'], ['y', 'n'], ['t', 'f']] as const;

/** --schema: strict checks values against the training range; lenient checks format only. */
export type SchemaMode = 'strict' | 'lenient' | 'off';

/** Kinds whose values are a closed list, written with one value token each when the model has them. */
export function isClosedSet(field: FieldSchema): boolean {
  return field.kind === 'set' || field.kind === 'boolean';
}

const CODE_MAX_LENGTH = 8;
/**
 * A code: at most CODE_MAX_LENGTH digits and capital letters (a zip code, a region code) — a few
 * characters that place a record, not prose.
 */
export function isCode(field: FieldSchema): boolean {
  return field.maxLength <= CODE_MAX_LENGTH && /^[0-9A-Z]+$/.test(field.chars);
}
