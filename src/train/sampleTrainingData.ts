import { scanTrainingFile, type ReadTrainingOptions, type TrainingRecords } from './readTrainingData.js';
import { seededRandom } from './seededRandom.js';

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
  file: string,
  options: ReadTrainingOptions & { size?: number; seed?: number } = {},
): Promise<SampledRecords> {
  const size = options.size ?? DATA_SAMPLE_RECORDS;
  const random = seededRandom(options.seed ?? 0);
  const kept: string[][] = [];
  const positions: number[] = [];
  let seen = 0;
  const { kind, detected } = await scanTrainingFile(file, options, (fields) => {
    if (kept.length < size) {
      kept.push(fields);
      positions.push(seen);
    } else {
      const slot = Math.floor(random() * (seen + 1));
      if (slot < size) {
        kept[slot] = fields;
        positions[slot] = seen;
      }
    }
    seen++;
  });
  const order = positions.map((_, i) => i).sort((a, b) => positions[a]! - positions[b]!);
  const records = order.map((i) => kept[i]!);
  return { kind, records, totalRecords: seen, ...(detected === undefined ? {} : { detected }) };
}
