import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { stringify } from 'csv-stringify/sync';
import { BudgetError, ModelError, UsageError } from '../src/errors.js';
import { flagName } from '../src/cli/flagName.js';
import { evaluateModel } from '../src/evaluate/evaluate.js';
import type { JudgedCandidate } from '../src/evaluate/report.js';
import { writeRandomModel } from './helpers/randomModel.js';
import { PEOPLE_HEADER, peopleRecords } from './helpers/syntheticPeople.js';
import { tempDirectory } from './helpers/tempDirectory.js';

async function fixture(records: string[][], header = PEOPLE_HEADER) {
  const dir = await tempDirectory('synth-evaluate-');
  const dataPath = path.join(dir, 'people.csv');
  await writeFile(dataPath, stringify([header, ...records]));
  const modelDir = await writeRandomModel({ records, header, dir: path.join(dir, 'model') });
  return { dataPath, modelDir };
}

/** A stand-in generator: every third candidate invalid, valid ones drawn fresh from the real distribution. */
function fakeGenerator(requested: number[]) {
  return async function* (lines: number): AsyncGenerator<JudgedCandidate> {
    requested.push(lines);
    const records = peopleRecords(lines * 2, 9);
    let k = 0;
    for (const fields of records) {
      if (k++ % 3 === 2) yield { fields: fields.slice(0, 2), valid: false, text: fields.slice(0, 2).join(',') };
      yield { fields, valid: true, text: fields.join(',') };
    }
  };
}

test('evaluateModel reads the CSV, holds out 20 percent and scores the generated records', async () => {
  // A comma and a quote inside a field must survive the CSV parse.
  const records = peopleRecords(500, 1).map((r, i) => (i === 0 ? [r[0]!, r[1]!, 'Lima, "Peru"', r[3]!] : r));
  const { dataPath, modelDir } = await fixture(records);
  const requested: number[] = [];
  const report = await evaluateModel({ modelDir, dataPath, lines: 300, randomSeed: 4 }, fakeGenerator(requested));
  assert.deepEqual(requested, [300]);
  assert.equal(report.counts.valid, 300, 'stops at the requested valid records');
  assert.equal(report.counts.trainingRecords + report.counts.heldOutRecords, 500);
  assert.equal(report.counts.heldOutRecords, 100);
  // one invalid before every third valid candidate
  assert.equal(report.counts.invalid, 100);
  assert.equal(report.validRate, 0.75);
  assert.deepEqual(report.columns.map((f) => f.name), PEOPLE_HEADER);
  // the first record is in the training part (the plots' reference) under the fixed split seed
  const training = report.columns[2]!.distribution;
  assert.ok(training.kind === 'bars' && training.real.length > 0);
  assert.ok(report.score.value > 50 && report.score.value < 80, `score ${report.score.value}`);
  assert.equal(report.settings.randomSeed, 4);
});

test('a data file with another field count than the model is a usage error naming --data', async () => {
  const { modelDir } = await fixture(peopleRecords(20, 1));
  const dir = await tempDirectory('synth-evaluate-');
  const other = path.join(dir, 'other.csv');
  await writeFile(other, 'a,b\n1,2\n');
  await assert.rejects(
    evaluateModel({ modelDir, dataPath: other, lines: 10 }, fakeGenerator([])),
    (e: unknown) => e instanceof UsageError && /--data .*2 fields.*model has 4/.test(e.format(flagName)),
  );
  await assert.rejects(
    evaluateModel({ modelDir, dataPath: path.join(dir, 'missing.csv'), lines: 10 }, fakeGenerator([])),
    (e: unknown) => e instanceof UsageError && /--data .*missing\.csv does not exist/.test(e.format(flagName)),
  );
});

test('a missing model directory fails before anything is generated', async () => {
  const requested: number[] = [];
  await assert.rejects(evaluateModel({ modelDir: '/nonexistent/model', dataPath: 'x.csv', lines: 10 }, fakeGenerator(requested)), ModelError);
  assert.deepEqual(requested, []);
});

test('an exhausted invalid budget still gives a report, with a warning', async () => {
  const { dataPath, modelDir } = await fixture(peopleRecords(100, 1));
  const generate = async function* (): AsyncGenerator<JudgedCandidate> {
    yield { fields: peopleRecords(1, 2)[0]!, valid: true, text: '' };
    yield { fields: ['bad'], valid: false, text: 'bad' };
    throw new BudgetError('more than 1 invalid records', 1, 1);
  };
  const report = await evaluateModel({ modelDir, dataPath, lines: 50 }, generate);
  assert.equal(report.validRate, 0.5);
  assert.match(report.warnings[0]!, /stopped before 50 valid records: more than 1 invalid/);
});

test('a text model reads one record per non-empty line', async () => {
  const dir = await tempDirectory('synth-evaluate-');
  const dataPath = path.join(dir, 'lines.txt');
  const lines = Array.from({ length: 50 }, (_, i) => `line number ${i}`);
  await writeFile(dataPath, `\uFEFF${lines.join('\r\n')}\r\n\r\n`);
  const modelDir = await writeRandomModel({ records: lines.map((l) => [l]), delimited: false, dir: path.join(dir, 'model') });
  const generate = async function* (): AsyncGenerator<JudgedCandidate> {
    for (let i = 100; i < 120; i++) yield { fields: [`line number ${i}`], valid: true, text: `line number ${i}` };
  };
  const report = await evaluateModel({ modelDir, dataPath, lines: 20 }, generate);
  assert.equal(report.counts.trainingRecords + report.counts.heldOutRecords, 50);
  assert.deepEqual(report.columns.map((f) => [f.name, f.kind, f.metric]), [['record', 'shape', null]]);
  assert.equal(report.synthesizers[0]!.columnShapes, null);
  assert.equal(report.exactCopies.synthetic, 0);
  // scored by the text measures beside the character n-gram baseline, not left at 0
  assert.equal(report.recordKind, 'text');
  assert.deepEqual(report.synthesizers.map((row) => row.id), ['synthetic', 'characterNgram', 'heldOut']);
  // every generated line is two characters longer than most real ones (KS 0), n-grams close
  assert.equal(report.synthesizers[0]!.text!.recordLength.score, 0);
  assert.ok(report.synthesizers[0]!.text!.characterNgrams.score > 0.7);
  assert.ok(report.score.value > 30, `score ${report.score.value}`);
});

test('a generator that never yields a valid record is stopped at 10 x lines invalid candidates', async () => {
  const { dataPath, modelDir } = await fixture(peopleRecords(100, 1));
  let drawn = 0;
  const generate = async function* (): AsyncGenerator<JudgedCandidate> {
    for (;;) {
      drawn++;
      yield { fields: ['never'], valid: false, text: 'never' };
    }
  };
  const report = await evaluateModel({ modelDir, dataPath, lines: 200 }, generate);
  assert.equal(drawn, 2000);
  assert.equal(report.counts.invalid, 2000);
  assert.equal(report.score.value, 0);
  assert.match(report.warnings.join('\n'), /2000 invalid candidates/);
});
