import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildReport } from '../src/evaluate/buildReport.js';
import { formatReportHtml } from '../src/evaluate/reportHtml.js';
import { PEOPLE_HEADER, peopleRecords } from './helpers/syntheticPeople.js';

type XmlNode = { [key: string]: unknown };

/** Every element named `name` anywhere below `node` (fast-xml-parser's object form). */
function elements(node: unknown, name: string, found: XmlNode[] = []): XmlNode[] {
  if (Array.isArray(node)) {
    for (const item of node) elements(item, name, found);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node as XmlNode)) {
      if (key === name) for (const item of Array.isArray(value) ? value : [value]) found.push(item as XmlNode);
      if (!key.startsWith('@_')) elements(value, name, found);
    }
  }
  return found;
}

function page() {
  const real = peopleRecords(1000, 1);
  // hostile values in the data and in a column name must come out as text, never as markup
  real[0]![2] = '<script>alert(1)</script> & "quotes"';
  const header = [...PEOPLE_HEADER];
  header[1] = 'age <years>';
  const synthetic = peopleRecords(400, 5).map((fields) => ({ fields, valid: true, text: fields.join(',') }));
  const report = buildReport(real.slice(0, 800), header, synthetic, real.slice(800), { dataPath: 'people.csv' });
  return { report, html: formatReportHtml(report) };
}

test('the HTML report is well-formed XML throughout, SVG included', () => {
  const { html } = page();
  assert.equal(XMLValidator.validate(html), true);
  assert.match(html, /^<!DOCTYPE html>/);
  assert.doesNotMatch(html, /<script/i, 'no scripts at all, and data is escaped');
  assert.doesNotMatch(html, /https?:\/\//, 'no external resources');
  assert.doesNotMatch(html, /<link|@import|url\(/i);
  assert.match(html, /&#60;script&#62;alert\(1\)&#60;\/script&#62; &#38; &#34;quotes&#34;/);
});

test('every chart is present: the pair-trends heatmap, one per column and the record length', () => {
  const { report, html } = page();
  const document = new XMLParser({ ignoreAttributes: false, htmlEntities: true }).parse(html);
  const svgs = elements(document, 'svg');
  const labels = svgs.map((svg) => svg['@_aria-label']);
  assert.deepEqual(labels, ['Column Pair Trends heatmap', ...report.columns.map((column) => column.name), 'record length']);
  for (const svg of svgs) assert.match(String(svg['@_viewBox']), /^0 0 \d+ \d+$/);
  // heatmap: a diagonal cell per scored column, two cells per pair (model below, copula above), an 11-step legend
  const heatmap = svgs[0]!;
  const scored = report.columns.filter((column) => column.metric !== null).length;
  assert.equal(elements(heatmap, 'rect').length, scored + 2 * report.pairs.length + 11);
  const tips = elements(heatmap, 'title').map(String);
  for (const pair of report.pairs) {
    assert.ok(tips.some((tip) => tip.startsWith(`synthetic — ${pair.columns.join(' × ')}: ${pair.metric}`)), pair.columns.join(' × '));
    assert.ok(tips.some((tip) => tip.startsWith(`Gaussian copula — ${pair.columns.join(' × ')}`)));
  }
});

test('every table has a column per set: the model, both baselines and the held-out ceiling', () => {
  const { report, html } = page();
  const document = new XMLParser({ ignoreAttributes: false, htmlEntities: true }).parse(html);
  const tables = elements(document, 'table');
  assert.equal(tables.length, 5, 'comparison, pair trends, text agreement (email × name), privacy, column shapes');
  const text = (node: unknown): string => (typeof node === 'object' && node !== null ? Object.entries(node).filter(([k]) => !k.startsWith('@_')).map(([, v]) => text(v)).join(' ') : String(node));
  for (const table of tables) {
    const content = text(table);
    const perRow = /synthetic records/.test(content);
    const perColumn = /independent/.test(content) && /copula/.test(content) && /held-out/.test(content);
    assert.ok(perRow || perColumn, content.slice(0, 200));
    if (perRow) for (const row of report.synthesizers) assert.ok(content.includes(row.label), row.label);
  }
});

test('a plain-text report shows the text measures in place of Column Pair Trends, every set in a column', () => {
  const lines = Array.from({ length: 300 }, (_, i) => `line ${i % 17} of ${i % 5 ? 'prose' : 'verse'}`);
  const candidates = lines.slice(0, 100).map((line) => ({ fields: [`${line}!`], valid: true, text: `${line}!` }));
  const report = buildReport(lines.slice(0, 240).map((l) => [l]), undefined, candidates, lines.slice(240).map((l) => [l]));
  const html = formatReportHtml(report);
  assert.equal(XMLValidator.validate(html), true);
  assert.doesNotMatch(html, /Column Pair Trends heatmap/);
  const document = new XMLParser({ ignoreAttributes: false, htmlEntities: true }).parse(html);
  const headings = elements(document, 'h2').map(String);
  assert.ok(headings.includes('Text measures') && !headings.includes('Text agreement'), headings.join(', '));
  const measures = elements(document, 'table')[1]!;
  const cells = elements(measures, 'th').map(String);
  assert.deepEqual(cells, ['measure', 'synthetic', 'n-gram', 'held-out']);
  assert.match(html, /3-grams: 1 − TV of the top 1,000/);
});
