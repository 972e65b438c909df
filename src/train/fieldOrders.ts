import { copyIds, idAt, type EncodedRecords, type TokenIds } from './encodedRecords.js';
import type { Random } from '../random/seededRandom.js';

/**
 * How a field-token model's training records are reordered each epoch. A record is stored in the
 * model's own order, [token of field a, a's value, token of field b, ...]; each epoch writes a
 * share of them with a random subset of fields moved to the front in a random order, the rest
 * after them in the model's order. That is exactly the shape of a conditioned record at
 * generation (fixed fields first, then the rest), so the model learns p(rest | any subset) while
 * most records still teach the order unconditioned generation writes in.
 */
export interface FieldOrderPlan {
  /** vocabSize entries: the table field a field token opens, -1 for every other token. */
  fieldOfToken: Int16Array | Int32Array;
  /** The model's own order of the table's fields. */
  defaultOrder: readonly number[];
  /** Fields that may be moved to the front (keys, trained blank, never are). */
  movable: readonly number[];
  /** Per field, the fields its text copies (copy tokens): they must be written before it. */
  sources: readonly (readonly number[])[];
  /** Share of records written with a moved subset; the rest keep the model's order. */
  shuffledShare: number;
  endOfRecord: number;
}

/**
 * Off by default. Measured on the customers table (10 minutes, 18 epochs, Intel Xeon): with half
 * the records shuffled, a model given country=Japan first wrote Tokyo in 4% of records (real:
 * 100%) — it had learned p(country | city) from the model order but not yet p(city | country
 * first). Exact conditions (generator.ts) need no shuffling: 99.9% Tokyo from a model trained in
 * its own order. Kept as an option (TrainRunOptions.shuffledOrders) for the `first` placement and
 * for longer trainings.
 */
export const SHUFFLED_SHARE = 0;

/** A record's field order: `subset` moved fields first (sources pulled in before what copies them). */
export function sampleFieldOrder(plan: FieldOrderPlan, random: Random): number[] {
  const { defaultOrder, movable, sources } = plan;
  if (movable.length === 0 || random() >= plan.shuffledShare) return [...defaultOrder];
  // 1 .. all-but-one movable fields (all of them would only re-shuffle the default order's tail).
  const size = 1 + Math.floor(random() * Math.max(1, movable.length - 1));
  const pool = [...movable];
  const front: number[] = [];
  const placed = new Set<number>();
  const place = (field: number): void => {
    if (placed.has(field)) return;
    placed.add(field);
    for (const source of sources[field] ?? []) place(source);
    front.push(field);
  };
  for (let k = 0; k < size; k++) {
    const pick = k + Math.floor(random() * (pool.length - k));
    [pool[k], pool[pick]] = [pool[pick]!, pool[k]!];
    place(pool[k]!);
  }
  return [...front, ...defaultOrder.filter((f) => !placed.has(f))];
}

/**
 * The stream [EOR, record..., EOR, ...] of `chosen` records (all, when null), each with its
 * fields in a freshly sampled order. Record lengths do not change, so windows cut for the stored
 * order fit the reordered stream.
 */
export function reorderedRecords(records: EncodedRecords, chosen: ArrayLike<number> | null, plan: FieldOrderPlan, random: Random, out: TokenIds): TokenIds {
  const { ids, offsets } = records;
  const n = plan.defaultOrder.length;
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  const count = chosen ? chosen.length : records.count;
  let at = 1;
  for (let k = 0; k < count; k++) {
    const i = chosen ? chosen[k]! : k;
    const from = offsets[i]!;
    const to = offsets[i + 1]!;
    const order = sampleFieldOrder(plan, random);
    let intact = order.length === n;
    for (let p = 0; p < n && intact; p++) intact = order[p] === plan.defaultOrder[p];
    if (intact) {
      copyIds(ids, from, to, out, at);
      at += to - from;
      continue;
    }
    starts.fill(-1);
    let open = -1;
    for (let t = from; t < to - 1; t++) {
      const field = plan.fieldOfToken[idAt(ids, t)]!;
      if (field < 0) continue;
      if (open >= 0) ends[open] = t;
      starts[field] = t;
      open = field;
    }
    if (open >= 0) ends[open] = to - 1;
    for (const field of order) {
      if (starts[field]! < 0) continue;
      copyIds(ids, starts[field]!, ends[field]!, out, at);
      at += ends[field]! - starts[field]!;
    }
    copyIds(ids, to - 1, to, out, at);
    at += 1;
  }
  return out;
}
