import type { EvaluationReport } from './report.js';

/** The report as JSON text (format "synth-evaluation" version 3, docs/evaluation-report.v3.schema.json), for --report FILE.json. */
export function formatReportJson(report: EvaluationReport): string {
  return `${JSON.stringify(report, roundNumbers, 2)}\n`;
}

// Six significant digits are plenty for shares and distances and keep the file readable.
function roundNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value) ? Number(value.toPrecision(6)) : value;
}
