import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertOneLineError } from './helpers/cliAssertions.js';
import { inBatches } from './helpers/cliProcess.js';
import { writeRandomModel } from './helpers/randomModel.js';
import { runCli } from './helpers/runCli.js';

/** The bundled model (the CLI's default): customer_id is a key; age a closed set of numbers; plan a set. */
const generate = (...args: string[]) => runCli(['generate', '--random-seed', '1', ...args]);

describe('synth generate --where and --seed-file with a header: usage errors (exit 2, one line)', () => {
  let work: string;
  const file = (name: string) => path.join(work, name);
  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'synth-where-'));
    await writeFile(file('short-row.csv'), 'country,plan\nJapan,pro\nCanada\n');
    await writeFile(file('bad-value.csv'), 'country,plan\nJapan,pro\nJapn,basic\n');
    await writeFile(file('typo-header.csv'), 'country,plann\nJapan,pro\n');
    await writeFile(file('no-rows.csv'), 'country,plan\n');
    await writeFile(file('three.csv'), 'country,plan\nJapan,enterprise\n"Canada",\n,pro\n');
    await writeFile(file('key.csv'), 'customer_id,plan\nC00001,pro\n');
    await writeFile(file('open-quote.csv'), 'country,plan\nJapan,"pro\n');
    await writeFile(file('rows.csv'), 'field1,field2\nalice,42\n');
  });
  after(() => rm(work, { recursive: true, force: true }));

  test('each bad condition is refused before generating, naming the flag, the field and what it takes', async () => {
    const cases: [string[], ...RegExp[]][] = [
      [['--where', 'contry=Japan'], /--where "contry=Japan": the model has no field "contry"; its fields are customer_id, first_name, last_name, email, age, city, country,/],
      [['--where', 'country=Japn'], /country has no value "Japn"; country takes one of 9 values: "United States", "Canada", "Japan",/],
      [['--where', 'age=90..99'], /no value of age is within 90\.\.99; age takes 62 values from 18 to 79/],
      [['--where', 'age=39..30'], /its low end is above its high end/],
      [['--where', 'plan=a..b'], /a range needs a number or date field, but plan is a set of text values/],
      [['--where', 'signup_date=2025-01-01..'], /no value of signup_date is within 2025-01-01\.\.; signup_date takes dates \(YYYY-MM-DD\) from 2019-01-01 to 2024-12-31/],
      [['--where', 'signup_date=2024-02-30'], /signup_date 2024-02-30 is not a calendar date/],
      [['--where', 'monthly_spend=5000'], /monthly_spend 5000 has 0 decimal places/],
      [['--where', 'monthly_spend=2000.00..'], /monthly_spend takes numbers from 0 to 1988\.6/],
      [['--where', 'customer_id=C01001'], /"customer_id" is a key column/],
      [['--where', 'age=30..', '--where', 'age=..39'], /--where "age=30\.\." and --where "age=\.\.39" are both on "age"; combine them/],
      [['--where', 'plan'], /--where "plan": no "=" between the field and its value/],
      [['--seed-file', 'short-row.csv'], /--seed-file short-row\.csv line 3 has 1 cells but the header has 2 \(country,plan\)/],
      [['--seed-file', 'open-quote.csv'], /--seed-file open-quote\.csv line 2 is not valid CSV under its header \(Quote Not Closed/],
      [['--seed-file', 'bad-value.csv'], /--seed-file bad-value\.csv line 3: country has no value "Japn"/],
      [['--seed-file', 'typo-header.csv'], /line 1 names columns \(country\) but also "plann", which the model does not have/],
      [['--seed-file', 'no-rows.csv'], /has a header \(country,plan\) but no rows/],
      [['--seed-file', 'three.csv', '--lines', '4'], /--lines 4 does not match the 3 seed rows; each row gives one record, so omit --lines/],
      [['--seed-file', 'three.csv', '--where', 'country=Japan'], /--seed-file three\.csv line 3: country "Canada" does not meet --where "country=Japan"/],
      [['--seed-file', 'key.csv'], /--seed-file key\.csv line 2: "customer_id" is a key column/],
    ];
    const results = await inBatches(
      cases.map(([args]) => () => runCli(['generate', '--random-seed', '1', '-o', 'out.csv', ...args], { cwd: work })),
      2,
    );
    results.forEach((result, i) => {
      const [args, ...patterns] = cases[i]!;
      assert.ok(result.status === 2, `${args.join(' ')}: ${result.stderr}`);
      assertOneLineError(result, 2, ...patterns);
    });
    assert.equal(existsSync(file('out.csv')), false, 'no output file is made by a run refused at its start');
  });

  test('a text model, and a model without a schema, refuse conditions', async () => {
    const text = await writeRandomModel({ delimited: false, records: [['hello there'], ['general kenobi']] });
    const noSchema = await writeRandomModel();
    try {
      const [onText, onOld, seedOnOld] = await Promise.all([
        generate('--model', text, '--where', 'text=hello'),
        generate('--model', noSchema, '--where', 'field1=alice'),
        runCli(['generate', '--model', noSchema, '--seed-file', 'rows.csv'], { cwd: work }),
      ]);
      assertOneLineError(onText, 2, /--where "text=hello": conditions need a delimited model with a field schema, and .* is a text model/, /use --seed for a start string/);
      assertOneLineError(onOld, 2, /conditions need a delimited model with a field schema, and .* was trained before synth kept one; retrain it/);
      assertOneLineError(seedOnOld, 2, /--seed-file rows\.csv line 2: conditions need a delimited model with a field schema/);
    } finally {
      await rm(path.dirname(text), { recursive: true, force: true });
      await rm(path.dirname(noSchema), { recursive: true, force: true });
    }
  });
});

describe('synth generate accepts well-formed conditions', () => {
  test('--where in every form passes its checks and the run writes its records', async () => {
    const result = await generate(
      '--lines', '2',
      // Conditions are met exactly (records the model writes, kept when they meet them), so
      // together they must still be met by a fair share of the model's records.
      '--where', 'country=United States',
      '--where', 'plan=free|basic|pro',
      '--where', 'age=20..69',
      '--where', 'signup_date=2019-01-01..2024-06-30',
      '--where', 'company=Smith, Jones & Co|Umbrella, Inc.|Acme Corp|Globex',
      '--where', 'monthly_spend=..500',
    );
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim().split('\n').length, 2);
  });

  test('a --seed-file without a header row keeps its meaning: one start string per line', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'synth-where-'));
    try {
      await writeFile(path.join(work, 'starts.txt'), 'C01001,Mary\nC01002,Yuki\n');
      const result = await runCli(['generate', '--random-seed', '1', '--seed-file', 'starts.txt'], { cwd: work });
      assert.equal(result.status, 0, result.stderr);
      const lines = result.stdout.trim().split('\n');
      assert.equal(lines.length, 2);
      assert.match(lines[0]!, /^C\d{5},Mary,/);
      assert.match(lines[1]!, /^C\d{5},Yuki,/);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
