import { fitGaussianCopula, sampleGaussianCopula } from './baselines/gaussianCopula.js';
import { sampleIndependentColumns } from './baselines/independentColumns.js';
import { exactCopyShare, type RecordKeySet } from './privacy/exactCopies.js';
import type { ColumnProfile } from './quality/columnProfile.js';
import { encodeTable } from './quality/columnProfile.js';
import { scoreQuality, type PairInfo } from './quality/scoreQuality.js';
import type { SynthesizerId, SynthesizerRow } from './report.js';
import { closestRecordReport } from './privacy/closestRecord.js';
import { summaryScore } from './score.js';
import { evaluationRandom } from '../random/seededRandom.js';

type Records = readonly (readonly string[])[];

export interface RowsInput {
  profile: readonly ColumnProfile[];
  training: Records;
  heldOut: Records;
  /** The model's (or file's) valid records. */
  synthetic: Records;
  validRate: number;
  trainingKeys: RecordKeySet;
  seed: number;
}

const LABELS: Record<SynthesizerId, string> = {
  synthetic: 'synthetic records',
  independentColumns: 'independent columns (baseline)',
  gaussianCopula: 'Gaussian copula (baseline)',
  heldOut: 'held-out real records (ceiling)',
};

/**
 * The rows of the comparison: the model's records, the two baselines fitted on the training part and
 * sampled with as many rows as the model's set, and the held-out real part; all scored against the
 * training part with the same metrics.
 */
export function synthesizerRows(input: RowsInput): { rows: SynthesizerRow[]; pairs: PairInfo[] } {
  const { profile, training, heldOut, synthetic, seed } = input;
  const rows = synthetic.length;
  // Separate streams per baseline, so adding a column to one never shifts the other's draws.
  const independent = sampleIndependentColumns(training, profile.length, rows, evaluationRandom(seed ^ 0x1b873593));
  const copulaRandom = evaluationRandom(seed ^ 0x85ebca6b);
  const copula = sampleGaussianCopula(fitGaussianCopula(profile, training, copulaRandom), rows, copulaRandom);

  const sets: [SynthesizerId, Records, number][] = [
    ['synthetic', synthetic, input.validRate],
    ['independentColumns', independent, 1],
    ['gaussianCopula', copula, 1],
    ['heldOut', heldOut, 1],
  ];
  const reference = encodeTable(profile, training);
  const { pairs, scores } = scoreQuality(profile, reference, sets.map(([, records]) => encodeTable(profile, records)));
  const baselineCopyShare = exactCopyShare(heldOut, input.trainingKeys);
  const closest = closestRecordReport(profile, training, heldOut, sets.map(([, records]) => records), evaluationRandom(seed ^ 0xc2b2ae35));

  return {
    pairs,
    rows: sets.map(([id, records, validRate], i) => {
      const quality = scores[i]!;
      const exactCopies = exactCopyShare(records, input.trainingKeys);
      const closestRecord = closest[i]!;
      return {
        id,
        label: LABELS[id],
        records: records.length,
        validRate,
        columnShapes: quality.columnShapes,
        columnPairTrends: quality.columnPairTrends,
        columnScores: quality.columnScores,
        pairScores: quality.pairScores,
        pairCorrelations: quality.pairCorrelations,
        exactCopies,
        closestRecord,
        score: summaryScore({
          columnShapes: quality.columnShapes,
          columnPairTrends: quality.columnPairTrends,
          validRate,
          copyShare: exactCopies,
          baselineCopyShare,
          closerShare: closestRecord?.closerThanHeldOutMedian,
          closerSampled: closestRecord?.sampled,
        }),
      };
    }),
  };
}
