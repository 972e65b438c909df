import type { CharTokenizer } from '../tokenizer/charTokenizer.js';
import { shuffleInPlace, type Random } from './seededRandom.js';

/** B windows of T tokens, batch-major (row b holds tokens b*T .. b*T+T-1); targets are inputs shifted by one. */
export interface TokenBatch {
  batchSize: number;
  steps: number;
  inputs: Int32Array;
  targets: Int32Array;
}

/** Splits records into training and validation sets by a seeded shuffle; training keeps at least one record. */
export function splitRecords<T>(records: readonly T[], validationSplit: number, random: Random): { train: T[]; validation: T[] } {
  const order = shuffleInPlace(records.map((_, i) => i), random);
  const wanted = Math.round(records.length * validationSplit);
  const validationCount = Math.min(wanted, records.length - 1);
  const validation = order.slice(0, validationCount).sort((a, b) => a - b).map((i) => records[i]!);
  const train = order.slice(validationCount).sort((a, b) => a - b).map((i) => records[i]!);
  return { train, validation };
}

/**
 * The token stream [EOR, rec1..., EOR, rec2..., EOR, ...]: every record follows an end-of-record,
 * which is exactly the context generation starts from.
 */
export function tokenStream(tokenizer: CharTokenizer, records: readonly (readonly string[])[]): Int32Array {
  const ids: number[] = [tokenizer.endOfRecord];
  for (const fields of records) for (const id of tokenizer.encodeRecord(fields)) ids.push(id);
  return Int32Array.from(ids);
}

/** Start offsets of windows of `steps` inputs (plus one target) over a stream. */
export interface Windows {
  steps: number;
  starts: number[];
}

/**
 * Cuts the stream into windows of sequenceLength inputs that start at an end-of-record token
 * wherever they can. Each window is trained from the zero state, and generation starts from the
 * zero state fed an end-of-record, so windows that begin mid-record would teach the model that
 * the zero state means "somewhere inside a record" (measured: most invalid records of the default
 * model began mid-record before this). The next window starts at the last end-of-record its
 * predecessor reached, so windows overlap by at most a part of one record and every token is a
 * target at least once; a record longer than a window continues in a window of its own.
 * A stream shorter than one window gives a single shorter window, so tiny files still train.
 */
export function makeWindows(stream: Int32Array, sequenceLength: number, boundaryToken: number): Windows {
  const n = stream.length;
  if (n < 2) return { steps: 0, starts: [] };
  const steps = Math.min(sequenceLength, n - 1);
  const starts: number[] = [];
  let start = 0;
  while (start + steps <= n - 1) {
    starts.push(start);
    const end = start + steps;
    let next = end;
    while (next > start && stream[next] !== boundaryToken) next--;
    start = next > start ? next : end;
  }
  // Targets after the last window: one more window ending at the stream's end.
  if (starts[starts.length - 1]! + steps < n - 1) starts.push(n - 1 - steps);
  return { steps, starts };
}

export function batchCount(windows: Windows, batchSize: number): number {
  return Math.ceil(windows.starts.length / batchSize);
}

/** Batches of windows in the given order (shuffle `order` per epoch); the last batch may be smaller. */
export function* batchesOf(stream: Int32Array, windows: Windows, order: readonly number[], batchSize: number): Generator<TokenBatch> {
  const T = windows.steps;
  for (let first = 0; first < order.length; first += batchSize) {
    const chosen = order.slice(first, first + batchSize);
    const inputs = new Int32Array(chosen.length * T);
    const targets = new Int32Array(chosen.length * T);
    chosen.forEach((w, b) => {
      const start = windows.starts[w]!;
      inputs.set(stream.subarray(start, start + T), b * T);
      targets.set(stream.subarray(start + 1, start + T + 1), b * T);
    });
    yield { batchSize: chosen.length, steps: T, inputs, targets };
  }
}
