import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { CommanderError } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { evaluateCommand } from '../src/cli/evaluateCommand.js';
import { UsageError, type Warn } from '../src/errors.js';
import type { JudgedCandidate } from '../src/evaluate/report.js';
import { writeRandomModel } from './helpers/randomModel.js';
import { PEOPLE_HEADER, peopleRecords } from './helpers/syntheticPeople.js';
import { tempDirectory } from './helpers/tempDirectory.js';

interface Request {
  modelDir: string;
  lines: number;
  randomSeed?: number;
  temperature: number;
  backend: string;
  warn?: Warn;
}

async function setUp() {
  const dir = await tempDirectory('synth-evaluate-cli-');
  const records = peopleRecords(300, 1);
  const data = path.join(dir, 'people.csv');
  await writeFile(data, stringify([PEOPLE_HEADER, ...records]));
  const model = await writeRandomModel({ records, header: PEOPLE_HEADER, dir: path.join(dir, 'model') });
  const requests: Request[] = [];
  let stderr = '';
  const command = evaluateCommand({
    generateRecords: async function* (req): AsyncGenerator<JudgedCandidate> {
      requests.push(req);
      for (const fields of peopleRecords(req.lines, 7)) yield { fields, valid: true, text: fields.join(',') };
    },
    stderr: { write: (text: string) => (stderr += text) },
  });
  command.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  const run = (...args: string[]) => command.parseAsync(args, { from: 'user' });
  return { dir, data, model, requests, run, stderr: () => stderr };
}

test('synth evaluate passes its flags to the generator and prints the table on stderr', async () => {
  const t = await setUp();
  await t.run('--model', t.model, '--data', t.data, '--lines', '120', '--random-seed', '5', '--temperature', '0.8', '--backend', 'wasm');
  assert.deepEqual(
    t.requests.map(({ warn, ...request }) => (assert.equal(typeof warn, 'function'), request)),
    [{ modelDir: t.model, lines: 120, randomSeed: 5, temperature: 0.8, backend: 'wasm' }],
  );
  assert.match(t.stderr(), /valid records +120 of 120 candidates \(100\.0%\)/);
  assert.match(t.stderr(), /^score +\d+\.\d \/ 100/m);
});

test('--report FILE.json and FILE.html write the report in the format of the extension', async () => {
  const t = await setUp();
  const json = path.join(t.dir, 'report.json');
  const html = path.join(t.dir, 'report.html');
  await t.run('--model', t.model, '--data', t.data, '--lines', '50', '--report', json);
  await t.run('--model', t.model, '--data', t.data, '--lines', '50', '--report', html);
  assert.equal(JSON.parse(await readFile(json, 'utf8')).counts.valid, 50);
  assert.match(await readFile(html, 'utf8'), /^<!DOCTYPE html>[\s\S]*<svg /);
});

test('a --report with another extension is refused before generating', async () => {
  const t = await setUp();
  await assert.rejects(
    t.run('--model', t.model, '--data', t.data, '--report', path.join(t.dir, 'report.txt')),
    (e: unknown) => e instanceof UsageError && /--report .*\.json or \.html.*\.txt/.test(e.message),
  );
  await assert.rejects(
    t.run('--model', t.model, '--data', t.data, '--report', path.join(t.dir, 'missing-dir', 'r.json')),
    (e: unknown) => e instanceof UsageError && /--report .*does not exist/.test(e.message),
  );
  assert.deepEqual(t.requests, []);
});

test('bad flag values are usage errors naming the flag', async () => {
  const t = await setUp();
  const cases: [string[], RegExp][] = [
    [['--data', t.data, '--lines', '0'], /--lines/],
    [['--data', t.data, '--lines', '2.5'], /--lines/],
    [['--data', t.data, '--temperature', '-1'], /--temperature/],
    [['--data', t.data, '--random-seed', 'abc'], /--random-seed/],
    [['--data', t.data, '--backend', 'gpu'], /--backend/],
    [['--lines', '10'], /--data/],
  ];
  for (const [args, flag] of cases) {
    await assert.rejects(t.run('--model', t.model, ...args), (e: unknown) => e instanceof CommanderError && flag.test(e.message), args.join(' '));
  }
  assert.deepEqual(t.requests, []);
});
