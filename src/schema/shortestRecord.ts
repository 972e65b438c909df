import type { FieldAutomaton } from './fieldAutomaton.js';
import type { Cursor, RecordConstraint } from './recordConstraint.js';

/** Per automaton: the fewest tokens from each state to a state where the value may end. */
const shortest = new WeakMap<FieldAutomaton, Int32Array>();

/**
 * The fewest tokens any record can still take from `cursor` on (its end-of-record not counted):
 * what is left of the field it is in, then every later field with its opening or separating token.
 * A lower bound: a field that may hold copy tokens counts as possibly empty, since one copy writes
 * a whole value. 0 once the record has left the schema. Lets generation refuse a --max-chars no
 * record fits before it cuts every record it begins (fuzz: --max-chars 27 on the bundled model
 * spent 11 s cutting 1,000 records).
 */
export function shortestRemaining(constraint: RecordConstraint, cursor: Cursor): number {
  const { sequence } = cursor;
  const fields = sequence.automata.length;
  let position = cursor.field;
  let total = 0;
  if (position === -2) {
    total = 1;
    position = 0;
  } else if (position < 0 || position >= fields) {
    return 0;
  } else {
    total = fewest(constraint, constraint.fields[sequence.automata[position]!]!)[cursor.state]!;
    position++;
  }
  for (let p = position; p < fields; p++) total += 1 + fewest(constraint, constraint.fields[sequence.automata[p]!]!)[0]!;
  return total;
}

function fewest(constraint: RecordConstraint, automaton: FieldAutomaton): Int32Array {
  let steps = shortest.get(automaton);
  if (steps) return steps;
  const V = constraint.vocabSize;
  const { states, next, accepting } = automaton;
  steps = new Int32Array(states).fill(0);
  const copies = constraint.copies?.ids ?? [];
  const copying = copies.some((id) => {
    for (let s = 0; s < states; s++) if (next[s * V + id]! >= 0) return true;
    return false;
  });
  if (!copying) {
    // Backwards from the accepting states over the reversed edges.
    const into: number[][] = Array.from({ length: states }, () => []);
    for (let s = 0; s < states; s++) {
      for (let t = 0; t < V; t++) {
        const to = next[s * V + t]!;
        if (to >= 0) into[to]!.push(s);
      }
    }
    steps.fill(-1);
    const queue: number[] = [];
    for (let s = 0; s < states; s++) {
      if (accepting[s] === 1) {
        steps[s] = 0;
        queue.push(s);
      }
    }
    for (let i = 0; i < queue.length; i++) {
      const s = queue[i]!;
      for (const from of into[s]!) {
        if (steps[from] === -1) {
          steps[from] = steps[s]! + 1;
          queue.push(from);
        }
      }
    }
    // A state that cannot end (none should exist) counts as nothing rather than as forever.
    for (let s = 0; s < states; s++) if (steps[s] === -1) steps[s] = 0;
  }
  shortest.set(automaton, steps);
  return steps;
}
