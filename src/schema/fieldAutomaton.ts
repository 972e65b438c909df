import { dateOnly, datesBetween, hasTime, parseDate } from './dateFormat.js';
import type { NumberRange } from './numberRange.js';
import type { FieldBias } from './marginalCalibration.js';
import type { FieldSchema } from './schema.js';

/** What a field automaton needs to know of the vocabulary. */
export interface FieldVocabulary {
  vocabSize: number;
  idOfChar(ch: string): number | undefined;
  /** value -> token id for a field written with value tokens. */
  valueTokens?: ReadonlyMap<string, number>;
  /** Tokens a free-text value may hold besides its characters (copy tokens), each counted as one character. */
  extraTextTokens?: readonly number[];
}

/**
 * A deterministic automaton over token ids for one field: `next[state * vocabSize + token]` is the
 * state after the token, -1 where the token cannot continue a valid value; `accepting[state]` is 1
 * where the value may end (the field's separator or end-of-record may follow). Plain typed arrays,
 * so it crosses to worker threads by structured clone. Every state either accepts or has a way on,
 * so a mask built from it never leaves a row without a token to sample.
 */
export interface FieldAutomaton {
  states: number;
  next: Int32Array;
  accepting: Uint8Array;
  /** Integer and decimal fields with range masks: the range the value must end in. */
  range?: NumberRange;
  /** Marginal calibration by step of the field and the token before (marginalCalibration.ts); absent: none. */
  bias?: FieldBias;
}

class Builder {
  private readonly edges: Map<number, number>[] = [];
  private readonly accept: boolean[] = [];

  state(accepting = false): number {
    this.edges.push(new Map());
    this.accept.push(accepting);
    return this.edges.length - 1;
  }

  setAccepting(state: number, accepting = true): void {
    this.accept[state] = accepting;
  }

  /** Edge on `token` (ignored when the vocabulary lacks it: undefined); returns the target. */
  edge(from: number, token: number | undefined, to: number): number {
    if (token !== undefined) this.edges[from]!.set(token, to);
    return to;
  }

  target(from: number, token: number): number | undefined {
    return this.edges[from]!.get(token);
  }

  build(vocabSize: number): FieldAutomaton {
    const states = this.edges.length;
    const next = new Int32Array(states * vocabSize).fill(-1);
    this.edges.forEach((edges, s) => edges.forEach((to, token) => (next[s * vocabSize + token] = to)));
    return { states, next, accepting: Uint8Array.from(this.accept, (a) => (a ? 1 : 0)) };
  }
}

/** Texts above this length get no per-length states: only the alphabet is masked. */
const MAX_COUNTED_LENGTH = 1000;

/** The automaton of the values `field` allows, over `vocab`'s tokens. */
export function buildFieldAutomaton(field: FieldSchema, vocab: FieldVocabulary, ranges = true): FieldAutomaton {
  const b = new Builder();
  const start = b.state(field.blankShare > 0);
  const ch = (c: string) => vocab.idOfChar(c);
  switch (field.kind) {
    case 'set':
    case 'boolean':
      if (vocab.valueTokens) {
        const done = b.state(true);
        for (const value of field.values!) b.edge(start, vocab.valueTokens.get(value), done);
      } else {
        addStrings(b, start, field.values!, ch);
      }
      break;
    case 'date':
    case 'datetime':
      addDates(b, start, field, ch);
      break;
    case 'integer':
      addNumber(b, start, field, 0, ch);
      break;
    case 'decimal':
      addNumber(b, start, field, field.scale ?? 0, ch, field.fixedScale === true);
      break;
    case 'text':
      addText(b, start, field, ch, vocab.extraTextTokens ?? []);
      break;
  }
  const automaton = b.build(vocab.vocabSize);
  if (ranges && (field.kind === 'integer' || field.kind === 'decimal')) automaton.range = numberRangeOf(field);
  return automaton;
}

function numberRangeOf(field: FieldSchema): NumberRange {
  const min = field.min as number;
  const max = field.max as number;
  const intDigits = Math.max(String(Math.trunc(Math.abs(min))).length, String(Math.trunc(Math.abs(max))).length);
  return { min, max, scale: field.kind === 'decimal' ? (field.scale ?? 0) : 0, intDigits };
}

/** A trie of `values` from `start`; a value with a character the vocabulary lacks is left out. */
function addStrings(b: Builder, start: number, values: Iterable<string>, ch: (c: string) => number | undefined): number[] {
  const leaves: number[] = [];
  for (const value of values) {
    const ids = [...value].map(ch);
    if (ids.some((id) => id === undefined)) continue;
    let state = start;
    for (const id of ids as number[]) state = b.target(state, id) ?? b.edge(state, id, b.state());
    b.setAccepting(state);
    leaves.push(state);
  }
  return leaves;
}

/**
 * Dates: a trie of every calendar date from min to max, so a mask admits exactly the real dates
 * of the range (2019-04-31 has no path). Datetimes add the clock after any date, digit by digit
 * (hours 00-23, minutes and seconds 00-59).
 */
function addDates(b: Builder, start: number, field: FieldSchema, ch: (c: string) => number | undefined): void {
  const format = field.format!;
  const dateFormat = dateOnly(format);
  const first = parseDate(field.min as string, format)!;
  const last = parseDate(field.max as string, format)!;
  const leaves = addStrings(b, start, new Set(datesBetween(first, last, dateFormat)), ch);
  if (!hasTime(format)) return;
  // One shared clock after every date: the date leaves stop accepting and lead into it.
  const clock = b.state();
  const timePart = format.slice(dateOnly(format).length); // e.g. " HH:mm:ss"
  let states = [clock];
  const digits = (from: string, to: string) => [...'0123456789'].filter((d) => d >= from && d <= to);
  const link = (from: number[], chars: string[], to: number) => from.forEach((s) => chars.forEach((c) => b.edge(s, ch(c), to)));
  let i = 1; // timePart[0] is the literal between date and time
  const hourLow = b.state();
  const hourTwo = b.state();
  const hourDone = b.state();
  link(states, digits('0', '1'), hourLow);
  link(states, ['2'], hourTwo);
  link([hourLow], digits('0', '9'), hourDone);
  link([hourTwo], digits('0', '3'), hourDone);
  states = [hourDone];
  i += 2;
  while (i < timePart.length) {
    // ":mm" or ":ss"
    const colon = b.state();
    const tens = b.state();
    const ones = b.state();
    link(states, [timePart[i]!], colon);
    link([colon], digits('0', '5'), tens);
    link([tens], digits('0', '9'), ones);
    states = [ones];
    i += 3;
  }
  b.setAccepting(states[0]!);
  for (const leaf of leaves) {
    b.edge(leaf, ch(timePart[0]!), clock);
    b.setAccepting(leaf, false);
  }
}

/**
 * Integers and decimals: an optional minus (only when the range has negatives), no leading zeros,
 * at most as many integer digits as the largest magnitude seen, then for decimals an optional
 * point with 1..scale digits (exactly scale, and the point required, when the scale is fixed).
 * The range itself is checked after sampling (checkField.ts).
 */
function addNumber(b: Builder, start: number, field: FieldSchema, scale: number, ch: (c: string) => number | undefined, fixedScale = false): void {
  const min = field.min as number;
  const max = field.max as number;
  const intDigits = Math.max(String(Math.trunc(Math.abs(min))).length, String(Math.trunc(Math.abs(max))).length);
  const nonZero = [...'123456789'];
  const anyDigit = [...'0123456789'];
  const minus = min < 0 ? b.edge(start, ch('-'), b.state()) : null;
  const integerEnds = !(fixedScale && scale > 0);
  const zero = b.state(integerEnds);
  const counted: number[] = [];
  for (let k = 1; k <= intDigits; k++) counted.push(b.state(integerEnds));
  for (const from of minus === null ? [start] : [start, minus]) {
    if (from === start) b.edge(from, ch('0'), zero);
    for (const d of nonZero) b.edge(from, ch(d), counted[0]!);
  }
  for (let k = 0; k + 1 < counted.length; k++) for (const d of anyDigit) b.edge(counted[k]!, ch(d), counted[k + 1]!);
  if (scale === 0) return;
  const point = b.state();
  for (const s of [zero, ...counted]) b.edge(s, ch('.'), point);
  let previous = point;
  for (let k = 1; k <= scale; k++) {
    const s = b.state(!fixedScale || k === scale);
    for (const d of anyDigit) b.edge(previous, ch(d), s);
    previous = s;
  }
}

/** Free text: the field's own characters, from minLength to maxLength of them. */
function addText(b: Builder, start: number, field: FieldSchema, ch: (c: string) => number | undefined, extra: readonly number[]): void {
  const ids = [...new Set([...[...field.chars].map(ch).filter((id): id is number => id !== undefined), ...extra])];
  if (field.maxLength > MAX_COUNTED_LENGTH) {
    const more = b.state(true);
    for (const id of ids) {
      b.edge(start, id, more);
      b.edge(more, id, more);
    }
    return;
  }
  // States count characters: a copy token (extra) is moved on by its value's length by the
  // generator (engine/copyLength.ts), so an e-mail of two copies can end when its text can.
  const minLength = field.minLength;
  let previous = start;
  if (minLength === 0) b.setAccepting(start);
  for (let k = 1; k <= field.maxLength; k++) {
    const s = b.state(k >= minLength);
    for (const id of ids) b.edge(previous, id, s);
    previous = s;
  }
}
