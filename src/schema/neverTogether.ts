import type { NeverTogether } from './schema.js';

/**
 * A pair of closed-set values is "never together" when no training record holds both although,
 * were the two fields independent, at least this many would: Canada and London in
 * fixtures/customers.csv (260 and 266 of 3,000 records: 23 expected, 0 seen), an airport and a
 * state it is not in. At 10 a cell that is merely rare is masked only when the data sits far below
 * independence there (a true rate of a third of it still shows at least once in 96% of tables),
 * and what such a cell loses is at most its few records' share. Measured on the bench tables:
 * customers 65 pairs, all city × country; cities.csv 484 (country × admin1); birdstrikes 649
 * (airport × state, aircraft × operator, wildlife size × species); weather 23, cars 5.
 */
export const NEVER_TOGETHER_MIN_EXPECTED = 10;

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
    const out: NeverTogether[] = [];
    for (let i = 0; i < fields.length; i++) {
      for (let j = i + 1; j < fields.length; j++) {
        const values: [string, string][] = [];
        for (const a of byField.get(fields[i]!)!) {
          for (const b of byField.get(fields[j]!)!) {
            const key = a < b ? a * this.vocabSize + b : b * this.vocabSize + a;
            if (this.pairs.has(key)) continue;
            if ((this.single[a]! * this.single[b]!) / n >= minExpected) values.push([this.valueOf[a]!, this.valueOf[b]!]);
          }
        }
        if (values.length > 0) out.push({ fields: [fields[i]!, fields[j]!], values });
      }
    }
    return out;
  }
}
