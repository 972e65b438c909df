import type { JudgedCandidate, EvaluationReport, EvaluationSettings, ReportRecordKind } from './report.js';
import { columnDistribution } from './columnDistribution.js';
import { ksStatistic } from './metrics/distance.js';
import { numericDistribution } from './metrics/distribution.js';
import { exactCopyShare, recordKeySet } from './privacy/exactCopies.js';
import { recordLength } from './metrics/recordLength.js';
import { profileColumns } from './quality/columnProfile.js';
import { detectKey } from '../schema/keyColumns.js';
import { shapeMetric } from './quality/scoreQuality.js';
import { synthesizerRows } from './synthesizerRows.js';

/**
 * The whole quality report from records alone, no model. A `header` means a table; none means plain
 * text, one record per line, scored by the text measures. Every set — the generated records, the two
 * baselines, the held-out part — is compared with `training`, the real part the baselines are
 * fitted on; `heldOut` is the ceiling row and the bar for copies and closeness. With conditions,
 * both parts hold only the real rows that meet them, and `conditionedColumns` are not scored.
 */
export function buildReport(
  training: readonly string[][],
  header: readonly string[] | undefined,
  generated: readonly JudgedCandidate[],
  heldOut: readonly string[][],
  settings: EvaluationSettings = {},
  keyColumns?: readonly number[],
  conditionedColumns: readonly number[] = [],
): EvaluationReport {
  const valid = generated.filter((candidate) => candidate.valid).map((candidate) => candidate.fields);
  const validRate = generated.length === 0 ? 0 : valid.length / generated.length;
  const warnings: string[] = [];
  const real = [...training, ...heldOut];

  const fieldCount = header?.length ?? real.reduce((most, fields) => Math.max(most, fields.length), 1);
  const names = Array.from({ length: fieldCount }, (_, i) => header?.[i] ?? (fieldCount === 1 ? 'record' : `field${i + 1}`));
  const ragged = valid.filter((fields) => fields.length !== fieldCount).length;
  if (ragged > 0) warnings.push(`${ragged} valid generated records do not have ${fieldCount} fields; missing fields count as blank`);
  if (valid.length === 0) warnings.push('no valid records were generated; every score is 0');

  const recordKind: ReportRecordKind = header === undefined ? 'text' : 'delimited';
  const baselineSeed = settings.randomSeed ?? 0;
  const keys = new Set(keyColumns ?? detectKeyColumns(real, fieldCount));
  const profile = profileColumns(names, training, keys, new Set(conditionedColumns));
  if (keys.size > 0) warnings.push(`key column${keys.size > 1 ? 's' : ''} ${[...keys].map((i) => names[i]).join(', ')}: left out of Column Shapes, Pair Trends, exact copies and DCR (key values are made fresh at generation)`);
  if (conditionedColumns.length > 0) {
    const many = conditionedColumns.length > 1;
    warnings.push(
      `conditioned column${many ? 's' : ''} ${conditionedColumns.map((i) => names[i]).join(', ')}: left out of Column Shapes, Pair Trends and Text Agreement (the condition fixes or narrows ${many ? 'them' : 'it'}); every set is compared with the real rows that meet ${settings.where?.join(' and ') ?? 'the conditions'}`,
    );
  }
  const trainingKeys = recordKeySet(training, keys);
  const { rows, pairs, agreement } = synthesizerRows({ recordKind, profile, training, heldOut, synthetic: valid, validRate, trainingKeys, seed: baselineSeed });
  if (recordKind === 'delimited' && !profile.some((column) => shapeMetric(column))) {
    warnings.push('no numeric or categorical column: Column Shapes and Pair Trends are not defined, quality is 0');
  }

  const realLengths = training.map(recordLength);
  const syntheticLengths = valid.map(recordLength);
  const model = rows[0]!;
  return {
    format: 'synth-evaluation',
    version: 3,
    recordKind,
    settings: { ...settings, baselineSeed },
    counts: {
      candidates: generated.length,
      valid: valid.length,
      invalid: generated.length - valid.length,
      trainingRecords: training.length,
      heldOutRecords: heldOut.length,
    },
    validRate,
    exactCopies: {
      synthetic: model.exactCopies,
      heldOutBaseline: rows[rows.length - 1]!.exactCopies,
      syntheticOfWholeFile: exactCopyShare(valid, recordKeySet(real, keys)),
    },
    columns: profile.map((column, i) => ({
      name: column.name,
      kind: column.kind,
      metric: shapeMetric(column),
      distribution: columnDistribution(column, training.map((r) => r[i] ?? ''), valid.map((r) => r[i] ?? '')),
    })),
    pairs: pairs.map((pair) => ({
      columns: [names[pair.columns[0]]!, names[pair.columns[1]]!],
      metric: pair.metric,
      realCorrelation: pair.realCorrelation ?? null,
    })),
    textAgreement: agreement.map((pair) => ({ columns: [names[pair.text]!, names[pair.other]!], real: pair.real })),
    synthesizers: rows,
    recordLength: {
      metric: 'ks',
      distance: ksStatistic(realLengths, syntheticLengths),
      realMean: mean(realLengths),
      syntheticMean: mean(syntheticLengths),
      distribution: numericDistribution(realLengths, syntheticLengths),
    },
    score: model.score,
    warnings,
  };
}

/** Columns of the real records that are keys by the trainer's own rule (for files scored without a model). */
function detectKeyColumns(real: readonly (readonly string[])[], fieldCount: number): number[] {
  if (real.length === 0) return [];
  return Array.from({ length: fieldCount }, (_, i) => i).filter((i) => detectKey(real.map((r) => r[i] ?? '')) !== undefined);
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}
