import { sampleWithoutReplacement } from '../../random/seededRandom.js';
import { isContinuous, numberOf } from '../metrics/fieldKind.js';
import type { ColumnProfile } from '../quality/columnProfile.js';
import type { ClosestRecord } from '../report.js';

type Records = readonly (readonly string[])[];

/** Records of each set whose DCR is measured: a seeded sample, so 100,000 records cost as much as 1,000. */
export const DCR_SAMPLE = 1000;
/** Training records each sampled record is compared with (a seeded sample of larger training parts). */
export const DCR_REFERENCE = 10_000;

/**
 * Distance to closest record, as SDMetrics' dcr_utils defines it: the mean over all columns of a
 * per-column distance in [0, 1] — |a − b| / (training range) capped at 1 for numbers and dates (0/1
 * when the range is 0; 1 when one side is blank, 0 when both are), 0/1 mismatch for categories and
 * text (SDMetrics skips id and PII columns; here key columns are skipped and other unique-ish text
 * counts as a mismatch column).
 */
export class ClosestRecordIndex {
  private readonly numeric: number[];
  private readonly discrete: number[];
  private readonly ranges: Float64Array;
  private readonly dictionaries: Map<string, number>[];
  private readonly referenceNumbers: Float64Array;
  private readonly referenceCodes: Int32Array;
  readonly referenceSize: number;

  constructor(
    private readonly profile: readonly ColumnProfile[],
    reference: Records,
  ) {
    this.numeric = profile.flatMap((column, c) => (!column.key && isContinuous(column.kind) ? [c] : []));
    this.discrete = profile.flatMap((column, c) => (column.key || isContinuous(column.kind) ? [] : [c]));
    this.dictionaries = this.discrete.map(() => new Map<string, number>());
    this.ranges = Float64Array.from(this.numeric, (c) => {
      let low = Infinity;
      let high = -Infinity;
      for (const record of reference) {
        const x = numberOf(profile[c]!, record[c] ?? '');
        if (x === undefined) continue;
        low = Math.min(low, x);
        high = Math.max(high, x);
      }
      return high > low ? high - low : 0;
    });
    this.referenceSize = reference.length;
    const encoded = this.encode(reference);
    this.referenceNumbers = encoded.numbers;
    this.referenceCodes = encoded.codes;
  }

  /** The DCR of each record to the reference (row-major typed arrays, early exit once a row is no closer). */
  distances(records: Records): Float64Array {
    const { numbers, codes } = this.encode(records);
    const nNumeric = this.numeric.length;
    const nDiscrete = this.discrete.length;
    const columns = nNumeric + nDiscrete;
    const ref = this.referenceNumbers;
    const refCodes = this.referenceCodes;
    const ranges = this.ranges;
    const result = new Float64Array(records.length);
    for (let q = 0; q < records.length; q++) {
      let best = Infinity;
      for (let j = 0; j < this.referenceSize && best > 0; j++) {
        let d = 0;
        for (let k = 0; k < nDiscrete && d < best; k++) if (codes[q * nDiscrete + k] !== refCodes[j * nDiscrete + k]) d++;
        for (let k = 0; k < nNumeric && d < best; k++) {
          const a = numbers[q * nNumeric + k]!;
          const b = ref[j * nNumeric + k]!;
          const aMissing = Number.isNaN(a);
          const bMissing = Number.isNaN(b);
          if (aMissing || bMissing) d += aMissing === bMissing ? 0 : 1;
          else if (ranges[k] === 0) d += a === b ? 0 : 1;
          else d += Math.min(1, Math.abs(a - b) / ranges[k]!);
        }
        if (d < best) best = d;
      }
      result[q] = columns === 0 ? 0 : best / columns;
    }
    return result;
  }

  private encode(records: Records): { numbers: Float64Array; codes: Int32Array } {
    const nNumeric = this.numeric.length;
    const nDiscrete = this.discrete.length;
    const numbers = new Float64Array(records.length * nNumeric);
    const codes = new Int32Array(records.length * nDiscrete);
    records.forEach((record, r) => {
      this.numeric.forEach((c, k) => (numbers[r * nNumeric + k] = numberOf(this.profile[c]!, record[c] ?? '') ?? NaN));
      this.discrete.forEach((c, k) => {
        const dictionary = this.dictionaries[k]!;
        const value = record[c] ?? '';
        let code = dictionary.get(value);
        if (code === undefined) dictionary.set(value, (code = dictionary.size));
        codes[r * nDiscrete + k] = code;
      });
    });
    return { numbers, codes };
  }
}

/** A seeded sample of at most `size` records, without replacement (all of them when there are fewer). */
export function sampleRecords<T>(records: readonly T[], size: number, uniform: () => number): T[] {
  if (records.length <= size) return [...records];
  return Array.from(sampleWithoutReplacement(records.length, size, uniform), (i) => records[i]!);
}

/**
 * DCR of every set against the training part, with the held-out records' median as the bar: the
 * share of a set's records strictly closer to training than that median. Real records new to the
 * model sit at about one half (strictly: up to one half, ties at the median count as not closer);
 * a model that memorises sits near 1.
 */
export function closestRecordReport(
  profile: readonly ColumnProfile[],
  training: Records,
  heldOut: Records,
  sets: readonly Records[],
  uniform: () => number,
): ClosestRecord[] {
  const index = new ClosestRecordIndex(profile, sampleRecords(training, DCR_REFERENCE, uniform));
  const heldOutDistances = index.distances(sampleRecords(heldOut, DCR_SAMPLE, uniform));
  const heldOutMedian = median(heldOutDistances);
  return sets.map((records) => {
    const sample = records === heldOut ? heldOutDistances : index.distances(sampleRecords(records, DCR_SAMPLE, uniform));
    let closer = 0;
    for (const d of sample) if (d < heldOutMedian) closer++;
    return {
      sampled: sample.length,
      reference: index.referenceSize,
      median: median(sample),
      heldOutMedian,
      closerThanHeldOutMedian: sample.length === 0 ? 0 : closer / sample.length,
    };
  });
}

export function median(xs: Float64Array): number {
  if (xs.length === 0) return NaN;
  const sorted = Float64Array.from(xs).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
