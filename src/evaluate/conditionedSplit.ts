import { message, UsageError, type Message } from '../errors.js';
import { satisfies, type FieldCondition } from '../schema/fieldCondition.js';
import type { RecordSchema } from '../schema/schema.js';
import type { HeldOutSplit } from './splitHeldOut.js';

/**
 * Fewest real rows meeting a condition that still make a report: the training part is what every
 * set is scored against and the baselines are fitted on, the held-out part is the ceiling. Below
 * these a Column Shapes score is mostly noise (a 10-bin histogram of 20 values).
 */
export const MIN_CONDITIONED_TRAINING = 20;
export const MIN_CONDITIONED_HELD_OUT = 5;

/**
 * The real rows of both parts that meet every condition, so that a conditional sample is compared
 * with the real conditional distribution and the held-out row stays its ceiling. Throws a
 * UsageError naming `conditions` (how the caller wrote them) and the counts when too few remain.
 */
export function conditionedSplit(
  split: HeldOutSplit<string[]>,
  where: readonly FieldCondition[],
  schema: RecordSchema,
  naming: { conditions: Message; data: string },
): HeldOutSplit<string[]> {
  const meets = (row: readonly string[]) => where.every((c) => satisfies(row[c.field] ?? '', schema.fields[c.field]!, c));
  const training = split.training.filter(meets);
  const heldOut = split.heldOut.filter(meets);
  if (training.length < MIN_CONDITIONED_TRAINING || heldOut.length < MIN_CONDITIONED_HELD_OUT) {
    throw new UsageError(
      message`${naming.conditions}: ${training.length} of ${split.training.length} training rows and ${heldOut.length} of ${split.heldOut.length} held-out rows of ${naming.data} meet ${where.length > 1 ? 'them' : 'it'}, and a report needs at least ${MIN_CONDITIONED_TRAINING} and ${MIN_CONDITIONED_HELD_OUT}; widen the condition (a set a|b, a wider range) or give more data`,
    );
  }
  return { training, heldOut };
}
