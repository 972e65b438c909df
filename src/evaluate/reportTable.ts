import type { EvaluationReport, SynthesizerRow } from './report.js';

const SHORT_LABEL: Record<SynthesizerRow['id'], string> = {
  synthetic: 'synthetic',
  independentColumns: 'independent',
  gaussianCopula: 'copula',
  heldOut: 'held-out',
};

/**
 * The report as plain-text tables for stderr: the comparison of the model with the baselines and the
 * ceiling, then one row per column with every set's score beside the model's.
 */
export function formatReportTable(report: EvaluationReport): string {
  const { counts, synthesizers } = report;
  const lines: string[] = [];
  lines.push(`valid records    ${counts.valid} of ${counts.candidates} candidates (${percent(report.validRate)})`);
  lines.push(`real records     ${counts.trainingRecords} training part (the reference), ${counts.heldOutRecords} held out`);
  lines.push('');
  lines.push(
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
  );
  lines.push('');
  lines.push(
    ...alignColumns(
      [
        ['column', 'compared as', ...synthesizers.map((row) => SHORT_LABEL[row.id])],
        ...report.columns.map((column, i) => [
          column.name,
          column.metric ?? 'left out (text)',
          ...synthesizers.map((row) => fixed(row.columnScores[i] ?? null)),
        ]),
      ],
      [false, false, ...synthesizers.map(() => true)],
    ),
  );
  lines.push('');
  lines.push(`score            ${formatScoreFormula(report)}`);
  lines.push(`baselines        ${synthesizers.slice(1).map((row) => `${SHORT_LABEL[row.id]} ${row.score.value.toFixed(1)}`).join(', ')} (same formula)`);
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
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
  return (
    `quality score ${report.score.value.toFixed(1)} / 100 vs best baseline ${best.score.value.toFixed(1)} (${SHORT_LABEL[best.id]}) ` +
    `(Column Shapes ${fixed(model.columnShapes)}, Pair Trends ${fixed(model.columnPairTrends)}, valid ${percent(report.validRate)}, ` +
    `exact copies ${percent(report.exactCopies.synthetic)} vs held-out ${percent(report.exactCopies.heldOutBaseline)})`
  );
}

/** The baseline with the highest summary score. */
export function bestBaseline(report: EvaluationReport): SynthesizerRow {
  const baselines = report.synthesizers.filter((row) => row.id === 'independentColumns' || row.id === 'gaussianCopula');
  return baselines.reduce((best, row) => (row.score.value > best.score.value ? row : best));
}

function fixed(x: number | null): string {
  return x === null ? '—' : x.toFixed(3);
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
