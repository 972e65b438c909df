import type { Distribution, EvaluationReport, FieldComparison } from './report.js';
import { COLORS, distributionSvg, escapeXml } from './svgCharts.js';

const KIND_LABEL = { numeric: 'numeric (Kolmogorov–Smirnov)', categorical: 'categorical (total variation)', shape: 'text shape (total variation)' } as const;

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no scripts, no external
 * resources, so it opens from disk in any browser and can be attached to a CI run.
 */
export function formatReportHtml(report: EvaluationReport): string {
  const { counts, exactCopies, score } = report;
  const settings = Object.entries(report.settings).filter(([, value]) => value !== undefined);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>synth evaluate — score ${score.value.toFixed(1)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 720px; color: #222; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.5em 0; }
td, th { padding: 2px 10px 2px 0; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.score { font-size: 2.4em; font-weight: 700; }
.legend span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: -1px; }
.note { color: #666; font-size: 0.9em; }
.warning { color: #a33; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
svg text.value { fill: #666; font-size: 10px; }
</style>
</head>
<body>
<h1>Synthetic data quality report</h1>
<p><span class="score">${score.value.toFixed(1)}</span> / 100
= 100 × fidelity ${score.fidelity.toFixed(3)} × valid rate ${score.validRate.toFixed(3)} × copy factor ${score.copyFactor.toFixed(3)}</p>
${report.warnings.map((warning) => `<p class="warning">${escapeXml(warning)}</p>`).join('\n')}
<table>
<tr><th>valid records</th><td>${counts.valid} of ${counts.candidates} candidates (${percent(report.validRate)})</td></tr>
<tr><th>exact copies</th><td>${percent(exactCopies.synthetic)} of valid records copy a training record; held-out baseline ${percent(exactCopies.heldOutBaseline)}
(${counts.heldOutRecords} held-out vs ${counts.trainingRecords} training records); ${percent(exactCopies.syntheticOfWholeFile)} equal some record of the file</td></tr>
${settings.map(([key, value]) => `<tr><th>${escapeXml(key)}</th><td>${escapeXml(String(value))}</td></tr>`).join('\n')}
</table>
<h2>Distances</h2>
<table>
<tr><th>field</th><th>compared as</th><th>distance</th></tr>
${report.fields.map((field) => `<tr><td>${escapeXml(field.name)}</td><td>${KIND_LABEL[field.kind]}</td><td class="num">${field.distance.toFixed(3)}</td></tr>`).join('\n')}
<tr><td>record length</td><td>${KIND_LABEL.numeric}</td><td class="num">${report.recordLength.distance.toFixed(3)}</td></tr>
</table>
<p class="legend"><span style="background:${COLORS.real}"></span>real<span style="background:${COLORS.synthetic}"></span>synthetic
<span class="note">— shares of records; 0 distance = same distribution, 1 = nothing in common</span></p>
${report.fields.map(fieldSection).join('\n')}
<h2>Record length</h2>
<p>Characters per record, fields joined by one separator. Mean ${report.recordLength.realMean.toFixed(1)} real,
${report.recordLength.syntheticMean.toFixed(1)} synthetic; KS distance ${report.recordLength.distance.toFixed(3)}.</p>
${chart(report.recordLength.distribution, 'record length')}
</body>
</html>
`;
}

function fieldSection(field: FieldComparison): string {
  const test = field.metric === 'ks' ? 'Kolmogorov–Smirnov' : 'total variation';
  const shapeNote = field.kind === 'shape' ? '<p class="note">Unique-ish values: compared by character-class shape (A = capitals, a = letters, 9 = digits).</p>' : '';
  return `<h2>${escapeXml(field.name)}</h2>
<p>${KIND_LABEL[field.kind].split(' (')[0]}; ${test} distance ${field.distance.toFixed(3)}</p>
${shapeNote}
${chart(field.distribution, field.name)}`;
}

function chart(distribution: Distribution, title: string): string {
  const missing = distribution.nonNumeric;
  const note =
    missing && (missing.real > 0 || missing.synthetic > 0)
      ? `<p class="note">Blank or non-numeric: ${percent(missing.real)} real, ${percent(missing.synthetic)} synthetic (not plotted).</p>`
      : '';
  return `${distributionSvg(distribution, title)}\n${note}`;
}

function percent(share: number): string {
  return `${(100 * share).toFixed(1)}%`;
}
