import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BudgetError, ExitStatus, generate, loadModel, ModelError, train, UsageError, type SynthRecord } from '../src/index.js';
import { runCli } from './helpers/runCli.js';
import { writeRandomModel } from './helpers/randomModel.js';

const collect = async (records: AsyncIterable<SynthRecord>): Promise<SynthRecord[]> => {
  const out: SynthRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
};

describe('the API (src/index.ts)', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'synth-api-'));
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  test('generate yields the records the CLI prints for the same options, as text and fields', async () => {
    const records = await collect(generate({ lines: 12, randomSeed: 21, workers: 1, batchSize: 8 }));
    const cli = await runCli(['generate', '--lines', '12', '--random-seed', '21', '--workers', '2', '-q']);
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(records.map((r) => r.text), cli.stdout.trimEnd().split('\n'));
    const { manifest } = await loadModel();
    assert.equal(manifest.records.kind, 'delimited');
    for (const r of records) assert.equal(r.raw.length, manifest.records.kind === 'delimited' ? manifest.records.header.length : 1);
  });

  test('fields are typed and keyed by column name, as jsonl writes them; raw keeps the texts by position', async () => {
    const records = await collect(generate({ lines: 40, randomSeed: 5, workers: 1 }));
    const cli = await runCli(['generate', '--lines', '40', '--random-seed', '5', '--format', 'jsonl', '-q']);
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(records.map((r) => r.fields), cli.stdout.trimEnd().split('\n').map((line) => JSON.parse(line)));
    const { manifest } = await loadModel();
    const header = manifest.records.kind === 'delimited' ? manifest.records.header : [];
    for (const r of records) {
      assert.ok(Number.isInteger(r.fields.age), `age ${r.fields.age}`);
      assert.equal(typeof r.fields.monthly_spend, 'number');
      assert.equal(r.fields.age, Number(r.raw[header.indexOf('age')]));
      assert.equal(r.fields.company, r.raw[header.indexOf('company')] === '' ? null : r.raw[header.indexOf('company')]);
    }
    assert.ok(records.some((r) => r.fields.company === null), 'a blank company is null');
  });

  test('a text model\'s record is { text } with its text as a string', async () => {
    const model = await writeRandomModel({ records: [['12'], ['7']], delimited: false, schema: { valueTokens: false } });
    const records = await collect(generate({ model, lines: 5, randomSeed: 3, workers: 1, validate: false }));
    for (const r of records) {
      assert.deepEqual(Object.keys(r.fields), ['text']);
      assert.equal(r.fields.text, r.text);
      assert.deepEqual(r.raw, [r.text]);
    }
  });

  test('stats are complete after the loop; several start strings give one record each, in order', async () => {
    const stream = generate({ seeds: ['C09001,Mary,', 'C09002,Mark,'], randomSeed: 4 });
    const records = await collect(stream);
    // customer_id is the bundled model's key: a seeded id is replaced by the run's fresh keys, in order.
    assert.deepEqual(records.map((r) => r.raw.slice(0, 2)), [['C03001', 'Mary'], ['C03002', 'Mark']]);
    assert.equal(stream.stats()?.valid, 2);
  });

  test('an AbortSignal stops the run before the next record, rejecting with its reason', async () => {
    const controller = new AbortController();
    const seen: SynthRecord[] = [];
    await assert.rejects(
      (async () => {
        for await (const r of generate({ lines: 100_000, randomSeed: 1, workers: 1, signal: controller.signal })) {
          seen.push(r);
          if (seen.length === 5) controller.abort('SIGTERM');
        }
      })(),
      (e: unknown) => e === 'SIGTERM',
    );
    assert.equal(seen.length, 5);
  });

  test('errors are typed: usage, model, budget', async () => {
    await assert.rejects(collect(generate({ lines: 0 })), UsageError);
    await assert.rejects(collect(generate({ shard: '3/2' })), UsageError);
    await assert.rejects(collect(generate({ model: path.join(work, 'missing') })), ModelError);
    const invalid: string[] = [];
    await assert.rejects(
      collect(generate({ lines: 5, randomSeed: 2, match: '^never$', maxInvalid: '20%', onInvalid: (_r, reason) => void invalid.push(reason) })),
      (e: unknown) => e instanceof BudgetError && e.exitStatus === ExitStatus.budget && /more than maxInvalid 1 \(20% of lines 5\)/.test(e.message),
    );
    assert.equal(invalid.length, 2, 'each rejected record is reported before the budget stops the run');
  });

  test('train writes a model directory that generate can read', async () => {
    const input = path.join(work, 'colors.txt');
    await (await import('node:fs/promises')).writeFile(input, Array.from({ length: 60 }, (_, i) => ['red', 'green', 'blue'][i % 3]).join('\n'));
    const out = path.join(work, 'model');
    const result = await train({ input, out, embeddingDim: 8, lstmUnits: [16], epochs: 2, sequenceLength: 10, batchSize: 8, randomSeed: 1, backend: 'wasm' });
    assert.equal(result.dir, out);
    assert.ok(JSON.parse(await readFile(path.join(out, 'synth.json'), 'utf8')));
    const records = await collect(generate({ model: out, lines: 3, randomSeed: 1, validate: false }));
    assert.equal(records.length, 3);
  });
});
