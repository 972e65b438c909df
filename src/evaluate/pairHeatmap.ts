import type { EvaluationReport } from './report.js';
import { escapeXml } from './svgCharts.js';

const WIDTH = 640;
const LABEL = 130;
/** Scores at or below this are drawn fully red; the scale spends its range where scores live. */
const SCALE_LOW = 0.5;

/**
 * Column Pair Trends as a matrix of the scored columns: below the diagonal the model's score of each
 * pair, above it the Gaussian-copula baseline's for the same pair, so the two triangles can be
 * compared at a glance. Every cell's tooltip gives the metric, the real and synthetic correlation
 * (numeric pairs) and every set's score.
 */
export function pairHeatmapSvg(report: EvaluationReport): string {
  const names = [...new Set(report.pairs.flatMap((pair) => pair.columns))];
  const order = report.columns.map((column) => column.name).filter((name) => names.includes(name));
  const n = order.length;
  const cell = Math.max(8, Math.min(40, Math.floor((WIDTH - LABEL - 10) / Math.max(1, n))));
  const top = LABEL;
  const height = top + n * cell + 60;
  const model = report.synthesizers.find((row) => row.id === 'synthetic')!;
  const copula = report.synthesizers.find((row) => row.id === 'gaussianCopula')!;
  const parts: string[] = [];
  order.forEach((name, i) => {
    const shown = [...name].length > 20 ? `${[...name].slice(0, 19).join('')}…` : name;
    parts.push(`<text x="${LABEL - 6}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end">${escapeXml(shown)}</text>`);
    const x = LABEL + i * cell + cell / 2 + 4;
    parts.push(`<text x="${x}" y="${top - 6}" transform="rotate(-60 ${x} ${top - 6})">${escapeXml(shown)}</text>`);
    parts.push(`<rect x="${LABEL + i * cell}" y="${top + i * cell}" width="${cell}" height="${cell}" fill="#ddd"><title>${escapeXml(name)}</title></rect>`);
  });
  report.pairs.forEach((pair, p) => {
    const a = order.indexOf(pair.columns[0]);
    const b = order.indexOf(pair.columns[1]);
    const details = pairDetails(report, p);
    // below the diagonal (row b, column a): the model; above (row a, column b): the copula
    parts.push(heatCell(LABEL + a * cell, top + b * cell, cell, model.pairScores[p] ?? null, `synthetic — ${details}`));
    parts.push(heatCell(LABEL + b * cell, top + a * cell, cell, copula.pairScores[p] ?? null, `Gaussian copula — ${details}`));
  });
  parts.push(legend(LABEL, top + n * cell + 14));
  return `<svg width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Column Pair Trends heatmap">${parts.join('')}</svg>`;
}

function heatCell(x: number, y: number, size: number, score: number | null, tip: string): string {
  const fill = score === null ? '#f4f4f4' : scoreColor(score);
  const label = score !== null && size >= 28 ? `<text x="${x + size / 2}" y="${y + size / 2 + 4}" text-anchor="middle" class="cell">${score.toFixed(2)}</text>` : '';
  return `<rect x="${x}" y="${y}" width="${size}" height="${size}" fill="${fill}" stroke="#fff"><title>${escapeXml(tip)}</title></rect>${label}`;
}

function pairDetails(report: EvaluationReport, p: number): string {
  const pair = report.pairs[p]!;
  const scores = report.synthesizers.map((row) => `${row.id} ${row.pairScores[p]?.toFixed(3) ?? 'n/a'}`).join(', ');
  const r =
    pair.metric === 'CorrelationSimilarity'
      ? `; r real ${pair.realCorrelation?.toFixed(3) ?? 'n/a'}, synthetic ${report.synthesizers[0]!.pairCorrelations[p]?.toFixed(3) ?? 'n/a'}`
      : '';
  return `${pair.columns.join(' × ')}: ${pair.metric}${r}; ${scores}`;
}

/** Red (poor) through pale yellow to blue (same as real), a colour-blind-safe diverging scale. */
export function scoreColor(score: number): string {
  const t = Math.min(1, Math.max(0, (score - SCALE_LOW) / (1 - SCALE_LOW)));
  const stops: [number, number, number][] = [
    [215, 48, 39],
    [254, 224, 144],
    [69, 117, 180],
  ];
  const [from, to, u] = t < 0.5 ? [stops[0]!, stops[1]!, t * 2] : [stops[1]!, stops[2]!, (t - 0.5) * 2];
  const channel = (k: number) => Math.round(from[k]! + (to[k]! - from[k]!) * u);
  return `rgb(${channel(0)},${channel(1)},${channel(2)})`;
}

function legend(x: number, y: number): string {
  const steps = 10;
  const width = 24;
  const boxes = Array.from({ length: steps + 1 }, (_, i) => {
    const score = SCALE_LOW + ((1 - SCALE_LOW) * i) / steps;
    return `<rect x="${x + i * width}" y="${y}" width="${width}" height="10" fill="${scoreColor(score)}"><title>${score.toFixed(2)}</title></rect>`;
  });
  return (
    boxes.join('') +
    `<text x="${x}" y="${y + 24}">≤ ${SCALE_LOW}</text>` +
    `<text x="${x + (steps + 1) * width}" y="${y + 24}" text-anchor="end">1 (same as real)</text>` +
    `<text x="${x}" y="${y + 40}">below the diagonal: synthetic records; above: Gaussian copula baseline</text>`
  );
}
