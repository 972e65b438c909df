import { buildFieldAutomaton, type FieldAutomaton, type FieldVocabulary } from './fieldAutomaton.js';
import { compileFieldBias, type MarginalCalibration } from './marginalCalibration.js';
import type { RecordSchema } from './schema.js';

/** What the record constraint needs of the tokenizer (CharTokenizer has all of it). */
export interface RecordVocabulary {
  vocabSize: number;
  /** What each token writes (characters; value tokens and specials are never read here as text). */
  spec: {
    vocab: readonly string[];
    copyTokens?: readonly { id: number; source: number; normalized: boolean }[];
    valueTokens?: readonly { id: number; value: string }[];
  };
  endOfRecord: number;
  /** The separator token after model position `position` (0-based). */
  separatorAfter(position: number): number;
  /** The table's field (0-based) the model writes at `position`. */
  fieldAt(position: number): number;
  idOfChar(ch: string): number | undefined;
  valueTokensOf(field: number): ReadonlyMap<string, number> | undefined;
  /** Fields the model learned as blank (keys); absent: none. */
  isBlankField?(field: number): boolean;
  /** Field-token models: the token that opens each table field; null or absent: positional separators. */
  fieldTokens?: readonly number[] | null;
  /** Field-token models: the model's own order of the table's fields. */
  defaultOrder?(): number[];
  /** Copy tokens that may occur in a text field (absent: none). */
  copyTokensOf?(field: number): readonly { id: number }[];
}

/**
 * The fields of one record in the order it is written: the automaton of each position (an index
 * into RecordConstraint.fields) and the token that closes it. A field-token record starts with
 * `opener`, the token of its first field; positional records have no opener (-1). Records whose
 * start fixes fields (--where, seeds) get a sequence of their own.
 */
export interface FieldSequence {
  opener: number;
  automata: Int32Array;
  closers: Int32Array;
  /**
   * Exact conditions: the same sequence with each field's own (unconditioned) automaton, and
   * `conditioned[p]` 1 where position p's automaton is a condition's narrowed one. The generator
   * then accepts a record only with the probability the model gives the condition there (see
   * generator.ts), so the fields written before a conditioned one follow the real conditional
   * distribution too.
   */
  unconditioned?: FieldSequence;
  conditioned?: Uint8Array;
}

/**
 * The schema compiled against a vocabulary: one automaton per model position (the field the model
 * writes there) plus the token that closes it (its separator, end-of-record for the last). Plain
 * data, so a plan carrying it reaches worker threads intact.
 */
export interface RecordConstraint {
  vocabSize: number;
  /** Positional models: one per model position; field-token models: one per table field, then any narrowed ones. */
  fields: FieldAutomaton[];
  /** The sequence of a record written in the model's own order. */
  sequence: FieldSequence;
  /**
   * Field-token models: every field token and end-of-record. Where a field may end, all of them
   * are allowed and the one sampled stands for "this field ends", replaced by the record's own
   * closer (closerOf). Why: the order is the record's, not the model's choice, and a model trained
   * on shuffled orders spreads "end of field" over the fields that might come next; masking all but
   * one would drop that mass and keep the field going (e-mails running on into "k0.00").
   */
  closerClass?: Int32Array;
  /**
   * Copy tokens (field-token models): a copy writes a whole value in one token, so a text field's
   * automaton, which counts characters, is moved on by the copied value's length
   * (engine/copyLength.ts). `text[token]` is what a character or value token writes; `fieldOf`
   * the field a field token opens (-1 for others).
   */
  copies?: { ids: Int32Array; sources: Int32Array; normalized: Uint8Array; text: string[]; fieldOf: Int32Array };
  /** vocab[token]: the text a character token adds, for range masks. */
  symbols: string[];
  /**
   * The schema's never-together pairs as value tokens, both ways, in compressed rows: the tokens
   * token t rules out for the rest of its record are `tokens[start[t]]` to `tokens[start[t + 1] - 1]`.
   * By token, not by position, so it holds whatever order the record is written in.
   */
  exclusions?: { start: Int32Array; tokens: Int32Array };
}

/**
 * Where a record is in its schema: model position (`field`) and automaton state. `field` is -1 once a token
 * left the schema (a start string the schema does not allow): the rest of that record is
 * unconstrained and judged by the validator alone.
 */
export interface Cursor {
  /** The position in `sequence`; -2 before a field-token record's opener. */
  field: number;
  state: number;
  /** Tokens written in the current field so far, and the last of them (-1: none); marginal calibration is keyed by both. */
  step: number;
  previous: number;
  sequence: FieldSequence;
  /** The field's text so far, kept only for fields with range masks (maskRows.ts reads it). */
  text: string;
  /** Exact conditions: the same record's cursor in `sequence.unconditioned`, moved in step. */
  shadow?: Cursor;
  /** Tokens written so far that rule others out (RecordConstraint.exclusions), in writing order. */
  carriers?: number[];
}

/**
 * `ranges` false (--schema lenient): numbers are masked by format only. `calibration`: the model's
 * marginal calibration, carried by each field's automaton.
 */
export function compileConstraint(schema: RecordSchema, vocab: RecordVocabulary, ranges = true, calibration?: MarginalCalibration): RecordConstraint {
  const last = schema.fields.length - 1;
  const exclusions = exclusionsOf(schema, vocab);
  const excluding = exclusions ? { exclusions } : {};
  const calibrated = (automaton: FieldAutomaton, field: number): FieldAutomaton => {
    const bias = compileFieldBias(calibration, field, vocab.vocabSize);
    return bias ? { ...automaton, bias } : automaton;
  };
  if (vocab.fieldTokens) {
    const fields = schema.fields.map((_, field) => calibrated(fieldAutomaton(schema, vocab, field, ranges), field));
    const constraint = { vocabSize: vocab.vocabSize, fields, symbols: [...vocab.spec.vocab], closerClass: closerClassOf(vocab) };
    const copies = copiesOf(vocab);
    return { ...constraint, sequence: fieldSequence(vocab, vocab.defaultOrder!()), ...(copies ? { copies } : {}), ...excluding };
  }
  const fields = schema.fields.map((_, position) => calibrated(fieldAutomaton(schema, vocab, vocab.fieldAt(position), ranges), vocab.fieldAt(position)));
  const closers = Int32Array.from(schema.fields, (_, i) => (i === last ? vocab.endOfRecord : vocab.separatorAfter(i)));
  return { vocabSize: vocab.vocabSize, fields, sequence: { opener: -1, automata: Int32Array.from(fields, (_, i) => i), closers }, symbols: [...vocab.spec.vocab], ...excluding };
}

/**
 * The never-together pairs as token exclusions. Pairs whose values have no value token (a model
 * that spells values out, a key learned blank) rule nothing out.
 */
function exclusionsOf(schema: RecordSchema, vocab: RecordVocabulary): RecordConstraint['exclusions'] {
  const ruledOut = new Map<number, Set<number>>();
  const rule = (a: number, b: number) => {
    let set = ruledOut.get(a);
    if (!set) ruledOut.set(a, (set = new Set()));
    set.add(b);
  };
  for (const { fields, values } of schema.neverTogether ?? []) {
    const first = vocab.valueTokensOf(fields[0]);
    const second = vocab.valueTokensOf(fields[1]);
    if (!first || !second || vocab.isBlankField?.(fields[0]) || vocab.isBlankField?.(fields[1])) continue;
    for (const [a, b] of values) {
      const ta = first.get(a);
      const tb = second.get(b);
      if (ta === undefined || tb === undefined) continue;
      rule(ta, tb);
      rule(tb, ta);
    }
  }
  if (ruledOut.size === 0) return undefined;
  const start = new Int32Array(vocab.vocabSize + 1);
  const tokens: number[] = [];
  for (let t = 0; t < vocab.vocabSize; t++) {
    start[t] = tokens.length;
    for (const other of [...(ruledOut.get(t) ?? [])].sort((x, y) => x - y)) tokens.push(other);
  }
  start[vocab.vocabSize] = tokens.length;
  return { start, tokens: Int32Array.from(tokens) };
}

/** The automaton of table field `field`, for a model whose vocabulary is `vocab`. */
export function fieldAutomaton(schema: RecordSchema, vocab: RecordVocabulary, field: number, ranges = true): FieldAutomaton {
  // A key the model learned as blank gets its value after sampling: only the closer may follow.
  if (schema.fields[field]!.key && vocab.isBlankField?.(field)) return closerOnlyAutomaton(vocab.vocabSize);
  const fieldVocab: FieldVocabulary = {
    vocabSize: vocab.vocabSize,
    idOfChar: (c) => vocab.idOfChar(c),
    valueTokens: vocab.valueTokensOf(field),
    extraTextTokens: vocab.copyTokensOf?.(field).map((c) => c.id),
  };
  return buildFieldAutomaton(schema.fields[field]!, fieldVocab, ranges);
}

/**
 * A field-token model's sequence for table fields written in `order`, automaton i being table
 * field i's (or `automata[i]` where given: a narrowed field's).
 */
export function fieldSequence(vocab: RecordVocabulary, order: readonly number[], automata?: ReadonlyMap<number, number>): FieldSequence {
  const tokens = vocab.fieldTokens!;
  return {
    opener: tokens[order[0]!]!,
    automata: Int32Array.from(order, (field) => automata?.get(field) ?? field),
    closers: Int32Array.from(order, (_, p) => (p + 1 < order.length ? tokens[order[p + 1]!]! : vocab.endOfRecord)),
  };
}

/**
 * --schema off on a field-token model: no value is checked, but the fields still come in the
 * record's order (any token but a field token or end-of-record may continue a field).
 */
export function orderOnlyConstraint(vocab: RecordVocabulary): RecordConstraint {
  const V = vocab.vocabSize;
  const next = new Int32Array(V).fill(0);
  next[vocab.endOfRecord] = -1;
  for (const id of vocab.fieldTokens!) next[id] = -1;
  const free: FieldAutomaton = { states: 1, next, accepting: Uint8Array.of(1) };
  const fields = vocab.fieldTokens!.map(() => free);
  return { vocabSize: V, fields, sequence: fieldSequence(vocab, vocab.defaultOrder!()), symbols: [...vocab.spec.vocab], closerClass: closerClassOf(vocab) };
}

function copiesOf(vocab: RecordVocabulary): RecordConstraint['copies'] {
  const copies = vocab.spec.copyTokens ?? [];
  if (copies.length === 0) return undefined;
  const text = vocab.spec.vocab.map((symbol) => symbol);
  for (const { id, value } of vocab.spec.valueTokens ?? []) text[id] = value;
  const fieldOf = new Int32Array(vocab.vocabSize).fill(-1);
  vocab.fieldTokens!.forEach((id, field) => {
    fieldOf[id] = field;
    text[id] = '';
  });
  text[vocab.endOfRecord] = '';
  return {
    ids: Int32Array.from(copies, (c) => c.id),
    sources: Int32Array.from(copies, (c) => c.source),
    normalized: Uint8Array.from(copies, (c) => (c.normalized ? 1 : 0)),
    text,
    fieldOf,
  };
}

function closerClassOf(vocab: RecordVocabulary): Int32Array {
  return Int32Array.from([...vocab.fieldTokens!, vocab.endOfRecord]);
}

/**
 * The token a sampled one stands for at `cursor`: a field token or end-of-record sampled where the
 * field may end is the record's own closer there; any other token is itself.
 */
export function closerOf(constraint: RecordConstraint, cursor: Cursor, token: number, isCloserClass: Uint8Array): number {
  const position = cursor.field;
  if (!isCloserClass[token] || position < 0 || position >= cursor.sequence.closers.length) return token;
  return cursor.sequence.closers[position]!;
}

function closerOnlyAutomaton(vocabSize: number): FieldAutomaton {
  return { states: 1, next: new Int32Array(vocabSize).fill(-1), accepting: Uint8Array.of(1) };
}

/** Moves `cursor` past `token` in place. */
export function advanceCursor(constraint: RecordConstraint, cursor: Cursor, token: number): void {
  if (cursor.shadow) advanceCursor(constraint, cursor.shadow, token);
  const exclusions = constraint.exclusions;
  if (exclusions && exclusions.start[token + 1]! > exclusions.start[token]! && !cursor.carriers?.includes(token)) (cursor.carriers ??= []).push(token);
  const f = cursor.field;
  const sequence = cursor.sequence;
  if (f === -2) {
    cursor.field = token === sequence.opener ? 0 : -1;
    cursor.step = 0;
    cursor.previous = -1;
    return;
  }
  if (f < 0) return;
  const automaton = f < sequence.automata.length ? constraint.fields[sequence.automata[f]!] : undefined;
  if (!automaton) {
    cursor.field = -1;
    return;
  }
  if (token === sequence.closers[f] && automaton.accepting[cursor.state] === 1) {
    cursor.field = f + 1;
    cursor.state = 0;
    cursor.step = 0;
    cursor.previous = -1;
    cursor.text = '';
    return;
  }
  cursor.step++;
  cursor.previous = token;
  const next = automaton.next[cursor.state * constraint.vocabSize + token]!;
  if (next < 0) cursor.field = -1;
  else cursor.state = next;
  if (automaton.range) cursor.text += constraint.symbols[token];
}

/** The cursor of a record that has no token yet, to be written in `sequence`. */
export function startCursor(sequence: FieldSequence): Cursor {
  const cursor: Cursor = { field: sequence.opener >= 0 ? -2 : 0, state: 0, step: 0, previous: -1, text: '', sequence };
  if (sequence.unconditioned) cursor.shadow = startCursor(sequence.unconditioned);
  return cursor;
}

/** Whether the cursor is inside a field a condition narrowed (exact conditions only). */
export function atCondition(cursor: Cursor): boolean {
  const conditioned = cursor.sequence.conditioned;
  return conditioned !== undefined && cursor.field >= 0 && conditioned[cursor.field] === 1 && cursor.shadow !== undefined && cursor.shadow.field === cursor.field;
}
