import type { EvaluationReport } from './report.js';

const KIND_LABEL = { numeric: 'numeric', categorical: 'categorical', shape: 'text shape' } as const;

/** The report as a plain-text table for stderr: counts, copies, one row per field, the score. */
export function formatReportTable(report: EvaluationReport): string {
  const { counts, exactCopies, score } = report;
  const lines: string[] = [];
  lines.push(`valid records    ${counts.valid} of ${counts.candidates} candidates (${percent(report.validRate)})`);
  lines.push(
    `exact copies     ${percent(exactCopies.synthetic)} of valid records copy a training record; ` +
      `held-out baseline ${percent(exactCopies.heldOutBaseline)} (${counts.heldOutRecords} held-out vs ${counts.trainingRecords} training records)`,
  );
  lines.push('');

  const rows = [
    ...report.fields.map((field) => [field.name, KIND_LABEL[field.kind], field.metric === 'ks' ? 'KS' : 'TV', field.distance.toFixed(3)]),
    [
      'record length',
      `mean ${report.recordLength.realMean.toFixed(1)} real / ${report.recordLength.syntheticMean.toFixed(1)} synthetic`,
      'KS',
      report.recordLength.distance.toFixed(3),
    ],
  ];
  lines.push(...alignColumns([['field', 'compared as', 'test', 'distance'], ...rows], [false, false, false, true]));
  lines.push('');
  lines.push(
    `score            ${score.value.toFixed(1)} / 100 = 100 × fidelity ${score.fidelity.toFixed(3)} × valid rate ${score.validRate.toFixed(3)} × copy factor ${score.copyFactor.toFixed(3)}`,
  );
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

/** One line for callers that only want the verdict (e.g. `synth train` after saving a model). */
export function formatScoreLine(report: EvaluationReport): string {
  const { score, exactCopies } = report;
  return (
    `quality score ${score.value.toFixed(1)} / 100 (valid ${percent(report.validRate)}, fidelity ${score.fidelity.toFixed(3)}, ` +
    `exact copies ${percent(exactCopies.synthetic)} vs held-out ${percent(exactCopies.heldOutBaseline)})`
  );
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

function percent(share: number): string {
  return `${(100 * share).toFixed(1)}%`;
}
