import { mulberry32 } from './seededRandom.js';

/** Share of the records held out as the chance-copy baseline, as in the trainer's validation split. */
export const HELD_OUT_FRACTION = 0.2;
/** Fixed, so two reports on the same data file use the same split and can be compared. */
export const SPLIT_SEED = 0;

export interface HeldOutSplit<T> {
  training: T[];
  heldOut: T[];
}

/**
 * A seeded shuffle of the records (Fisher–Yates driven by mulberry32), the last
 * round(fraction × n) of them held out. With fewer than 2 records nothing is held out.
 */
export function splitHeldOut<T>(records: readonly T[], fraction = HELD_OUT_FRACTION, seed = SPLIT_SEED): HeldOutSplit<T> {
  const shuffled = [...records];
  const random = mulberry32(seed);
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const heldOutCount = records.length < 2 ? 0 : Math.min(records.length - 1, Math.max(1, Math.round(fraction * records.length)));
  return { training: shuffled.slice(0, shuffled.length - heldOutCount), heldOut: shuffled.slice(shuffled.length - heldOutCount) };
}
