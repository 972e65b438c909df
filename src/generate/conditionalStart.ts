import { message, UsageError } from '../errors.js';
import { narrowField, type FieldCondition } from '../schema/fieldCondition.js';
import { fieldAutomaton, fieldSequence, type FieldSequence, type RecordConstraint } from '../schema/recordConstraint.js';
import type { RecordSchema } from '../schema/schema.js';
import type { CharTokenizer } from '../tokenizer/charTokenizer.js';

/**
 * How conditions are met. `exact` (the default): each conditioned field is masked at its own
 * position in the model's order, and a record is kept only with the probability the model gives
 * the condition there (rejection sampling, generator.ts), so every field — those written before
 * the condition too — follows the model's distribution given the condition. `first` (field-token
 * models trained on shuffled orders): the conditioned fields are written before all others, one
 * pass, as good as the model learned p(rest | any fields first). `in-place`: masked at its own
 * position and never turned down — fields written before it do not see it (the comparison
 * `synth evaluate --where` shows).
 */
export type ConditionPlacement = 'exact' | 'first' | 'in-place';

export interface ConditionalStarts {
  /** One prefix per start (a set of conditions), without the leading end-of-record. */
  prefixes: number[][];
  /** One field sequence per start. */
  sequences: FieldSequence[];
  /** The constraint with the automata of narrowed fields appended. */
  constraint: RecordConstraint;
}

/**
 * The prefixes and field sequences of records that meet `starts[i]` (each a list of conditions,
 * at most one per field). A field fixed to one value is written into the prefix (its start state
 * is computed once); a set or a range is sampled by the model under the field's narrowed mask.
 */
export function conditionalStarts(
  tokenizer: CharTokenizer,
  schema: RecordSchema,
  constraint: RecordConstraint,
  starts: readonly (readonly FieldCondition[])[],
  placement: ConditionPlacement,
  ranges = true,
): ConditionalStarts {
  const fields = [...constraint.fields];
  const narrowedIndex = new Map<string, number>();
  const automatonOf = (condition: FieldCondition): number => {
    const key = JSON.stringify(condition);
    let index = narrowedIndex.get(key);
    if (index === undefined) {
      const narrowed: RecordSchema = { ...schema, fields: schema.fields.map((f, i) => (i === condition.field ? narrowField(f, condition) : f)) };
      // The narrowed field keeps the field's calibration: the same model writes it.
      const { bias } = fields[constraint.sequence.automata[positionOf(tokenizer, condition.field)]!]!;
      const automaton = fieldAutomaton(narrowed, tokenizer, condition.field, ranges);
      index = fields.push(bias ? { ...automaton, bias } : automaton) - 1;
      narrowedIndex.set(key, index);
    }
    return index;
  };
  const prefixes: number[][] = [];
  const sequences: FieldSequence[] = [];
  for (const conditions of starts) {
    if (!tokenizer.fieldTokens) {
      // Positional separators: the order is fixed, each condition masks its own position.
      const automata = Int32Array.from(constraint.sequence.automata);
      const conditioned = new Uint8Array(automata.length);
      for (const condition of conditions) {
        const position = positionOf(tokenizer, condition.field);
        automata[position] = automatonOf(condition);
        conditioned[position] = 1;
      }
      prefixes.push([]);
      sequences.push(placement === 'in-place' ? { ...constraint.sequence, automata } : { ...constraint.sequence, automata, unconditioned: constraint.sequence, conditioned });
      continue;
    }
    const order = tokenizer.defaultOrder();
    const automata = new Map<number, number>();
    if (placement !== 'first') {
      for (const condition of conditions) automata.set(condition.field, automatonOf(condition));
      prefixes.push([tokenizer.fieldTokens[order[0]!]!]);
      const sequence = fieldSequence(tokenizer, order, automata);
      if (placement === 'exact') {
        sequence.unconditioned = fieldSequence(tokenizer, order);
        sequence.conditioned = Uint8Array.from(order, (field) => (automata.has(field) ? 1 : 0));
      }
      sequences.push(sequence);
      continue;
    }
    const fixed = conditions.filter((c) => c.kind === 'values' && c.values.length === 1);
    const sampled = conditions.filter((c) => !fixed.includes(c));
    const conditioned = new Set(conditions.map((c) => c.field));
    const recordOrder = [...fixed.map((c) => c.field), ...sampled.map((c) => c.field), ...order.filter((f) => !conditioned.has(f))];
    for (const condition of sampled) automata.set(condition.field, automatonOf(condition));
    const prefix: number[] = [];
    for (const condition of fixed) {
      const value = (condition as { values: string[] }).values[0]!;
      prefix.push(tokenizer.fieldTokens[condition.field]!);
      try {
        prefix.push(...tokenizer.encodeValue(condition.field, value));
      } catch (error) {
        const name = schema.fields[condition.field]!.name;
        throw new UsageError(message`field ${JSON.stringify(name)} cannot be ${JSON.stringify(value)}: ${(error as Error).message}`);
      }
    }
    if (fixed.length < recordOrder.length) prefix.push(tokenizer.fieldTokens[recordOrder[fixed.length]!]!);
    prefixes.push(prefix);
    sequences.push(fieldSequence(tokenizer, recordOrder, automata));
  }
  return { prefixes, sequences, constraint: { ...constraint, fields } };
}

function positionOf(tokenizer: CharTokenizer, field: number): number {
  const order = tokenizer.defaultOrder();
  return order.indexOf(field);
}
