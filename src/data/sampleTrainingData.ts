import { scanTrainingSource, type ReadTrainingOptions, type TrainingRecords, type TrainingSource } from './readTrainingData.js';
import { seededRandom } from '../random/seededRandom.js';

/**
 * Records `synth evaluate` and the post-training score read from --data at most: plenty for
 * per-field distances of 1000 generated records (their sampling noise is set by the generated
 * side), and a few tens of MB for a wide table. Smaller files are read whole.
 */
export const DATA_SAMPLE_RECORDS = 50_000;

export interface SampledRecords extends TrainingRecords {
  /** Data records in the file; more than records.length when it was sampled. */
  totalRecords: number;
}

/**
 * Reads a training file in bounded memory: every record when there are at most `size`, else a
 * uniform sample of `size` of them (reservoir sampling, Algorithm R, seeded, so two reads of the
 * same file give the same sample), returned in file order. Checks and errors as readTrainingData.
 */
export async function sampleTrainingData(
  source: TrainingSource,
  options: ReadTrainingOptions & { size?: number; seed?: number } = {},
): Promise<SampledRecords> {
  const size = options.size ?? DATA_SAMPLE_RECORDS;
  const random = seededRandom(options.seed ?? 0);
  // A kept record is held as one JSON string, parsed back at the end: the reservoir's records live
  // long enough to reach V8's old generation, and the ~2 of 3 that are later replaced stay there
  // as garbage until a full collection; as arrays of field strings they took ~3 times the memory.
  // synth evaluate on the 30 MB table (300,000 records): V8's heap 126 -> 78 MB, peak RSS 353 ->
  // 298 MB, 12 -> 5.5 s (less collecting); the same sample, so the same report.
  const kept: string[] = [];
  const positions: number[] = [];
  let seen = 0;
  const { kind, detected } = await scanTrainingSource(source, options, (fields) => {
    if (kept.length < size) {
      kept.push(JSON.stringify(fields));
      positions.push(seen);
    } else {
      const slot = Math.floor(random() * (seen + 1));
      if (slot < size) {
        kept[slot] = JSON.stringify(fields);
        positions[slot] = seen;
      }
    }
    seen++;
  });
  const order = positions.map((_, i) => i).sort((a, b) => positions[a]! - positions[b]!);
  const records = order.map((i) => JSON.parse(kept[i]!) as string[]);
  return { kind, records, totalRecords: seen, ...(detected === undefined ? {} : { detected }) };
}
