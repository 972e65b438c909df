import type { ColumnReport, Distribution, EvaluationReport, SynthesizerRow } from './report.js';
import { pairHeatmapSvg } from './pairHeatmap.js';
import { SHORT_LABEL } from './reportTable.js';
import { COLORS, distributionSvg, escapeXml, formatDay } from './svgCharts.js';
import { fixed, percent } from './reportNumbers.js';

const KIND_LABEL = { numeric: 'numeric', datetime: 'date', categorical: 'categorical', shape: 'unique-ish text' } as const;
/** Pairs listed in the HTML table (all are in the JSON). */
const WORST_PAIRS = 15;

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
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>synth evaluate — score ${score.value.toFixed(1)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 720px; color: #222; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.5em 0; }
td, th { padding: 2px 10px 2px 0; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.grid th { font-weight: 600; border-bottom: 1px solid #ccc; }
tr.model td { background: #fdf1e7; }
.score { font-size: 2.4em; font-weight: 700; }
.legend span.swatch { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: -1px; }
.note { color: #666; font-size: 0.9em; }
.warning { color: #a33; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
svg text.value { fill: #666; font-size: 10px; }
svg text.cell { font-size: 10px; fill: #111; }
dt { font-weight: 600; float: left; clear: left; width: 9em; }
dd { margin-left: 10em; }
</style>
</head>
<body>
<h1>Synthetic data quality report</h1>
<p><span class="score">${score.value.toFixed(1)}</span> / 100
= 100 × quality ${score.quality.toFixed(3)} × valid rate ${score.validRate.toFixed(3)} × privacy ${score.privacyFactor.toFixed(3)}</p>
${report.warnings.map((warning) => `<p class="warning">${escapeXml(warning)}</p>`).join('\n')}
${report.recordKind === 'text' ? textComparisonTable(report) : comparisonTable(report)}
<p class="note">Every row is scored against the real training part (${counts.trainingRecords} records) with the same metrics.
The baselines are fitted on that part and sampled with as many records as the synthetic set; the held-out part
(${counts.heldOutRecords} real records the synthesizers did not see) is the ceiling. Valid records: ${counts.valid} of
${counts.candidates} candidates (${percent(report.validRate)}).</p>
${report.recordKind === 'text' ? textMeasuresSection(report) : `<h2>Column Pair Trends</h2>
${report.pairs.length === 0 ? '<p>Fewer than two scored columns: no pairs.</p>' : `${pairHeatmapSvg(report)}\n${pairTable(report)}`}`}
${report.textAgreement.length > 0 ? agreementSection(report) : ''}
<h2>Privacy</h2>
${privacyTable(report)}
<p class="note">Exact copies: ${percent(exactCopies.syntheticOfWholeFile)} of valid synthetic records equal some record of the whole data file.</p>
<h2>Settings</h2>
<dl>
${settings.map(([key, value]) => `<dt>${escapeXml(key)}</dt><dd>${escapeXml(Array.isArray(value) ? value.join('; ') : String(value))}</dd>`).join('\n')}
</dl>
<h2>Column Shapes</h2>
${columnTable(report)}
<p class="legend"><span class="swatch" style="background:${COLORS.real}"></span>real (training part)<span class="swatch" style="background:${COLORS.synthetic}"></span>synthetic
<span class="note">— shares of records</span></p>
${report.columns.map((column, i) => columnSection(column, i, report)).join('\n')}
<h2>Record length</h2>
<p>Characters per record, fields joined by one separator. Mean ${report.recordLength.realMean.toFixed(1)} real,
${report.recordLength.syntheticMean.toFixed(1)} synthetic; KS distance ${report.recordLength.distance.toFixed(3)}.</p>
${chart(report.recordLength.distribution, 'record length')}
</body>
</html>
`;
}

function columnSection(column: ColumnReport, index: number, report: EvaluationReport): string {
  const scored = column.metric
    ? `${column.metric} ${fixed(report.synthesizers[0]!.columnScores[index] ?? null)} (1 = same distribution)`
    : 'left out of Column Shapes and Pair Trends; the mix of character-class shapes is shown for information (A = capitals, a = letters, 9 = digits)';
  return `<h2>${escapeXml(column.name)}</h2>
<p>${KIND_LABEL[column.kind]}; ${scored}</p>
${chart(column.distribution, column.name, column.kind === 'datetime' ? formatDay : undefined)}`;
}

/** The model beside the baselines and the ceiling, one row each. */
function comparisonTable(report: EvaluationReport): string {
  const rows = report.synthesizers.map(
    (row) =>
      `<tr${row.id === 'synthetic' ? ' class="model"' : ''}><td>${escapeXml(row.label)}</td><td class="num">${row.records}</td>` +
      `<td class="num">${fixed(row.columnShapes)}</td><td class="num">${fixed(row.columnPairTrends)}</td>` +
      `<td class="num">${percent(row.validRate)}</td><td class="num">${percent(row.exactCopies)}</td>` +
      `<td class="num">${row.closestRecord ? percent(row.closestRecord.closerThanHeldOutMedian) : '—'}</td>` +
      `<td class="num"><b>${row.score.value.toFixed(1)}</b></td></tr>`,
  );
  return `<table class="grid">
<tr><th></th><th>records</th><th>Column Shapes</th><th>Pair Trends</th><th>valid</th><th>exact copies</th><th>closer than held-out median (DCR)</th><th>score</th></tr>
${rows.join('\n')}
</table>`;
}

/** Plain text: the text measures in place of Shapes and Pair Trends. */
function textComparisonTable(report: EvaluationReport): string {
  const rows = report.synthesizers.map(
    (row) =>
      `<tr${row.id === 'synthetic' ? ' class="model"' : ''}><td>${escapeXml(row.label)}</td><td class="num">${row.records}</td>` +
      `<td class="num">${fixed(row.text?.recordLength.score ?? null)}</td><td class="num">${fixed(row.text?.characterNgrams.score ?? null)}</td>` +
      `<td class="num">${percent(row.validRate)}</td><td class="num">${percent(row.exactCopies)}</td>` +
      `<td class="num"><b>${row.score.value.toFixed(1)}</b></td></tr>`,
  );
  return `<table class="grid">
<tr><th></th><th>records</th><th>record length</th><th>character n-grams</th><th>valid</th><th>copies of a training line</th><th>score</th></tr>
${rows.join('\n')}
</table>`;
}

/** Plain text: each measure, with every set's value. */
function textMeasuresSection(report: EvaluationReport): string {
  const head = report.synthesizers.map((row) => `<th>${escapeXml(SHORT_LABEL[row.id])}</th>`).join('');
  const cells = (value: (row: SynthesizerRow) => string) => report.synthesizers.map((row) => `<td class="num">${value(row)}</td>`).join('');
  const orders = report.synthesizers[0]!.text?.characterNgrams.orders ?? [];
  const rows = [
    `<tr><td>record length (KSComplement)</td>${cells((row) => fixed(row.text?.recordLength.score ?? null))}</tr>`,
    `<tr><td>mean characters per record (real ${report.synthesizers[0]!.text?.recordLength.real.toFixed(1) ?? '—'})</td>${cells((row) => row.text?.recordLength.synthetic.toFixed(1) ?? '—')}</tr>`,
    ...orders.map((order, k) => `<tr><td>${order.n}-grams: 1 − TV of the top 1,000</td>${cells((row) => fixed(row.text?.characterNgrams.orders[k]?.score ?? null))}</tr>`),
    `<tr><td>copies of a training line</td>${cells((row) => percent(row.exactCopies))}</tr>`,
  ];
  return `<h2>Text measures</h2>
<p>Plain text, one record per line: quality is the mean of the record-length and character n-gram scores; copies beyond the
held-out rate cost privacy. The baseline is a character 3-gram model fitted on the training part.</p>
<table class="grid">
<tr><th>measure</th>${head}</tr>
${rows.join('\n')}
</table>`;
}

/** Text Agreement: per pair, how often the text holds the other field, real and in every set. */
function agreementSection(report: EvaluationReport): string {
  const head = report.synthesizers.map((row) => `<th>${escapeXml(SHORT_LABEL[row.id])}</th>`).join('');
  const rows = report.textAgreement.map(
    (pair, p) =>
      `<tr><td>${escapeXml(pair.columns.join(' × '))}</td><td class="num">${percent(pair.real)}</td>` +
      report.synthesizers
        .map((row) => {
          const agreement = row.textAgreement[p];
          return `<td class="num">${agreement ? `${percent(agreement.synthetic)} (${agreement.score.toFixed(3)})` : '—'}</td>`;
        })
        .join('') +
      '</tr>',
  );
  const mean = `<tr><td><b>Text Agreement</b></td><td></td>${report.synthesizers.map((row) => `<td class="num"><b>${fixed(row.textAgreementScore)}</b></td>`).join('')}</tr>`;
  return `<h2>Text agreement</h2>
<p>Share of records whose free-text field contains the other field's value (both in lower case, letters and digits only),
for the pairs where at least 20% of real training records do; each set's share, and its score 1 − |real − set|. Shown
beside the score, not part of it.</p>
<table class="grid">
<tr><th>text × field</th><th>real</th>${head}</tr>
${rows.join('\n')}
${mean}
</table>`;
}

/** The pairs where the model is furthest from the real data, with every set's score. */
function pairTable(report: EvaluationReport): string {
  const model = report.synthesizers[0]!;
  const worst = report.pairs
    .map((pair, p) => ({ pair, p, score: model.pairScores[p] ?? null }))
    .filter((entry) => entry.score !== null)
    .sort((a, b) => a.score! - b.score!)
    .slice(0, WORST_PAIRS);
  const head = report.synthesizers.map((row) => `<th>${escapeXml(SHORT_LABEL[row.id])}</th>`).join('');
  const rows = worst.map(({ pair, p }) => {
    const r = pair.metric === 'CorrelationSimilarity' ? `${fixed(pair.realCorrelation)} / ${fixed(model.pairCorrelations[p] ?? null)}` : '';
    return (
      `<tr><td>${escapeXml(pair.columns.join(' × '))}</td><td>${pair.metric}</td><td class="num">${r}</td>` +
      report.synthesizers.map((row) => `<td class="num">${fixed(row.pairScores[p] ?? null)}</td>`).join('') +
      '</tr>'
    );
  });
  return `<p>The ${worst.length} pairs with the lowest synthetic score (of ${report.pairs.length}; the JSON report has all):</p>
<table class="grid">
<tr><th>pair</th><th>metric</th><th>r real / synthetic</th>${head}</tr>
${rows.join('\n')}
</table>`;
}

/** Exact copies and distance to closest record for every set. */
function privacyTable(report: EvaluationReport): string {
  const rows = report.synthesizers.map((row) => {
    const dcr = row.closestRecord;
    return (
      `<tr${row.id === 'synthetic' ? ' class="model"' : ''}><td>${escapeXml(row.label)}</td><td class="num">${percent(row.exactCopies)}</td>` +
      `<td class="num">${dcr ? dcr.median.toFixed(3) : '—'}</td><td class="num">${dcr ? percent(dcr.closerThanHeldOutMedian) : '—'}</td>` +
      `<td class="num">${row.score.privacyFactor.toFixed(3)}</td></tr>`
    );
  });
  const dcr = report.synthesizers[0]!.closestRecord;
  const largest = Math.max(0, ...report.synthesizers.map((row) => row.closestRecord?.sampled ?? 0));
  const sample = dcr ? `DCR on seeded samples of up to ${largest} records per set against ${dcr.reference} training records; held-out median ${dcr.heldOutMedian.toFixed(3)}.` : '';
  return `<table class="grid">
<tr><th></th><th>exact copies of training records</th><th>median DCR</th><th>closer than held-out median</th><th>privacy factor</th></tr>
${rows.join('\n')}
</table>
<p class="note">${sample} About half of new real records are closer than the held-out median; much more than half means records
are near-copies of training records.</p>`;
}

/** Per column: the metric and every set's score, the model's first. */
function columnTable(report: EvaluationReport): string {
  const head = report.synthesizers.map((row) => `<th>${escapeXml(SHORT_LABEL[row.id])}</th>`).join('');
  const rows = report.columns.map(
    (column, i) =>
      `<tr><td>${escapeXml(column.name)}</td><td>${column.metric ?? 'left out (text)'}</td>` +
      report.synthesizers.map((row) => `<td class="num">${fixed(row.columnScores[i] ?? null)}</td>`).join('') +
      '</tr>',
  );
  return `<table class="grid">
<tr><th>column</th><th>metric</th>${head}</tr>
${rows.join('\n')}
</table>`;
}

function chart(distribution: Distribution, title: string, formatEdge?: (x: number) => string): string {
  const missing = distribution.nonNumeric;
  const note =
    missing && (missing.real > 0 || missing.synthetic > 0)
      ? `<p class="note">Blank or non-numeric: ${percent(missing.real)} real, ${percent(missing.synthetic)} synthetic (not plotted).</p>`
      : '';
  return `${distributionSvg(distribution, title, formatEdge)}\n${note}`;
}
