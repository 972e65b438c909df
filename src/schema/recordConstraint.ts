import { buildFieldAutomaton, type FieldAutomaton, type FieldVocabulary } from './fieldAutomaton.js';
import type { RecordSchema } from './schema.js';

/** What the record constraint needs of the tokenizer (CharTokenizer has all of it). */
export interface RecordVocabulary {
  vocabSize: number;
  /** What each token writes (characters; value tokens and specials are never read here as text). */
  spec: { vocab: readonly string[] };
  endOfRecord: number;
  /** The separator token after model position `position` (0-based). */
  separatorAfter(position: number): number;
  /** The table's field (0-based) the model writes at `position`. */
  fieldAt(position: number): number;
  idOfChar(ch: string): number | undefined;
  valueTokensOf(field: number): ReadonlyMap<string, number> | undefined;
  /** Fields the model learned as blank (keys); absent: none. */
  isBlankField?(field: number): boolean;
}

/**
 * The schema compiled against a vocabulary: one automaton per model position (the field the model
 * writes there) plus the token that closes it (its separator, end-of-record for the last). Plain
 * data, so a plan carrying it reaches worker threads intact.
 */
export interface RecordConstraint {
  vocabSize: number;
  fields: FieldAutomaton[];
  closers: Int32Array;
  /** vocab[token]: the text a character token adds, for range masks. */
  symbols: string[];
}

/**
 * Where a record is in its schema: model position (`field`) and automaton state. `field` is -1 once a token
 * left the schema (a start string the schema does not allow): the rest of that record is
 * unconstrained and judged by the validator alone.
 */
export interface Cursor {
  field: number;
  state: number;
  /** The field's text so far, kept only for fields with range masks (maskRows.ts reads it). */
  text: string;
}

/** `ranges` false (--schema lenient): numbers are masked by format only. */
export function compileConstraint(schema: RecordSchema, vocab: RecordVocabulary, ranges = true): RecordConstraint {
  const last = schema.fields.length - 1;
  const fields = schema.fields.map((_, position) => {
    const field = vocab.fieldAt(position);
    // A key the model learned as blank gets its value after sampling: only the closer may follow.
    if (schema.fields[field]!.key && vocab.isBlankField?.(field)) return closerOnlyAutomaton(vocab.vocabSize);
    const fieldVocab: FieldVocabulary = { vocabSize: vocab.vocabSize, idOfChar: (c) => vocab.idOfChar(c), valueTokens: vocab.valueTokensOf(field) };
    return buildFieldAutomaton(schema.fields[field]!, fieldVocab, ranges);
  });
  const closers = Int32Array.from(schema.fields, (_, i) => (i === last ? vocab.endOfRecord : vocab.separatorAfter(i)));
  return { vocabSize: vocab.vocabSize, fields, closers, symbols: [...vocab.spec.vocab] };
}

function closerOnlyAutomaton(vocabSize: number): FieldAutomaton {
  return { states: 1, next: new Int32Array(vocabSize).fill(-1), accepting: Uint8Array.of(1) };
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

/** The cursor of a record that has no token yet. */
export function startCursor(): Cursor {
  return { field: 0, state: 0, text: '' };
}
