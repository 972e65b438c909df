import type { ConditionPlacement } from '../generate/conditionalStart.js';
import type { EvaluationReport, SynthesizerRow } from './report.js';
import { fixed, percent } from './reportNumbers.js';

/**
 * How the table says where generation put the conditioned fields. A new placement needs a line
 * here, and a place in EVALUATION_PLACEMENTS (generateForEvaluation.ts) for synth evaluate to offer it.
 */
const PLACEMENT_TEXT: Record<ConditionPlacement, string> = {
  exact: "conditions met exactly (masked in place, records kept with the model's probability of the condition)",
  first: 'conditioned fields written first',
  'in-place': "conditioned fields forced at their own place in the model's order",
};

export const SHORT_LABEL: Record<SynthesizerRow['id'], string> = {
  synthetic: 'synthetic',
  independentColumns: 'independent',
  gaussianCopula: 'copula',
  characterNgram: 'n-gram',
  heldOut: 'held-out',
};

/**
 * The report as plain-text tables for stderr: the comparison of the model with the baselines and the
 * ceiling, then one row per column (tables) or per text measure (plain text) with every set's score
 * beside the model's, then Text Agreement when a pair is listed.
 */
export function formatReportTable(report: EvaluationReport): string {
  const { counts } = report;
  const lines: string[] = [];
  lines.push(`valid records    ${counts.valid} of ${counts.candidates} candidates (${percent(report.validRate)})`);
  lines.push(`real records     ${counts.trainingRecords} training part (the reference), ${counts.heldOutRecords} held out${report.settings.where ? ', those that meet the conditions' : ''}`);
  if (report.settings.where) {
    const placement = report.settings.conditionPlacement;
    lines.push(`conditions       ${report.settings.where.join(', ')}${placement ? `; ${PLACEMENT_TEXT[placement]}` : ''}`);
  }
  lines.push('');
  lines.push(...(report.recordKind === 'text' ? textTables(report) : tableTables(report)));
  if (report.textAgreement.length > 0) {
    lines.push('');
    lines.push(...agreementTable(report));
  }
  lines.push('');
  lines.push(`score            ${formatScoreFormula(report)}`);
  lines.push(`baselines        ${baselines(report).map((row) => `${SHORT_LABEL[row.id]} ${row.score.value.toFixed(1)}`).join(', ')} (same formula)`);
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

function tableTables(report: EvaluationReport): string[] {
  const { synthesizers } = report;
  return [
    ...alignColumns(
      [
        ['', 'records', 'Column Shapes', 'Pair Trends', 'valid', 'copies', 'closer (DCR)', 'score'],
        ...synthesizers.map((row) => [
          row.label,
          String(row.records),
          fixed(row.columnShapes),
          fixed(row.columnPairTrends),
          percent(row.validRate),
          percent(row.exactCopies),
          row.closestRecord ? percent(row.closestRecord.closerThanHeldOutMedian) : '—',
          row.score.value.toFixed(1),
        ]),
      ],
      [false, true, true, true, true, true, true, true],
    ),
    '',
    ...alignColumns(
      [
        ['column', 'compared as', ...synthesizers.map((row) => SHORT_LABEL[row.id])],
        ...report.columns.map((column, i) => [
          column.name,
          column.metric ?? (column.kind === 'shape' ? 'left out (text)' : 'left out'),
          ...synthesizers.map((row) => fixed(row.columnScores[i] ?? null)),
        ]),
      ],
      [false, false, ...synthesizers.map(() => true)],
    ),
  ];
}

/** Plain text: record length, character n-grams (per order) and copies, every set beside the model. */
function textTables(report: EvaluationReport): string[] {
  const { synthesizers } = report;
  const orders = synthesizers[0]!.text?.characterNgrams.orders.map((order) => order.n) ?? [];
  return [
    ...alignColumns(
      [
        ['', 'records', 'length', 'n-grams', 'valid', 'copies', 'score'],
        ...synthesizers.map((row) => [
          row.label,
          String(row.records),
          fixed(row.text?.recordLength.score ?? null),
          fixed(row.text?.characterNgrams.score ?? null),
          percent(row.validRate),
          percent(row.exactCopies),
          row.score.value.toFixed(1),
        ]),
      ],
      [false, true, true, true, true, true, true],
    ),
    '',
    ...alignColumns(
      [
        ['text measure', ...synthesizers.map((row) => SHORT_LABEL[row.id])],
        ['record length (KSComplement)', ...synthesizers.map((row) => fixed(row.text?.recordLength.score ?? null))],
        ['mean characters per record', ...synthesizers.map((row) => (row.text ? row.text.recordLength.synthetic.toFixed(1) : '—'))],
        ...orders.map((n, k) => [`${n}-grams (1 − TV of the top)`, ...synthesizers.map((row) => fixed(row.text?.characterNgrams.orders[k]?.score ?? null))]),
        ['copies of a training line', ...synthesizers.map((row) => percent(row.exactCopies))],
      ],
      [false, ...synthesizers.map(() => true)],
    ),
    `real mean characters per record ${synthesizers[0]!.text?.recordLength.real.toFixed(1) ?? '—'}`,
  ];
}

/** Text Agreement: per pair the real share, then every set's share and score. */
function agreementTable(report: EvaluationReport): string[] {
  const { synthesizers } = report;
  return [
    'text agreement (share of records whose text contains the other field; score 1 − |real − set|)',
    ...alignColumns(
      [
        ['text × field', 'real', ...synthesizers.map((row) => SHORT_LABEL[row.id])],
        ...report.textAgreement.map((pair, p) => [
          pair.columns.join(' × '),
          percent(pair.real),
          ...synthesizers.map((row) => {
            const agreement = row.textAgreement[p];
            return agreement ? `${percent(agreement.synthetic)} ${agreement.score.toFixed(3)}` : '—';
          }),
        ]),
        ['Text Agreement (mean)', '', ...synthesizers.map((row) => fixed(row.textAgreementScore))],
      ],
      [false, true, ...synthesizers.map(() => true)],
    ),
  ];
}

/** "86.1 / 100 = 100 × quality 0.868 × valid rate 0.992 × privacy 1.000". */
export function formatScoreFormula(report: EvaluationReport): string {
  const { score } = report;
  return (
    `${score.value.toFixed(1)} / 100 = 100 × quality ${score.quality.toFixed(3)} × valid rate ${score.validRate.toFixed(3)} × ` +
    `privacy ${score.privacyFactor.toFixed(3)}`
  );
}

/** One line for callers that only want the verdict (e.g. `synth train` after saving a model). */
export function formatScoreLine(report: EvaluationReport): string {
  const best = bestBaseline(report);
  const model = report.synthesizers[0]!;
  const measures =
    report.recordKind === 'text'
      ? `record length ${fixed(model.text?.recordLength.score ?? null)}, character n-grams ${fixed(model.text?.characterNgrams.score ?? null)}`
      : `Column Shapes ${fixed(model.columnShapes)}, Pair Trends ${fixed(model.columnPairTrends)}` +
        (model.textAgreementScore === null ? '' : `, Text Agreement ${fixed(model.textAgreementScore)}`);
  return (
    `quality score ${report.score.value.toFixed(1)} / 100 vs best baseline ${best.score.value.toFixed(1)} (${SHORT_LABEL[best.id]}) ` +
    `(${measures}, valid ${percent(report.validRate)}, ` +
    `exact copies ${percent(report.exactCopies.synthetic)} vs held-out ${percent(report.exactCopies.heldOutBaseline)})`
  );
}

/** The rows between the model's and the ceiling: the baselines of the data's kind. */
export function baselines(report: EvaluationReport): SynthesizerRow[] {
  return report.synthesizers.filter((row) => row.id !== 'synthetic' && row.id !== 'heldOut');
}

/** The baseline with the highest summary score. */
export function bestBaseline(report: EvaluationReport): SynthesizerRow {
  return baselines(report).reduce((best, row) => (row.score.value > best.score.value ? row : best));
}

function alignColumns(rows: string[][], rightAligned: boolean[]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => [...(row[column] ?? '')].length)));
  return rows.map((row) =>
    row
      .map((cell, column) => {
        const pad = ' '.repeat(widths[column]! - [...cell].length);
        return rightAligned[column] ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}
