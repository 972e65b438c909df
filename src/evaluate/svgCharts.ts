import type { Distribution } from './report.js';
import { percent } from './reportNumbers.js';

/** Colours of the two samples in every chart (colour-blind safe pair). */
export const COLORS = { real: '#4477aa', synthetic: '#ee7733' } as const;

const WIDTH = 640;

/** An inline SVG chart of a distribution: grouped columns for a histogram, grouped rows for bars. */
export function distributionSvg(distribution: Distribution, title: string, formatEdge: (x: number) => string = formatNumber): string {
  return distribution.kind === 'histogram' ? histogramSvg(distribution, title, formatEdge) : barsSvg(distribution, title);
}

/** A histogram edge of a datetime column (days since 1970-01-01) as an ISO date. */
export function formatDay(days: number): string {
  return new Date(Math.round(days * 86_400_000)).toISOString().slice(0, 10);
}

function histogramSvg(d: Extract<Distribution, { kind: 'histogram' }>, title: string, formatNumber: (x: number) => string): string {
  const height = 220;
  const left = 48;
  const bottom = 30;
  const top = 10;
  const plotWidth = WIDTH - left - 10;
  const plotHeight = height - top - bottom;
  const peak = Math.max(1e-9, ...d.real, ...d.synthetic);
  const slot = plotWidth / d.real.length;
  const bar = Math.max(1, slot / 2 - 1);
  const parts: string[] = [];
  d.real.forEach((realShare, i) => {
    const x = left + i * slot;
    const range = `${formatNumber(d.edges[i]!)} – ${formatNumber(d.edges[i + 1]!)}`;
    parts.push(column(x, bar, realShare, peak, top, plotHeight, COLORS.real, `real ${range}: ${percent(realShare)}`));
    parts.push(column(x + bar, bar, d.synthetic[i]!, peak, top, plotHeight, COLORS.synthetic, `synthetic ${range}: ${percent(d.synthetic[i]!)}`));
  });
  const axisY = top + plotHeight;
  const ticks = [0, Math.floor(d.real.length / 2), d.real.length].map((i) => {
    const x = left + i * slot;
    const anchor = i === 0 ? 'start' : i === d.real.length ? 'end' : 'middle';
    return `<text x="${x.toFixed(1)}" y="${axisY + 16}" text-anchor="${anchor}">${escapeXml(formatNumber(d.edges[i]!))}</text>`;
  });
  return svg(height, title, [
    ...parts,
    `<line x1="${left}" y1="${axisY}" x2="${left + plotWidth}" y2="${axisY}" stroke="#333"/>`,
    `<text x="${left - 4}" y="${top + 10}" text-anchor="end">${percent(peak)}</text>`,
    `<text x="${left - 4}" y="${axisY}" text-anchor="end">0%</text>`,
    ...ticks,
  ]);
}

function barsSvg(d: Extract<Distribution, { kind: 'bars' }>, title: string): string {
  const rowHeight = 26;
  const labelWidth = 190;
  const top = 6;
  const plotWidth = WIDTH - labelWidth - 70;
  const height = top + d.labels.length * rowHeight + 6;
  const peak = Math.max(1e-9, ...d.real, ...d.synthetic);
  const parts: string[] = [];
  d.labels.forEach((label, i) => {
    const y = top + i * rowHeight;
    const shown = [...label].length > 26 ? `${[...label].slice(0, 25).join('')}…` : label;
    parts.push(`<text x="${labelWidth - 6}" y="${y + 15}" text-anchor="end"><title>${escapeXml(label)}</title>${escapeXml(shown === '' ? '(blank)' : shown)}</text>`);
    parts.push(row(labelWidth, y + 2, d.real[i]!, peak, plotWidth, COLORS.real, `real ${label}: ${percent(d.real[i]!)}`));
    parts.push(row(labelWidth, y + 12, d.synthetic[i]!, peak, plotWidth, COLORS.synthetic, `synthetic ${label}: ${percent(d.synthetic[i]!)}`));
  });
  return svg(height, title, parts);
}

function column(x: number, width: number, share: number, peak: number, top: number, plotHeight: number, color: string, tip: string): string {
  const h = (share / peak) * plotHeight;
  return `<rect x="${x.toFixed(1)}" y="${(top + plotHeight - h).toFixed(1)}" width="${width.toFixed(1)}" height="${h.toFixed(1)}" fill="${color}"><title>${escapeXml(tip)}</title></rect>`;
}

function row(x: number, y: number, share: number, peak: number, plotWidth: number, color: string, tip: string): string {
  const w = (share / peak) * plotWidth;
  return (
    `<rect x="${x}" y="${y}" width="${w.toFixed(1)}" height="9" fill="${color}"><title>${escapeXml(tip)}</title></rect>` +
    `<text x="${(x + w + 4).toFixed(1)}" y="${y + 8}" class="value">${percent(share)}</text>`
  );
}

function svg(height: number, title: string, parts: string[]): string {
  return (
    `<svg width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(title)}">` +
    parts.join('') +
    '</svg>'
  );
}

/** Escapes text for XML/HTML content and attribute values; every data-derived string goes through it. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : Number(x.toPrecision(4)).toString();
}
