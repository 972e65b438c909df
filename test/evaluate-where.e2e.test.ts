import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { parse } from 'csv-parse/sync';
import type { EvaluationReport } from '../src/evaluate/report.js';
import { assertOneLineError } from './helpers/cliAssertions.js';
import { inBatches } from './helpers/cliProcess.js';
import { writeRandomModel } from './helpers/randomModel.js';
import { repoRoot, runCli } from './helpers/runCli.js';

/** The bundled model (the CLI's default) and the table it was trained on. */
const customers = path.join(repoRoot, 'fixtures', 'customers.csv');

describe('synth evaluate --where', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'synth-evaluate-where-'));
  });
  after(() => rm(work, { recursive: true, force: true }));

  test('--where country=Japan scores the records against the Japanese real rows only, country left out', async () => {
    const reportPath = path.join(work, 'japan.json');
    const result = await runCli(['evaluate', '--data', customers, '--lines', '200', '--random-seed', '1', '--where', 'country=Japan', '--report', reportPath]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, '', 'the report goes to stderr and --report, never stdout');
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as EvaluationReport;

    const rows = parse(await readFile(customers, 'utf8'), { columns: true }) as Record<string, string>[];
    const japanese = rows.filter((row) => row.country === 'Japan');
    assert.ok(report.counts.heldOutRecords >= 5 && report.counts.trainingRecords >= 20);
    assert.equal(report.counts.trainingRecords + report.counts.heldOutRecords, japanese.length, 'every Japanese row, and only those, in one of the two parts');
    assert.equal(report.counts.valid, 200);

    const country = report.columns.find((c) => c.name === 'country')!;
    assert.equal(country.metric, null, 'country is left out of Column Shapes');
    assert.equal(country.distribution.kind, 'bars');
    assert.deepEqual(country.distribution.kind === 'bars' && [country.distribution.labels, country.distribution.real, country.distribution.synthetic], [['Japan'], [1], [1]], 'the real rows and the records are all Japanese');
    assert.ok(report.pairs.length > 0 && report.pairs.every((pair) => !pair.columns.includes('country')));
    assert.ok(report.textAgreement.every((pair) => !pair.columns.includes('country')));

    // Every Japanese customer lives in Tokyo: a baseline fitted on the Japanese training rows can only write Tokyo.
    assert.ok(japanese.every((row) => row.city === 'Tokyo'));
    const city = report.columns.findIndex((c) => c.name === 'city');
    const independent = report.synthesizers.find((row) => row.id === 'independentColumns')!;
    const heldOut = report.synthesizers.find((row) => row.id === 'heldOut')!;
    assert.deepEqual([independent.columnScores[city], heldOut.columnScores[city]], [1, 1]);

    assert.deepEqual([report.settings.where, report.settings.conditionPlacement], [['country=Japan'], 'exact']);
    assert.ok(report.warnings.some((w) => w.startsWith('conditioned column country: left out of Column Shapes, Pair Trends and Text Agreement')));
    assert.match(result.stderr, /^conditions {7}country=Japan; conditions met exactly \(masked in place, records kept with the model.s probability of the condition\)$/m);
    assert.match(result.stderr, /^country +left out +— +— +— +—$/m);

    const schema = JSON.parse(await readFile(path.join(repoRoot, 'docs', 'evaluation-report.v3.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    assert.ok(validate(report), JSON.stringify(validate.errors));
  });

  test('--condition-placement in-place with a range and a set is recorded, and the range column is left out too', async () => {
    const reportPath = path.join(work, 'in-place.json');
    const result = await runCli([
      'evaluate', '--data', customers, '--lines', '100', '--random-seed', '2',
      '--where', 'age=30..39', '--where', 'plan=pro|enterprise', '--condition-placement', 'in-place', '--report', reportPath,
    ]);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as EvaluationReport;
    const rows = parse(await readFile(customers, 'utf8'), { columns: true }) as Record<string, string>[];
    const meeting = rows.filter((row) => Number(row.age) >= 30 && Number(row.age) <= 39 && (row.plan === 'pro' || row.plan === 'enterprise'));
    assert.equal(report.counts.trainingRecords + report.counts.heldOutRecords, meeting.length);
    assert.deepEqual([report.settings.where, report.settings.conditionPlacement], [['age=30..39', 'plan=pro|enterprise'], 'in-place']);
    const metric = (name: string) => report.columns.find((c) => c.name === name)!.metric;
    assert.deepEqual(['age', 'plan', 'country', 'monthly_spend'].map(metric), [null, null, 'TVComplement', 'KSComplement']);
    assert.match(result.stderr, /conditioned fields forced at their own place in the model's order/);
  });

  test('refusals exit 2 with one line, before any record is generated', async () => {
    const text = await writeRandomModel({ delimited: false, records: [['hello there'], ['general kenobi']] });
    const cases: [string[], ...RegExp[]][] = [
      [['--where', 'country=Norway', '--where', 'plan=enterprise'], /^synth: error: --where "country=Norway" and --where "plan=enterprise": \d+ of 2400 training rows and \d+ of 600 held-out rows of .*customers\.csv meet them, and a report needs at least 20 and 5; widen the condition/],
      [['--where', 'contry=Japan'], /--where "contry=Japan": the model has no field "contry"; its fields are customer_id,/],
      [['--where', 'country=Japn'], /country has no value "Japn"; country takes one of 9 values/],
      [['--where', 'customer_id=C00001'], /"customer_id" is a key column/],
      [['--where', 'plan'], /--where "plan": no "=" between the field and its value/],
      [['--condition-placement', 'in-place'], /--condition-placement says where conditioned fields are written, and there is no --where; add a condition or drop it/],
      [['--condition-placement', 'sideways', '--where', 'country=Japan'], /argument 'sideways' is invalid\. Allowed choices are exact, first, in-place/],
      [['--where', 'country=Japan', '--synthetic', customers], /--where applies to records synth generates, not to --synthetic .*; drop it/],
      [['--model', text, '--where', 'text=hello'], /--where "text=hello": conditions need a delimited model with a field schema, and .* is a text model/],
    ];
    try {
      const results = await inBatches(
        cases.map(([args]) => () => runCli(['evaluate', '--data', customers, '--lines', '50', '--report', path.join(work, 'refused.json'), ...args])),
        2,
      );
      results.forEach((result, i) => assertOneLineError(result, 2, ...cases[i]!.slice(1) as RegExp[]));
      assert.equal(existsSync(path.join(work, 'refused.json')), false, 'no report is written by a refused run');
    } finally {
      await rm(path.dirname(text), { recursive: true, force: true });
    }
  });
});
