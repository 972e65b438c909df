import { message, UsageError } from '../errors.js';
import { narrowField, type FieldCondition } from '../schema/fieldCondition.js';
import { fieldAutomaton, fieldSequence, type FieldSequence, type RecordConstraint } from '../schema/recordConstraint.js';
import type { RecordSchema } from '../schema/schema.js';
import type { CharTokenizer } from '../tokenizer/charTokenizer.js';

/**
 * Where conditioned fields are written. `first` (field-token models): before every other field,
 * so each field the model samples sees them — the real conditional distribution, as far as the
 * model learned it. `in-place`: at the field's own position in the model's order, the value
 * masked there; fields written before it never see it (positional models, and the comparison
 * `synth evaluate --where` shows).
 */
export type ConditionPlacement = 'first' | 'in-place';

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
      index = fields.push(fieldAutomaton(narrowed, tokenizer, condition.field, ranges)) - 1;
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
      for (const condition of conditions) automata[positionOf(tokenizer, condition.field)] = automatonOf(condition);
      prefixes.push([]);
      sequences.push({ ...constraint.sequence, automata });
      continue;
    }
    const order = tokenizer.defaultOrder();
    const automata = new Map<number, number>();
    if (placement === 'in-place') {
      for (const condition of conditions) automata.set(condition.field, automatonOf(condition));
      prefixes.push([tokenizer.fieldTokens[order[0]!]!]);
      sequences.push(fieldSequence(tokenizer, order, automata));
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
