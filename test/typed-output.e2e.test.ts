import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { generate, type SynthRecord } from '../src/index.js';
import { formatDelimitedRow } from '../src/output/delimitedRow.js';
import { repoRoot, runCli } from './helpers/runCli.js';

const RUN = ['generate', '--lines', '60', '--random-seed', '11', '-q'];

describe('typed values in jsonl; csv and text keep the texts as generated', () => {
  test('jsonl: age is a JSON integer, monthly_spend a JSON number, signup_date an ISO date, a blank company null', async () => {
    const r = await runCli([...RUN, '--format', 'jsonl']);
    assert.equal(r.status, 0, r.stderr);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(rows.length, 60);
    for (const row of rows) {
      assert.ok(Number.isInteger(row.age), `age ${JSON.stringify(row.age)}`);
      assert.equal(typeof row.monthly_spend, 'number');
      assert.match(row.signup_date as string, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(row.company === null || (typeof row.company === 'string' && row.company !== ''), `company ${JSON.stringify(row.company)}`);
    }
    assert.ok(rows.some((row) => row.company === null));
    assert.ok(rows.some((row) => !Number.isInteger(row.monthly_spend)), 'some spend has cents');
  });

  test('csv and text hold exactly the fields\' texts: header plus one CSV row of the raw fields per record', async () => {
    const records: SynthRecord[] = [];
    for await (const record of generate({ lines: 60, randomSeed: 11, workers: 1 })) records.push(record);
    const rows = records.map((record) => formatDelimitedRow(record.raw, ',') + '\n').join('');
    const [csv, text] = await Promise.all([runCli([...RUN, '--format', 'csv']), runCli([...RUN, '--format', 'text'])]);
    assert.equal(text.stdout, rows);
    assert.equal(csv.stdout, 'customer_id,first_name,last_name,email,age,city,country,company,signup_date,plan,monthly_spend\n' + rows);
    const parsed = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    assert.ok(parsed.some((row) => row.company === '' && row.monthly_spend!.endsWith('0')), 'blanks stay empty and 12.50 keeps its zero');
  });

  test('a model from before schemas (version 1) keeps every jsonl value a string, blanks as ""', async () => {
    const r = await runCli(['generate', '--model', path.join(repoRoot, 'test/fixtures-v1-model'), '--lines', '20', '--random-seed', '2', '--format', 'jsonl', '-q']);
    assert.equal(r.status, 0, r.stderr);
    const values = r.stdout.trimEnd().split('\n').flatMap((l) => Object.values(JSON.parse(l) as Record<string, unknown>));
    assert.ok(values.every((v) => typeof v === 'string'));
    assert.ok(values.includes(''));
  });
});

describe('--format sql flags', () => {
  test('misused flags are usage errors (exit 2) with one line naming the flag and the fix', async () => {
    const cases: [string[], RegExp][] = [
      [['--format', 'csv', '--table', 'customers'], /^synth: error: --table applies only to --format sql \(or -o FILE\.sql\); drop it or add --format sql\n$/],
      [['--no-create'], /^synth: error: --no-create applies only to --format sql/],
      [['--format', 'sql', '--table', 'my table'], /^synth: error: --table "my table" is not a plain table name; use letters, digits and _/],
      [['--format', 'sql', '--no-validate'], /^synth: error: --format sql cannot take --no-validate: .*; drop --no-validate\n$/],
      [['--format', 'jsonl', '-o', 'out.sql'], /^synth: error: --format jsonl contradicts -o\/--output out\.sql, whose extension means sql/],
    ];
    for (const [flags, message] of cases) {
      const r = await runCli(['generate', '--lines', '2', ...flags]);
      assert.equal(r.status, 2, flags.join(' '));
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
  });
});
