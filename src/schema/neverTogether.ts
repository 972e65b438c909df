import type { NeverTogether } from './schema.js';

/**
 * A pair of closed-set values is "never together" when no training record holds both although,
 * were the two fields independent, at least this many would: Canada and London in
 * fixtures/customers.csv (260 and 266 of 3,000 records: 23 expected, 0 seen), an airport and a
 * state it is not in. At 10 a cell that is merely rare is masked only when the data sits far below
 * independence there (a true rate of a third of it still shows at least once in 96% of tables),
 * and what such a cell loses is at most its few records' share. See also CLOSED_PARTNERS_MIN_RECORDS.
 */
export const NEVER_TOGETHER_MIN_EXPECTED = 10;

/**
 * Also never together: a value and every partner it was not seen with, when it has closed
 * partners (ValuePairCounter.closedOver) over at least this many records — an airport and every
 * state but its own, a country and every city not in it, however rare the city. Independence alone
 * rules out only the common partners, and masking part of a value's wrong partners moves their
 * share onto the rest: on fixtures/public/birdstrikes.csv (the same weights, 2,000 records, seed
 * 1, Intel Xeon) no pairs scored Column Shapes / Pair Trends 0.964 / 0.864; independence alone
 * (259 airport–state pairs among others) 0.954 / 0.863, Origin State's Shapes 0.945 → 0.890; both
 * rules 0.959 / 0.876. Customers: 151 pairs (150 city × country); the scores did not move.
 */
export const CLOSED_PARTNERS_MIN_RECORDS = 100;

/**
 * Counts, over encoded training records, how often each value token occurs and each pair of
 * value tokens of different fields occurs in one record; `finish` lists the never-together pairs.
 * Value tokens name their field, so counting on tokens needs no field order and skips key
 * columns and free text for free.
 */
export class ValuePairCounter {
  private readonly fieldOf: Int32Array;
  private readonly valueOf: string[] = [];
  private readonly single: Float64Array;
  private readonly pairs = new Map<number, number>();
  private readonly seen: number[] = [];
  private records = 0;

  constructor(
    private readonly vocabSize: number,
    valueTokens: readonly (ReadonlyMap<string, number> | undefined)[],
  ) {
    this.fieldOf = new Int32Array(vocabSize).fill(-1);
    this.single = new Float64Array(vocabSize);
    valueTokens.forEach((tokens, field) => {
      for (const [value, id] of tokens ?? []) {
        this.fieldOf[id] = field;
        this.valueOf[id] = value;
      }
    });
  }

  /** One record's tokens (any order; separators and characters are skipped). */
  add(ids: ArrayLike<number>): void {
    this.records++;
    const seen = this.seen;
    seen.length = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (this.fieldOf[id]! >= 0 && !seen.includes(id)) seen.push(id);
    }
    for (let i = 0; i < seen.length; i++) {
      const a = seen[i]!;
      this.single[a]!++;
      for (let j = 0; j < seen.length; j++) {
        const b = seen[j]!;
        if (a < b) this.pairs.set(a * this.vocabSize + b, (this.pairs.get(a * this.vocabSize + b) ?? 0) + 1);
      }
    }
  }

  /**
   * The never-together pairs by pair of fields (lower field first, in the fields' value order of
   * the tokens, which is the schema's), at `minExpected` records expected under independence.
   */
  finish(minExpected = NEVER_TOGETHER_MIN_EXPECTED): NeverTogether[] {
    const n = this.records;
    if (n === 0) return [];
    const byField = new Map<number, number[]>();
    for (let id = 0; id < this.vocabSize; id++) {
      const field = this.fieldOf[id]!;
      if (field < 0 || this.single[id] === 0) continue;
      const ids = byField.get(field);
      if (ids) ids.push(id);
      else byField.set(field, [id]);
    }
    const fields = [...byField.keys()].sort((a, b) => a - b);
    const together = (a: number, b: number) => this.pairs.get(a < b ? a * this.vocabSize + b : b * this.vocabSize + a) ?? 0;
    const out: NeverTogether[] = [];
    for (let i = 0; i < fields.length; i++) {
      for (let j = i + 1; j < fields.length; j++) {
        const first = byField.get(fields[i]!)!;
        const second = byField.get(fields[j]!)!;
        const closedA = new Set(first.filter((a) => this.closedOver(a, second, together)));
        const closedB = new Set(second.filter((b) => this.closedOver(b, first, together)));
        const values: [string, string][] = [];
        for (const a of first) {
          for (const b of second) {
            if (together(a, b) > 0) continue;
            if (closedA.has(a) || closedB.has(b) || (this.single[a]! * this.single[b]!) / n >= minExpected) values.push([this.valueOf[a]!, this.valueOf[b]!]);
          }
        }
        if (values.length > 0) out.push({ fields: [fields[i]!, fields[j]!], values });
      }
    }
    return out;
  }

  /**
   * Whether value token `a` has seen all the partners it has among `others`: at least
   * CLOSED_PARTNERS_MIN_RECORDS records hold `a` and one of them, and none of its partners was seen
   * with it only once. A partner seen once means more are out there (Good–Turing: the share of
   * records with an unseen partner is about the share of partners seen once); none seen once
   * after so many records means that share is near zero.
   */
  private closedOver(a: number, others: readonly number[], together: (a: number, b: number) => number): boolean {
    let records = 0;
    for (const b of others) {
      const count = together(a, b);
      if (count === 1) return false;
      records += count;
    }
    return records >= CLOSED_PARTNERS_MIN_RECORDS;
  }
}
