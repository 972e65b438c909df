import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { stringify } from 'csv-stringify/sync';
import { runCli } from './helpers/runCli.js';
import { PEOPLE_HEADER, peopleRecords } from './helpers/syntheticPeople.js';
import { tempDirectory } from './helpers/tempDirectory.js';

test("synth train's closing line gives the model's score beside the best baseline's", async () => {
  const dir = await tempDirectory('synth-train-line-');
  const input = path.join(dir, 'people.csv');
  await writeFile(input, stringify([PEOPLE_HEADER, ...peopleRecords(200, 1)]));
  const tiny = ['--embedding-dim', '8', '--lstm-units', '16', '--epochs', '1', '--sequence-length', '16', '--batch-size', '16', '--random-seed', '1', '--backend', 'wasm'];
  const result = await runCli(['train', '--input', input, '--out', path.join(dir, 'model'), ...tiny], { timeoutMs: 300_000 });
  assert.equal(result.status, 0, result.stderr);
  const line = result.stderr.split('\n').find((l) => l.startsWith('synth: quality score'));
  assert.ok(line, result.stderr);
  assert.match(line, /^synth: quality score \d+\.\d \/ 100 vs best baseline \d+\.\d \((independent|copula)\) \(Column Shapes (\d\.\d{3}|—), Pair Trends (\d\.\d{3}|—)(, Text Agreement \d\.\d{3})?, valid \d+\.\d%/);
  // one epoch of a 16-unit model is far from the real data; the baselines are not
  const [, model, baseline] = /quality score (\d+\.\d) \/ 100 vs best baseline (\d+\.\d)/.exec(line)!;
  assert.ok(Number(baseline) > 80 && Number(model) < Number(baseline), line);
});
