import type { Candidate, EvaluationReport, EvaluationSettings, FieldComparison } from './report.js';
import { compareField } from './compareField.js';
import { ksStatistic } from './metrics/distance.js';
import { numericDistribution } from './metrics/distribution.js';
import { exactCopyShare, recordKeySet } from './metrics/exactCopies.js';
import { recordLength } from './metrics/recordLength.js';
import { summaryScore } from './score.js';

/**
 * The whole quality report from records alone, no model: `training` is the part the copies are
 * checked against, `heldOut` the real records that give the chance-copy baseline. Distributions are
 * compared against all real records (training + held-out), the best estimate of the real data.
 */
export function buildReport(
  training: readonly string[][],
  header: readonly string[] | undefined,
  generated: readonly Candidate[],
  heldOut: readonly string[][],
  settings: EvaluationSettings = {},
): EvaluationReport {
  const real = [...training, ...heldOut];
  const valid = generated.filter((candidate) => candidate.valid).map((candidate) => candidate.fields);
  const validRate = generated.length === 0 ? 0 : valid.length / generated.length;
  const warnings: string[] = [];

  const fieldCount = header?.length ?? real.reduce((most, fields) => Math.max(most, fields.length), 1);
  const names = Array.from({ length: fieldCount }, (_, i) => header?.[i] ?? (fieldCount === 1 ? 'record' : `field${i + 1}`));
  const ragged = valid.filter((fields) => fields.length !== fieldCount).length;
  if (ragged > 0) warnings.push(`${ragged} valid generated records do not have ${fieldCount} fields; missing fields count as blank`);
  if (valid.length === 0) warnings.push('no valid records were generated; every distance is 1 and the score is 0');

  const fields: FieldComparison[] = names.map((name, i) =>
    compareField(name, real.map((r) => r[i] ?? ''), valid.map((r) => r[i] ?? '')),
  );

  const realLengths = real.map(recordLength);
  const syntheticLengths = valid.map(recordLength);
  const lengthDistance = ksStatistic(realLengths, syntheticLengths);

  const trainingKeys = recordKeySet(training);
  const exactCopies = {
    synthetic: exactCopyShare(valid, trainingKeys),
    heldOutBaseline: exactCopyShare(heldOut, trainingKeys),
    syntheticOfWholeFile: exactCopyShare(valid, recordKeySet(real)),
  };

  const score = summaryScore({
    distances: [...fields.map((field) => field.distance), lengthDistance],
    validRate,
    copyShare: exactCopies.synthetic,
    baselineCopyShare: exactCopies.heldOutBaseline,
  });

  return {
    format: 'synth-evaluation',
    version: 1,
    settings,
    counts: {
      candidates: generated.length,
      valid: valid.length,
      invalid: generated.length - valid.length,
      trainingRecords: training.length,
      heldOutRecords: heldOut.length,
    },
    validRate,
    exactCopies,
    fields,
    recordLength: {
      metric: 'ks',
      distance: lengthDistance,
      realMean: mean(realLengths),
      syntheticMean: mean(syntheticLengths),
      distribution: numericDistribution(realLengths, syntheticLengths),
    },
    score,
    warnings,
  };
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}
