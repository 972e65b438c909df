import { canReachRange, endsInRange } from './numberRange.js';
import { biasKey, type StepBias } from './marginalCalibration.js';
import type { Cursor, RecordConstraint } from './recordConstraint.js';

/**
 * The additive mask rows of a constraint: row[token] is -Infinity where the token cannot follow
 * the cursor, and 0 where it can — or, in a calibrated field, the token's calibration bias
 * (marginalCalibration.ts). A row is a pure function of (field, state, step when calibrated, and
 * for range fields the text so far), so rows are computed once and shared; equal uncalibrated rows
 * are one object, so a caller can skip copying a row that did not change between steps by
 * comparing references.
 */
export interface MaskRows {
  /** The row at `cursor`, all 0 for an unconstrained cursor. Shared: never write into it. */
  rowOf(cursor: Cursor): Float32Array;
  /**
   * rowOf in two parts for the generation loop: the row without calibration (equal rows one
   * object, as above), and the calibration to add where that row is not -Infinity. Why: calibrated
   * rows are many distinct objects, and copying a whole one into the batch's mask at every step
   * made generation a quarter slower on two workers (the bundled model, 20,000 records) although the
   * records were the same; the sparse bias touches a few values.
   */
  plainRowOf(cursor: Cursor): Float32Array;
  biasOf(cursor: Cursor): SparseBias | undefined;
  /** The all-0 row. */
  readonly unconstrained: Float32Array;
}

/** Calibration biases to add to a row: `values[i]` at token `tokens[i]` (ending the field included). */
export interface SparseBias {
  tokens: Int32Array;
  values: Float32Array;
}

/**
 * Range fields are cached per (state, text); a field stops caching new texts at this many (a wide
 * range has more prefixes than are worth keeping). An entry is a short key and a shared row, so
 * 65536 keys cost a few MB; the customers table's 20,000 records need about 9,300.
 */
const RANGE_CACHE_KEYS = 65536;

const shared = new WeakMap<RecordConstraint, MaskRows>();

/** Rows of one field (and calibration context): by (state, closer), and for range fields by state, then closer and text. */
interface RowCache {
  byState: Map<number, Float32Array>;
  byText: Map<string, Float32Array>[];
}

/** The rows of `constraint`, shared by every generation that uses the same compiled constraint. */
export function maskRowsOf(constraint: RecordConstraint): MaskRows {
  let rows = shared.get(constraint);
  if (!rows) shared.set(constraint, (rows = createMaskRows(constraint)));
  return rows;
}

/** A fresh cache; `rangeCacheKeys` is a parameter so tests can reach the uncached path. */
export function createMaskRows(constraint: RecordConstraint, rangeCacheKeys = RANGE_CACHE_KEYS): MaskRows {
  const V = constraint.vocabSize;
  const unconstrained = new Float32Array(V);
  /** Rows by the allowed tokens they hold, so equal rows are one object. */
  const interned = new Map<string, Float32Array>();
  /** Per field and state: the tokens the automaton allows (before range and closer). */
  const allowedByState = constraint.fields.map((a) => new Array<Int32Array | undefined>(a.states));
  // Rows by automaton and (state, closer): a field's closer depends on the record's sequence.
  const rowCache = (field: number): RowCache => ({
    byState: new Map(),
    byText: constraint.fields[field]!.range ? Array.from({ length: constraint.fields[field]!.states }, () => new Map<string, Float32Array>()) : [],
  });
  const plainRows = constraint.fields.map((_, field) => rowCache(field));
  // Calibrated steps get rows of their own, by field and then by calibration context (a small
  // integer, so the lookups stay cheap).
  const biasedRows = constraint.fields.map(() => new Map<number, RowCache>());
  const rangeKeys = new Int32Array(constraint.fields.length);

  const intern = (tokens: number[]): Float32Array => {
    const key = tokens.join(',');
    let row = interned.get(key);
    if (!row) {
      row = new Float32Array(V).fill(-Infinity);
      for (const t of tokens) row[t] = 0;
      interned.set(key, row);
    }
    return row;
  };

  const allowedOf = (field: number, state: number): Int32Array => {
    let allowed = allowedByState[field]![state];
    if (!allowed) {
      const next = constraint.fields[field]!.next;
      const tokens: number[] = [];
      for (let t = 0, base = state * V; t < V; t++) if (next[base + t]! >= 0) tokens.push(t);
      allowedByState[field]![state] = allowed = Int32Array.from(tokens);
    }
    return allowed;
  };

  const computeRow = (field: number, state: number, text: string, closer: number, bias: StepBias | undefined): Float32Array => {
    const automaton = constraint.fields[field]!;
    const range = automaton.range;
    const tokens: number[] = [];
    for (const t of allowedOf(field, state)) {
      if (!range || canReachRange(text + constraint.symbols[t], range)) tokens.push(t);
    }
    const closers = constraint.closerClass ?? [closer];
    if (automaton.accepting[state] === 1 && (!range || endsInRange(text, range))) {
      for (const t of closers) if (!tokens.includes(t)) tokens.push(t);
    }
    if (!bias) return intern(tokens);
    const row = new Float32Array(V).fill(-Infinity);
    for (const t of tokens) row[t] = bias.tokens[t]!;
    // Ending the field has one bias whichever token stands for the end.
    for (const t of closers) if (row[t] !== -Infinity) row[t] = bias.end;
    return row;
  };

  const exclusions = constraint.exclusions;
  /** Tokens some carrier rules out: a row allowing none of them needs no exclusion at all. */
  const excludable = new Uint8Array(V);
  if (exclusions) for (const t of exclusions.tokens) excludable[t] = 1;
  const rowIds = new WeakMap<Float32Array, number>();
  let nextRowId = 0;
  const mayExclude = new WeakMap<Float32Array, boolean>();
  const excludedRows = new Map<string, Float32Array>();

  /** `row` without the tokens the record's carriers rule out; `row` itself if that leaves nothing. */
  const excluding = (row: Float32Array, carriers: readonly number[]): Float32Array => {
    let may = mayExclude.get(row);
    if (may === undefined) {
      may = false;
      for (let t = 0; t < V && !may; t++) may = excludable[t] === 1 && row[t] !== -Infinity;
      mayExclude.set(row, may);
      rowIds.set(row, nextRowId++);
    }
    if (!may) return row;
    const key = `${rowIds.get(row)}|${carriers.join(',')}`;
    let out = excludedRows.get(key);
    if (!out) {
      const ruledOut = new Set<number>();
      for (const c of carriers) for (let k = exclusions!.start[c]!; k < exclusions!.start[c + 1]!; k++) ruledOut.add(exclusions!.tokens[k]!);
      const kept = Float32Array.from(row, (value, t) => (ruledOut.has(t) ? -Infinity : value));
      // Never a row that leaves the record no way on: a start string or a forced condition that
      // already broke a pair keeps going as its own tokens say.
      out = kept.every((value) => value === -Infinity) ? row : kept;
      if (excludedRows.size < rangeCacheKeys) excludedRows.set(key, out);
    }
    return out;
  };

  /** Per field: sparse biases by calibration context, then closer. */
  const sparseBiases = constraint.fields.map(() => new Map<number, Map<number, SparseBias>>());

  return {
    unconstrained,
    rowOf(cursor: Cursor): Float32Array {
      const row = baseRowOf(cursor, true);
      return cursor.carriers && exclusions ? excluding(row, cursor.carriers) : row;
    },
    plainRowOf(cursor: Cursor): Float32Array {
      const row = baseRowOf(cursor, false);
      return cursor.carriers && exclusions ? excluding(row, cursor.carriers) : row;
    },
    biasOf(cursor: Cursor): SparseBias | undefined {
      const { sequence } = cursor;
      const position = cursor.field;
      const field = position >= 0 && position < sequence.automata.length ? sequence.automata[position]! : -1;
      const automaton = field >= 0 ? constraint.fields[field] : undefined;
      if (!automaton?.bias) return undefined;
      const context = biasKey(cursor.step, cursor.previous);
      const bias = automaton.bias.get(context);
      if (!bias) return undefined;
      const closer = sequence.closers[position]!;
      let byCloser = sparseBiases[field]!.get(context);
      if (!byCloser) sparseBiases[field]!.set(context, (byCloser = new Map()));
      let sparse = byCloser.get(closer);
      if (!sparse) {
        const tokens: number[] = [];
        const values: number[] = [];
        for (let t = 0; t < V; t++) {
          if (bias.tokens[t] !== 0) {
            tokens.push(t);
            values.push(bias.tokens[t]!);
          }
        }
        if (bias.end !== 0) {
          for (const t of constraint.closerClass ?? [closer]) {
            tokens.push(t);
            values.push(bias.end);
          }
        }
        byCloser.set(closer, (sparse = { tokens: Int32Array.from(tokens), values: Float32Array.from(values) }));
      }
      return sparse;
    },
  };

  function baseRowOf(cursor: Cursor, calibrated: boolean): Float32Array {
    const { state, sequence } = cursor;
    const position = cursor.field;
    const field = position >= 0 && position < sequence.automata.length ? sequence.automata[position]! : -1;
    const automaton = field >= 0 ? constraint.fields[field] : undefined;
    if (!automaton) return unconstrained;
    const closer = sequence.closers[position]!;
    let cache = plainRows[field]!;
    let bias: StepBias | undefined;
    if (calibrated && automaton.bias) {
      const context = biasKey(cursor.step, cursor.previous);
      bias = automaton.bias.get(context);
      if (bias) {
        let biased = biasedRows[field]!.get(context);
        if (!biased) biasedRows[field]!.set(context, (biased = rowCache(field)));
        cache = biased;
      }
    }
    if (!automaton.range) {
      const key = state * (V + 1) + closer;
      let row = cache.byState.get(key);
      if (!row) cache.byState.set(key, (row = computeRow(field, state, '', closer, bias)));
      return row;
    }
    const byText = cache.byText[state]!;
    const key = `${closer}:${cursor.text}`;
    let row = byText.get(key);
    if (!row) {
      row = computeRow(field, state, cursor.text, closer, bias);
      if (rangeKeys[field]! < rangeCacheKeys) {
        byText.set(key, row);
        rangeKeys[field]!++;
      }
    }
    return row;
  }
}
