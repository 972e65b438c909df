import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertOneLineError } from './helpers/cliAssertions.js';
import { runCli } from './helpers/runCli.js';

const HEADER = ['account', 'plan', 'region'];
const TRAINING_ROWS = 300;
/** account K0001..K0300 (a key), a plan and a region (closed sets). */
const RECORDS = Array.from({ length: TRAINING_ROWS }, (_, i) => [`K${String(i + 1).padStart(4, '0')}`, ['free', 'basic', 'pro'][i % 3]!, ['north', 'south'][(i * 7) % 2]!]);
const TRAINING_IDS = new Set(RECORDS.map((r) => r[0]!));

let work = '';
let modelDir = '';

/** The first column of CSV output without its header. */
function ids(csv: string): string[] {
  return csv.trim().split('\n').slice(1).map((line) => line.split(',')[0]!);
}

async function inspectJson(dir: string): Promise<{ schema: { fields: { name: string; key?: Record<string, unknown> }[] } }> {
  const r = await runCli(['inspect', dir, '--json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

async function schemaFileWith(name: string, edit: (key: Record<string, unknown> | undefined, facts: Awaited<ReturnType<typeof inspectJson>>) => void, dir = modelDir): Promise<string> {
  const facts = await inspectJson(dir);
  edit(facts.schema.fields[0]!.key, facts);
  const file = path.join(work, name);
  await writeFile(file, JSON.stringify(facts));
  return file;
}

before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'synth-keys-'));
  const data = path.join(work, 'accounts.csv');
  await writeFile(data, [HEADER.join(','), ...RECORDS.map((r) => r.join(','))].join('\n') + '\n');
  modelDir = path.join(work, 'model');
  const r = await runCli(['train', '--input', data, '--out', modelDir, '--epochs', '2', '--embedding-dim', '8', '--lstm-units', '16', '--no-score', '-q', '--random-seed', '1']);
  assert.equal(r.status, 0, r.stderr);
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('key columns end to end', () => {
  test('training stores the key and learns the field as blank; inspect shows both', async () => {
    const manifest = JSON.parse(await readFile(path.join(modelDir, 'synth.json'), 'utf8'));
    assert.deepEqual(manifest.schema.fields[0].key, { format: 'sequence', prefix: 'K', digits: 4, suffix: '', start: 301 });
    assert.deepEqual(manifest.tokenizer.blankFields, [0]);
    const human = await runCli(['inspect', modelDir]);
    assert.match(human.stdout, /^key: account — "K" \+ 4 digits, fresh from K0301; .*the model learned it as blank/m);
    const facts = await inspectJson(modelDir);
    assert.deepEqual((facts as unknown as { blankFields: string[] }).blankFields, ['account']);
  });

  test('generated keys are unique, follow the format, and none is a training value', async () => {
    const r = await runCli(['generate', '--model', modelDir, '--lines', '400', '--random-seed', '4', '--format', 'csv', '-q']);
    assert.equal(r.status, 0, r.stderr);
    const keys = ids(r.stdout);
    assert.equal(keys.length, 400);
    assert.equal(new Set(keys).size, 400);
    assert.ok(keys.every((k) => /^K\d{4}$/.test(k)), keys.find((k) => !/^K\d{4}$/.test(k)));
    assert.equal(keys.filter((k) => TRAINING_IDS.has(k)).length, 0);
    assert.equal(keys[0], 'K0301');
  });

  test('three shards together are unique: each takes the numbers of its records in the whole run', async () => {
    const parts = await Promise.all([1, 2, 3].map((i) => runCli(['generate', '--model', modelDir, '--lines', '400', '--random-seed', '4', '--format', 'csv', '--shard', `${i}/3`, '-q'])));
    parts.forEach((p, i) => assert.equal(p.status, 0, `shard ${i + 1}: ${p.stderr}`));
    const keys = parts.flatMap((p) => ids(p.stdout));
    assert.equal(keys.length, 400);
    assert.deepEqual([...keys].sort(), Array.from({ length: 400 }, (_, i) => `K${String(301 + i).padStart(4, '0')}`));
  });

  test('--key-offset N starts after the first N fresh values, so a second run can add rows to the same table', async () => {
    const first = await runCli(['generate', '--model', modelDir, '--lines', '50', '--random-seed', '4', '--format', 'csv', '-q']);
    const second = await runCli(['generate', '--model', modelDir, '--lines', '50', '--random-seed', '5', '--format', 'csv', '--key-offset', '50', '-q']);
    assert.equal(second.status, 0, second.stderr);
    const keys = [...ids(first.stdout), ...ids(second.stdout)];
    assert.deepEqual(keys, Array.from({ length: 100 }, (_, i) => `K${String(301 + i).padStart(4, '0')}`));
  });

  test('the output is the same for --workers 1 and 2 and two batch sizes', async () => {
    const runs = await Promise.all(
      [
        ['--workers', '1', '--batch-size', '64'],
        ['--workers', '2', '--batch-size', '5'],
        ['--workers', '1', '--batch-size', '3'],
      ].map((flags) => runCli(['generate', '--model', modelDir, '--lines', '150', '--random-seed', '9', '--format', 'csv', '-q', ...flags])),
    );
    runs.forEach((r) => assert.equal(r.status, 0, r.stderr));
    assert.equal(runs[1]!.stdout, runs[0]!.stdout);
    assert.equal(runs[2]!.stdout, runs[0]!.stdout);
  });

  test('the validator sees the final key, and a rejected record does not use up a number', async () => {
    const r = await runCli(['generate', '--model', modelDir, '--lines', '3', '--random-seed', '4', '--format', 'csv', '--stats', '--match', '^K030[1-3],(free|basic)']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(ids(r.stdout), ['K0301', 'K0302', 'K0303']);
    assert.match(r.stderr, /3 valid, [1-9]\d* invalid records/, 'some "pro" records were rejected on the way');
  });

  test('with several start strings, record i of the run gets key number i', async () => {
    const seeds = path.join(work, 'seeds.txt');
    await writeFile(seeds, ',pro\n,free\nK0007,basic\n');
    const r = await runCli(['generate', '--model', modelDir, '--seed-file', seeds, '--random-seed', '2', '--format', 'csv', '-q']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(ids(r.stdout), ['K0301', 'K0302', 'K0303']);
    assert.deepEqual(r.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[1]), ['pro', 'free', 'basic']);
  });

  test('a run the width cannot hold grows a digit and says so in one stderr line', async () => {
    const file = await schemaFileWith('near-full.json', (key) => (key!.start = 9990));
    const r = await runCli(['generate', '--model', modelDir, '--lines', '20', '--random-seed', '4', '--format', 'csv', '--schema-file', file]);
    assert.equal(r.status, 0, r.stderr);
    const keys = ids(r.stdout);
    assert.deepEqual([keys[0], keys[19]], ['K09990', 'K10009']);
    const notes = r.stderr.split('\n').filter((l) => /key field/.test(l));
    assert.equal(notes.length, 1, r.stderr);
    assert.match(notes[0]!, /key field "account": 4 digits hold 10 fresh values, fewer than the run's 20; its keys have 5 digits in this run/);
  });

  test('a fixed width that cannot hold the run stops it before generating (exit 2)', async () => {
    const file = await schemaFileWith('fixed.json', (key) => Object.assign(key!, { start: 9990, fixedWidth: true }));
    const r = await runCli(['generate', '--model', modelDir, '--lines', '20', '--random-seed', '4', '--schema-file', file]);
    assertOneLineError(r, 2, /--lines 20: key field "account" .* holds 10 fresh values \(K9990 to K9999\)/, /fixedWidth/);
  });

  test('a key the model learned as blank cannot be unmarked; a bad key names the field (exit 2)', async () => {
    const unmarked = await schemaFileWith('unmarked.json', (_key, facts) => delete facts.schema.fields[0]!.key);
    assertOneLineError(
      await runCli(['generate', '--model', modelDir, '--lines', '2', '--schema-file', unmarked]),
      2,
      /fields\[0\] \("account"\)\.key: this model learned the field as a key/,
      /--no-keys/,
    );
    const bad = await schemaFileWith('bad.json', (key) => (key!.format = 'serial'));
    assertOneLineError(await runCli(['generate', '--model', modelDir, '--lines', '2', '--schema-file', bad]), 2, /fields\[0\] \("account"\)\.key\.format: is "serial"/);
  });

  test('a model trained with --no-keys writes the ids itself; marking the key with --schema-file makes them fresh', async () => {
    const plain = path.join(work, 'plain');
    const data = path.join(work, 'accounts.csv');
    const t = await runCli(['train', '--input', data, '--out', plain, '--no-keys', '--epochs', '2', '--embedding-dim', '8', '--lstm-units', '16', '--no-score', '-q', '--random-seed', '1']);
    assert.equal(t.status, 0, t.stderr);
    const manifest = JSON.parse(await readFile(path.join(plain, 'synth.json'), 'utf8'));
    assert.equal(manifest.schema.fields[0].key, undefined);
    assert.equal(manifest.tokenizer.blankFields, undefined);
    const file = await schemaFileWith('marked.json', (_key, facts) => (facts.schema.fields[0]!.key = { format: 'sequence', prefix: 'K', digits: 4, suffix: '', start: 301 }), plain);
    const r = await runCli(['generate', '--model', plain, '--lines', '200', '--random-seed', '4', '--format', 'csv', '-q', '--schema-file', file]);
    assert.equal(r.status, 0, r.stderr);
    const keys = ids(r.stdout);
    assert.equal(new Set(keys).size, 200);
    assert.equal(keys.filter((k) => TRAINING_IDS.has(k)).length, 0);
  });
});
