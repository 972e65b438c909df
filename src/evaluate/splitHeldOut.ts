import { evaluationRandom, shuffleInPlace } from '../random/seededRandom.js';

/** Share of the records held out as the chance-copy baseline, as in the trainer's validation split. */
export const HELD_OUT_FRACTION = 0.2;
/** Fixed, so two reports on the same data file use the same split and can be compared. */
export const SPLIT_SEED = 0;

export interface HeldOutSplit<T> {
  training: T[];
  heldOut: T[];
}

/**
 * A seeded shuffle of the records, the last round(fraction × n) of them held out. With fewer than
 * 2 records nothing is held out.
 */
export function splitHeldOut<T>(records: readonly T[], fraction = HELD_OUT_FRACTION, seed = SPLIT_SEED): HeldOutSplit<T> {
  const shuffled = shuffleInPlace([...records], evaluationRandom(seed));
  const heldOutCount = records.length < 2 ? 0 : Math.min(records.length - 1, Math.max(1, Math.round(fraction * records.length)));
  return { training: shuffled.slice(0, shuffled.length - heldOutCount), heldOut: shuffled.slice(shuffled.length - heldOutCount) };
}
