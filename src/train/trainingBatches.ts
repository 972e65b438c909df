import type { CharTokenizer } from '../tokenizer/charTokenizer.js';
import type { Positions, TokenIds } from './encodedRecords.js';
import { copyIds, idAt, positionArray } from './encodedRecords.js';
import { indices, shuffleInPlace, type Random } from '../random/seededRandom.js';

/**
 * B windows of T tokens, batch-major (row b holds tokens b*T .. b*T+T-1); targets are inputs
 * shifted by one. Int32 whatever the stored id type, so trainers see one format.
 */
export interface TokenBatch {
  batchSize: number;
  steps: number;
  inputs: Int32Array;
  targets: Int32Array;
}

/**
 * The records held out for validation, by a seeded shuffle of the record indices (ascending);
 * training keeps at least one record. Only the count is needed, so a file need not be in memory.
 */
export function splitRecordIndices(count: number, validationSplit: number, random: Random): Uint32Array {
  const order = shuffleInPlace(indices(count), random);
  const validationCount = Math.min(Math.round(count * validationSplit), count - 1);
  return order.slice(0, Math.max(0, validationCount)).sort();
}

/** Splits records held in memory the way splitRecordIndices does. */
export function splitRecords<T>(records: readonly T[], validationSplit: number, random: Random): { train: T[]; validation: T[] } {
  const held = new Uint8Array(records.length);
  for (const i of splitRecordIndices(records.length, validationSplit, random)) held[i] = 1;
  return { train: records.filter((_, i) => !held[i]), validation: records.filter((_, i) => held[i]) };
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

/** Largest and smallest batch --batch-size auto chooses. */
export const AUTO_BATCH_MAX = 64;
export const AUTO_BATCH_MIN = 8;
/** Optimizer steps per epoch --batch-size auto aims for at least. */
export const AUTO_STEPS_PER_EPOCH = 64;

/**
 * The batch size for a training part of `windows` windows: the largest power of two from
 * AUTO_BATCH_MIN to AUTO_BATCH_MAX that still gives AUTO_STEPS_PER_EPOCH steps per epoch.
 * Why: a small table in batches of 64 gets a handful of steps per epoch, far too few to learn how
 * one field depends on another in ten minutes. Measured on fixtures/public/weather.csv (20 epochs,
 * one core, same seed): batch 64 — 7 steps per epoch — gave Column Pair Trends 0.878, no better than
 * resampling each column alone (0.877); batch 16 gave 0.900 and batch 8 gave 0.927, at about the
 * same tokens/s. Big tables keep the batch of 64 and its throughput.
 */
export function batchSizeFor(windows: number): number {
  let size = AUTO_BATCH_MAX;
  while (size > AUTO_BATCH_MIN && windows / size < AUTO_STEPS_PER_EPOCH) size /= 2;
  return size;
}

/** Start offsets of windows of `steps` inputs (plus one target) over a stream. */
export interface Windows {
  steps: number;
  starts: Positions;
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
export function makeWindows(stream: TokenIds, sequenceLength: number, boundaryToken: number): Windows {
  const n = stream.length;
  if (n < 2) return { steps: 0, starts: new Uint32Array(0) };
  const steps = Math.min(sequenceLength, n - 1);
  // Each window ends past the previous start by at least one token and, unless a record is
  // longer than a window, at the start of a new record: records + tokens / steps bounds the count.
  let records = 0;
  for (let i = 0; i < n; i++) if (idAt(stream, i) === boundaryToken) records++;
  const starts = positionArray(records + Math.ceil(n / steps) + 2, n);
  let count = 0;
  let start = 0;
  while (start + steps <= n - 1) {
    starts[count++] = start;
    const end = start + steps;
    let next = end;
    while (next > start && idAt(stream, next) !== boundaryToken) next--;
    start = next > start ? next : end;
  }
  // Targets after the last window: one more window ending at the stream's end.
  if (starts[count - 1]! + steps < n - 1) starts[count++] = n - 1 - steps;
  return { steps, starts: starts.slice(0, count) };
}

export function batchCount(windows: Windows, batchSize: number): number {
  return Math.ceil(windows.starts.length / batchSize);
}

/** Batches of windows in the given order (shuffle `order` per epoch); the last batch may be smaller. */
export function* batchesOf(stream: TokenIds, windows: Windows, order: ArrayLike<number>, batchSize: number): Generator<TokenBatch> {
  const T = windows.steps;
  for (let first = 0; first < order.length; first += batchSize) {
    const size = Math.min(batchSize, order.length - first);
    const inputs = new Int32Array(size * T);
    const targets = new Int32Array(size * T);
    for (let b = 0; b < size; b++) {
      const start = windows.starts[order[first + b]!]!;
      copyIds(stream, start, start + T, inputs, b * T);
      copyIds(stream, start + 1, start + T + 1, targets, b * T);
    }
    yield { batchSize: size, steps: T, inputs, targets };
  }
}
