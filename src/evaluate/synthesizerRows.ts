import { fitCharacterNgram, sampleCharacterNgram } from './baselines/characterNgramModel.js';
import { fitGaussianCopula, sampleGaussianCopula } from './baselines/gaussianCopula.js';
import { sampleIndependentColumns } from './baselines/independentColumns.js';
import { exactCopyShare, type RecordKeySet } from './privacy/exactCopies.js';
import type { ColumnProfile } from './quality/columnProfile.js';
import { encodeTable } from './quality/columnProfile.js';
import { scoreQuality, type PairInfo, type QualityScores } from './quality/scoreQuality.js';
import { agreementPairs, meanAgreement, scoreAgreement, type AgreementPair } from './quality/textAgreement.js';
import type { ReportRecordKind, SynthesizerId, SynthesizerRow } from './report.js';
import { closestRecordReport } from './privacy/closestRecord.js';
import { summaryScore } from './score.js';
import { evaluationRandom } from '../random/seededRandom.js';
import { measureText, textQualityMeasures, textReference, type TextMeasures } from './text/textMeasures.js';

type Records = readonly (readonly string[])[];

export interface RowsInput {
  recordKind: ReportRecordKind;
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
  characterNgram: 'character 3-gram model (baseline)',
  heldOut: 'held-out real records (ceiling)',
};

/**
 * The one table from record kind to what is measured: tables are scored on Column Shapes and Column
 * Pair Trends beside two column baselines; plain text on record length and character n-grams beside
 * a character n-gram model (resampling whole lines, as the column baselines would, only copies).
 */
const MEASURES: Record<ReportRecordKind, (quality: QualityScores, text: TextMeasures | null) => (number | null)[]> = {
  delimited: (quality) => [quality.columnShapes, quality.columnPairTrends],
  text: (_quality, text) => textQualityMeasures(text!),
};

/**
 * The rows of the comparison: the model's records, the baselines fitted on the training part and
 * sampled with as many rows as the model's set, and the held-out real part; all scored against the
 * training part with the same metrics.
 */
export function synthesizerRows(input: RowsInput): { rows: SynthesizerRow[]; pairs: PairInfo[]; agreement: AgreementPair[] } {
  const { profile, training, heldOut, synthetic, seed, recordKind } = input;
  const sets: [SynthesizerId, Records, number][] = [
    ['synthetic', synthetic, input.validRate],
    ...baselineSets(input),
    ['heldOut', heldOut, 1],
  ];
  const reference = encodeTable(profile, training);
  const { pairs, scores } = scoreQuality(profile, reference, sets.map(([, records]) => encodeTable(profile, records)));
  const agreement = agreementPairs(profile, training);
  const baselineCopyShare = exactCopyShare(heldOut, input.trainingKeys);
  // For one text field the distance to the closest record is 0 for a copy and 1 otherwise: exactCopies already says it.
  const closest =
    recordKind === 'text'
      ? sets.map(() => null)
      : closestRecordReport(profile, training, heldOut, sets.map(([, records]) => records), evaluationRandom(seed ^ 0xc2b2ae35));
  const texts = recordKind === 'text' ? textReference(training.map(lineOf)) : undefined;

  return {
    pairs,
    agreement,
    rows: sets.map(([id, records, validRate], i) => {
      const quality = scores[i]!;
      const exactCopies = exactCopyShare(records, input.trainingKeys);
      const closestRecord = closest[i]!;
      const text = texts ? measureText(texts, records.map(lineOf)) : null;
      const textAgreement = scoreAgreement(agreement, records);
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
        textAgreement,
        textAgreementScore: meanAgreement(textAgreement),
        text,
        exactCopies,
        closestRecord,
        score: summaryScore({
          measures: MEASURES[recordKind](quality, text),
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

/** The baselines of the record kind, each with its own seeded stream so one never shifts another's draws. */
function baselineSets(input: RowsInput): [SynthesizerId, Records, number][] {
  const { profile, training, seed } = input;
  const rows = input.synthetic.length;
  if (input.recordKind === 'text') {
    const ngram = sampleCharacterNgram(fitCharacterNgram(training.map(lineOf)), rows, evaluationRandom(seed ^ 0x27d4eb2f));
    return [['characterNgram', ngram.map((line) => [line]), 1]];
  }
  const independent = sampleIndependentColumns(training, profile.length, rows, evaluationRandom(seed ^ 0x1b873593));
  const copulaRandom = evaluationRandom(seed ^ 0x85ebca6b);
  const copula = sampleGaussianCopula(fitGaussianCopula(profile, training, copulaRandom), rows, copulaRandom);
  return [
    ['independentColumns', independent, 1],
    ['gaussianCopula', copula, 1],
  ];
}

function lineOf(record: readonly string[]): string {
  return record[0] ?? '';
}
