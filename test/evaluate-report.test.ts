import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../src/evaluate/buildReport.js';
import { formatReportHtml } from '../src/evaluate/reportHtml.js';
import { formatReportJson } from '../src/evaluate/reportJson.js';
import { formatReportTable, formatScoreLine } from '../src/evaluate/reportTable.js';
import { PEOPLE_HEADER, peopleRecords } from './helpers/syntheticPeople.js';

function sampleReport() {
  const real = peopleRecords(1000, 1);
  // A hostile value in the data must come out as text, never as markup.
  real[0]![2] = '<script>alert(1)</script>';
  const synthetic = peopleRecords(400, 5).map((fields) => ({ fields, valid: true, text: fields.join(',') }));
  synthetic.push({ fields: ['x'], valid: false, text: 'x' });
  return buildReport(real.slice(0, 800), PEOPLE_HEADER, synthetic, real.slice(800), { modelDir: 'model', dataPath: 'people.csv', lines: 400 });
}

test('the JSON report carries counts, copies, per-field distances and the score', () => {
  const report = sampleReport();
  const json = JSON.parse(formatReportJson(report));
  assert.equal(json.format, 'synth-evaluation');
  assert.equal(json.version, 1);
  assert.deepEqual(json.counts, { candidates: 401, valid: 400, invalid: 1, trainingRecords: 800, heldOutRecords: 200 });
  assert.ok(Math.abs(json.validRate - 400 / 401) < 1e-6);
  assert.deepEqual(Object.keys(json.exactCopies).sort(), ['heldOutBaseline', 'synthetic', 'syntheticOfWholeFile']);
  assert.deepEqual(json.fields.map((f: { name: string }) => f.name), PEOPLE_HEADER);
  assert.deepEqual(json.fields.map((f: { metric: string }) => f.metric), ['tv', 'ks', 'tv', 'tv']);
  for (const field of json.fields) assert.ok(field.distance >= 0 && field.distance <= 1);
  assert.equal(json.recordLength.metric, 'ks');
  assert.equal(json.score.value, report.score.value);
  assert.equal(json.settings.dataPath, 'people.csv');
});

test('the HTML report is one self-contained page with an SVG chart per field and for length', () => {
  const html = formatReportHtml(sampleReport());
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<\/html>\n$/);
  assert.equal(html.match(/<svg /g)?.length, PEOPLE_HEADER.length + 1);
  assert.equal(html.match(/<svg /g)?.length, html.match(/<\/svg>/g)?.length);
  assert.doesNotMatch(html, /<script/i, 'no scripts at all, and data is escaped');
  assert.match(html, /&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
  assert.doesNotMatch(html, /https?:\/\//, 'no external resources');
  assert.doesNotMatch(html, /<link|@import|url\(/i);
  for (const name of PEOPLE_HEADER) assert.match(html, new RegExp(`<h2>${name}</h2>`));
  // every opened element of the charts is closed
  assert.equal(html.match(/<rect /g)?.length, html.match(/<\/rect>/g)?.length);
  assert.equal(html.match(/<text /g)?.length, html.match(/<\/text>/g)?.length);
});

test('the text table has a row per field, the record length and the score formula', () => {
  const report = sampleReport();
  const table = formatReportTable(report);
  for (const name of PEOPLE_HEADER) assert.match(table, new RegExp(`^${name} `, 'm'));
  assert.match(table, /^record length /m);
  assert.match(table, /valid records +400 of 401 candidates \(99\.8%\)/);
  assert.match(table, new RegExp(`score +${report.score.value.toFixed(1)} / 100 = 100 × fidelity`));
  assert.match(table, /held-out baseline \d+\.\d%/);
});

test('the one-line summary gives the score, valid rate and copies', () => {
  const report = sampleReport();
  assert.match(formatScoreLine(report), new RegExp(`^quality score ${report.score.value.toFixed(1)} / 100 \\(valid 99\\.8%, fidelity 0\\.\\d{3}, exact copies \\d+\\.\\d% vs held-out \\d+\\.\\d%\\)$`));
});
