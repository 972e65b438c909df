import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { buildReport } from '../src/evaluate/buildReport.js';
import { formatReportJson } from '../src/evaluate/reportJson.js';
import { formatReportTable, formatScoreLine } from '../src/evaluate/reportTable.js';
import { repoRoot } from './helpers/runCli.js';
import { PEOPLE_HEADER, peopleRecords } from './helpers/syntheticPeople.js';

function sampleReport() {
  const real = peopleRecords(1000, 1);
  // A hostile value in the data must come out as text, never as markup.
  real[0]![2] = '<script>alert(1)</script>';
  const synthetic = peopleRecords(400, 5).map((fields) => ({ fields, valid: true, text: fields.join(',') }));
  synthetic.push({ fields: ['x'], valid: false, text: 'x' });
  return buildReport(real.slice(0, 800), PEOPLE_HEADER, synthetic, real.slice(800), { modelDir: 'model', dataPath: 'people.csv', lines: 400 });
}

test('the JSON report (version 3) carries counts, columns, pairs and a row per synthesizer', () => {
  const report = sampleReport();
  const json = JSON.parse(formatReportJson(report));
  assert.equal(json.format, 'synth-evaluation');
  assert.equal(json.version, 3);
  assert.deepEqual(json.counts, { candidates: 401, valid: 400, invalid: 1, trainingRecords: 800, heldOutRecords: 200 });
  assert.ok(Math.abs(json.validRate - 400 / 401) < 1e-6);
  assert.deepEqual(Object.keys(json.exactCopies).sort(), ['heldOutBaseline', 'synthetic', 'syntheticOfWholeFile']);
  assert.deepEqual(json.columns.map((f: { name: string }) => f.name), PEOPLE_HEADER);
  assert.deepEqual(json.columns.map((f: { metric: string }) => f.metric), ['TVComplement', 'KSComplement', 'TVComplement', null]);
  // three scored columns -> three pairs; age is the only numeric one, so all are contingency pairs
  assert.deepEqual(json.pairs.map((p: { columns: string[] }) => p.columns.join('×')), ['name×age', 'name×city', 'age×city']);
  assert.deepEqual(json.synthesizers.map((row: { id: string }) => row.id), ['synthetic', 'independentColumns', 'gaussianCopula', 'heldOut']);
  // baselines have as many rows as the synthetic set; the ceiling is the held-out part
  assert.deepEqual(json.synthesizers.map((row: { records: number }) => row.records), [400, 400, 400, 200]);
  for (const row of json.synthesizers) {
    assert.equal(row.columnScores.length, 4);
    assert.equal(row.pairScores.length, 3);
    assert.ok(row.columnShapes > 0.5 && row.columnShapes <= 1 && row.columnPairTrends > 0.5 && row.columnPairTrends <= 1);
  }
  assert.equal(json.score.value, report.score.value);
  assert.equal(json.score.value, json.synthesizers[0].score.value);
  assert.equal(json.settings.dataPath, 'people.csv');
  assert.equal(json.settings.baselineSeed, 0);
});

test('the text table has a row per synthesizer, a row per column with every set, and the score formula', () => {
  const report = sampleReport();
  const table = formatReportTable(report);
  for (const name of PEOPLE_HEADER) assert.match(table, new RegExp(`^${name} `, 'm'));
  for (const label of ['synthetic records', 'independent columns \\(baseline\\)', 'Gaussian copula \\(baseline\\)', 'held-out real records \\(ceiling\\)']) {
    assert.match(table, new RegExp(`^${label} +\\d+ +0\\.\\d{3} +0\\.\\d{3} `, 'm'));
  }
  assert.match(table, /^column +compared as +synthetic +independent +copula +held-out$/m);
  assert.match(table, /^email +left out \(text\)/m);
  assert.match(table, /valid records +400 of 401 candidates \(99\.8%\)/);
  assert.match(table, new RegExp(`score +${report.score.value.toFixed(1)} / 100 = 100 × quality`));
});

test('the one-line summary gives the score beside the best baseline', () => {
  const report = sampleReport();
  const best = Math.max(report.synthesizers[1]!.score.value, report.synthesizers[2]!.score.value);
  assert.match(
    formatScoreLine(report),
    new RegExp(`^quality score ${report.score.value.toFixed(1)} / 100 vs best baseline ${best.toFixed(1)} \\((independent|copula)\\) \\(Column Shapes 0\\.\\d{3}, Pair Trends 0\\.\\d{3}, Text Agreement 1\\.000, valid 99\\.8%`),
  );
});

test('the JSON report validates against the documented schema (docs/evaluation-report.v3.schema.json)', async () => {
  const schema = JSON.parse(await readFile(path.join(repoRoot, 'docs', 'evaluation-report.v3.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const reports = [
    sampleReport(),
    // no valid records: NaN medians become null, every score 0
    buildReport(peopleRecords(100, 1).slice(0, 80), PEOPLE_HEADER, [{ fields: ['x'], valid: false, text: 'x' }], peopleRecords(100, 1).slice(80)),
    // a text table: no scored column, no pairs
    buildReport([['a b'], ['c d']], undefined, [{ fields: ['e f'], valid: true, text: 'e f' }], [['g h']]),
  ];
  for (const report of reports) {
    const json = JSON.parse(formatReportJson(report));
    assert.ok(validate(json), JSON.stringify(validate.errors?.slice(0, 3)));
  }
  // the schema is strict enough to catch a renamed field
  const broken = JSON.parse(formatReportJson(sampleReport()));
  broken.synthesizers[0].shapes = broken.synthesizers[0].columnShapes;
  delete broken.synthesizers[0].columnShapes;
  assert.equal(validate(broken), false);
});
