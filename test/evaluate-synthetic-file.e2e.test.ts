import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { splitHeldOut } from '../src/evaluate/splitHeldOut.js';
import { repoRoot, runCli } from './helpers/runCli.js';
import { tempDirectory } from './helpers/tempDirectory.js';

const customers = path.join(repoRoot, 'fixtures', 'customers.csv');

async function customersTable(): Promise<{ header: string[]; records: string[][] }> {
  const [header, ...records] = parse(await readFile(customers, 'utf8')) as string[][];
  return { header: header!, records };
}

test('synth evaluate --synthetic on the held-out part reproduces the ceiling row, no model needed', async () => {
  const dir = await tempDirectory('synth-evaluate-file-');
  const { header, records } = await customersTable();
  const { heldOut } = splitHeldOut(records);
  // columns in another order: matched by name
  const order = [...header.keys()].reverse();
  const file = path.join(dir, 'held-out.csv');
  await writeFile(file, stringify([order.map((i) => header[i]!), ...heldOut.map((r) => order.map((i) => r[i]!))]));
  const json = path.join(dir, 'report.json');
  const result = await runCli(['evaluate', '--synthetic', file, '--data', customers, '--model', '/nonexistent', '--report', json]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, '', 'stdout is for records only');
  const report = JSON.parse(await readFile(json, 'utf8'));
  const [model, , , ceiling] = report.synthesizers;
  assert.equal(ceiling.id, 'heldOut');
  assert.equal(model.records, heldOut.length);
  assert.equal(model.columnShapes, ceiling.columnShapes);
  assert.equal(model.columnPairTrends, ceiling.columnPairTrends);
  assert.deepEqual(model.columnScores, ceiling.columnScores);
  assert.equal(report.settings.syntheticPath, file);
  assert.equal(report.settings.modelDir, undefined);
  assert.match(result.stderr, /^held-out real records \(ceiling\) +\d+ +0\.\d{3} +0\.\d{3}/m);
});

test('rows with the wrong field count are invalid records of the file, not an error', async () => {
  const dir = await tempDirectory('synth-evaluate-file-');
  const { header, records } = await customersTable();
  const file = path.join(dir, 'other-tool.csv');
  const rows = records.slice(0, 300).map((r, i) => (i % 3 === 0 ? r.slice(0, 4) : r));
  await writeFile(file, stringify([header, ...rows]));
  const json = path.join(dir, 'report.json');
  const result = await runCli(['evaluate', '--synthetic', file, '--data', customers, '--report', json]);
  assert.equal(result.status, 0, result.stderr);
  const report = JSON.parse(await readFile(json, 'utf8'));
  assert.deepEqual([report.counts.valid, report.counts.invalid], [200, 100]);
  assert.ok(Math.abs(report.validRate - 2 / 3) < 1e-6);
});

test('a --synthetic file without the data columns, or missing, is a usage error naming the flag', async () => {
  const dir = await tempDirectory('synth-evaluate-file-');
  const file = path.join(dir, 'wrong.csv');
  await writeFile(file, 'a,b\n1,2\n');
  const wrong = await runCli(['evaluate', '--synthetic', file, '--data', customers]);
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /--synthetic .*wrong\.csv has columns a, b but --data has customer_id/);
  const missing = await runCli(['evaluate', '--synthetic', path.join(dir, 'missing.csv'), '--data', customers]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--synthetic .*missing\.csv does not exist/);
});
