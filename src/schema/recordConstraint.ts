import { buildFieldAutomaton, type FieldAutomaton, type FieldVocabulary } from './fieldAutomaton.js';
import { canReachRange, endsInRange } from './numberRange.js';
import type { RecordSchema } from './schema.js';

/** What the record constraint needs of the tokenizer (CharTokenizer has all of it). */
export interface RecordVocabulary {
  vocabSize: number;
  /** What each token writes (characters; value tokens and specials are never read here as text). */
  spec: { vocab: readonly string[] };
  endOfRecord: number;
  /** The separator token after field `field` (0-based). */
  separatorAfter(field: number): number;
  idOfChar(ch: string): number | undefined;
  valueTokensOf(field: number): ReadonlyMap<string, number> | undefined;
}

/**
 * The schema compiled against a vocabulary: one automaton per field plus the token that closes
 * each field (its separator, end-of-record for the last). Plain data, so a plan carrying it
 * reaches worker threads intact.
 */
export interface RecordConstraint {
  vocabSize: number;
  fields: FieldAutomaton[];
  closers: Int32Array;
  /** vocab[token]: the text a character token adds, for range masks. */
  symbols: string[];
}

/**
 * Where a record is in its schema: field index and automaton state. `field` is -1 once a token
 * left the schema (a start string the schema does not allow): the rest of that record is
 * unconstrained and judged by the validator alone.
 */
export interface Cursor {
  field: number;
  state: number;
  /** The field's text so far, kept only for fields with range masks. */
  text: string;
}

/** `ranges` false (--schema lenient): numbers are masked by format only. */
export function compileConstraint(schema: RecordSchema, vocab: RecordVocabulary, ranges = true): RecordConstraint {
  const last = schema.fields.length - 1;
  const fields = schema.fields.map((field, i) => {
    const fieldVocab: FieldVocabulary = { vocabSize: vocab.vocabSize, idOfChar: (c) => vocab.idOfChar(c), valueTokens: vocab.valueTokensOf(i) };
    return buildFieldAutomaton(field, fieldVocab, ranges);
  });
  const closers = Int32Array.from(schema.fields, (_, i) => (i === last ? vocab.endOfRecord : vocab.separatorAfter(i)));
  return { vocabSize: vocab.vocabSize, fields, closers, symbols: [...vocab.spec.vocab] };
}

/** Moves `cursor` past `token` in place. */
export function advanceCursor(constraint: RecordConstraint, cursor: Cursor, token: number): void {
  const f = cursor.field;
  if (f < 0) return;
  const automaton = constraint.fields[f];
  if (!automaton) {
    cursor.field = -1;
    return;
  }
  if (token === constraint.closers[f] && automaton.accepting[cursor.state] === 1) {
    cursor.field = f + 1;
    cursor.state = 0;
    cursor.text = '';
    return;
  }
  const next = automaton.next[cursor.state * constraint.vocabSize + token]!;
  if (next < 0) cursor.field = -1;
  else cursor.state = next;
  if (automaton.range) cursor.text += constraint.symbols[token];
}

/**
 * Rows already computed, per automaton: by state, and for range fields by state and text. A row
 * is a pure function of (field, state, text), so caching changes nothing but speed; it turns the
 * per-row work of a step into one copy (measured: the uncached mask cost a third of the onnx
 * backend's tokens/s on the customers table). Range caches stop growing at RANGE_CACHE_ROWS.
 */
const stateRows = new WeakMap<FieldAutomaton, (Float32Array | undefined)[]>();
const rangeRows = new WeakMap<FieldAutomaton, Map<string, Float32Array>>();
const RANGE_CACHE_ROWS = 4096;

/**
 * Writes the additive mask of the tokens allowed at `cursor` into mask[offset .. offset+V):
 * 0 where allowed, -Infinity elsewhere; all 0 for an unconstrained cursor.
 */
export function writeMask(constraint: RecordConstraint, cursor: Cursor, mask: Float32Array, offset: number): void {
  const V = constraint.vocabSize;
  const automaton = cursor.field >= 0 ? constraint.fields[cursor.field] : undefined;
  if (!automaton) {
    mask.fill(0, offset, offset + V);
    return;
  }
  if (automaton.range) {
    let rows = rangeRows.get(automaton);
    if (!rows) rangeRows.set(automaton, (rows = new Map()));
    const key = `${cursor.state}|${cursor.text}`;
    let row = rows.get(key);
    if (!row) {
      row = maskRow(constraint, cursor);
      if (rows.size < RANGE_CACHE_ROWS) rows.set(key, row);
    }
    mask.set(row, offset);
    return;
  }
  let rows = stateRows.get(automaton);
  if (!rows) stateRows.set(automaton, (rows = new Array<Float32Array | undefined>(automaton.states)));
  const row = (rows[cursor.state] ??= maskRow(constraint, cursor));
  mask.set(row, offset);
}

function maskRow(constraint: RecordConstraint, cursor: Cursor): Float32Array {
  const V = constraint.vocabSize;
  const automaton = constraint.fields[cursor.field]!;
  const row = new Float32Array(V);
  const base = cursor.state * V;
  const next = automaton.next;
  for (let t = 0; t < V; t++) row[t] = next[base + t]! >= 0 ? 0 : -Infinity;
  const range = automaton.range;
  if (range) {
    for (let t = 0; t < V; t++) {
      if (row[t] === 0 && !canReachRange(cursor.text + constraint.symbols[t], range)) row[t] = -Infinity;
    }
  }
  if (automaton.accepting[cursor.state] === 1 && (!range || endsInRange(cursor.text, range))) row[constraint.closers[cursor.field]!] = 0;
  return row;
}

/** The cursor of a record that has no token yet. */
export function startCursor(): Cursor {
  return { field: 0, state: 0, text: '' };
}
