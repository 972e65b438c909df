import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { recordProblem } from '../src/schema/checkField.js';
import type { RecordSchema } from '../src/schema/schema.js';
import { writeRandomModel } from './helpers/randomModel.js';
import { repoRoot, runCli } from './helpers/runCli.js';
import { tempDirectory } from './helpers/tempDirectory.js';

const HEADER = ['id', 'plan', 'day', 'spend', 'note'];
/** 60 rows: integer, closed set, date, decimal, free text. */
const RECORDS = Array.from({ length: 60 }, (_, i) => [
  String(100 + i),
  ['free', 'basic', 'pro', 'enterprise'][i % 4]!,
  `2021-0${(i % 3) + 1}-${String((i % 28) + 1).padStart(2, '0')}`,
  (i * 1.37).toFixed(2),
  `note ${i}${'xy'.repeat(i % 3)}`,
]);

let modelDir: string;
let charsModelDir: string;
let work: string;
let schema: RecordSchema;

before(async () => {
  work = await tempDirectory('synth-schema-e2e-');
  modelDir = await writeRandomModel({ records: RECORDS, header: HEADER, maxChars: 60, seed: 5, schema: { valueTokens: true } });
  charsModelDir = await writeRandomModel({ records: RECORDS, header: HEADER, maxChars: 80, seed: 6, schema: { valueTokens: false } });
  schema = (JSON.parse(await readFile(path.join(modelDir, 'synth.json'), 'utf8')) as { schema: RecordSchema }).schema;
});

const generate = (dir: string, ...flags: string[]) => runCli(['generate', '--model', dir, '--random-seed', '77', '--format', 'csv', ...flags]);
const rowsOf = (stdout: string) => (parse(stdout) as string[][]).slice(1);

describe('constrained sampling through the CLI', () => {
  test('masked output is byte-identical for batch 1, 7, 64 and workers 1, 2, 3, and every record fits the schema', async () => {
    const runs = [
      ['--batch-size', '1', '--workers', '1'],
      ['--batch-size', '7', '--workers', '1'],
      ['--batch-size', '64', '--workers', '1'],
      ['--batch-size', '7', '--workers', '2'],
      ['--batch-size', '64', '--workers', '3'],
    ];
    const outputs: string[] = [];
    for (const flags of runs) {
      const r = await generate(modelDir, '--lines', '120', '--backend', 'onnx', '--max-invalid', '0', ...flags);
      assert.equal(r.status, 0, r.stderr);
      outputs.push(r.stdout);
    }
    for (const out of outputs.slice(1)) assert.equal(out, outputs[0]);
    const rows = rowsOf(outputs[0]!);
    assert.equal(rows.length, 120);
    // A random model unconstrained writes garbage; with masks every record passes the strict check.
    for (const row of rows) assert.equal(recordProblem(schema, row, true), null, row.join(','));
  });

  test('the JS sampler (wasm backend) masks too: no record rejected, on a model without value tokens', async () => {
    const r = await generate(charsModelDir, '--lines', '60', '--backend', 'wasm', '--workers', '1', '--max-invalid', '0');
    assert.equal(r.status, 0, r.stderr);
    for (const row of rowsOf(r.stdout)) assert.equal(recordProblem(schema, row, true), null, row.join(','));
  });

  test('--schema off samples unconstrained: the same random model then breaks the schema', async () => {
    const r = await generate(charsModelDir, '--lines', '60', '--backend', 'onnx', '--workers', '1', '--schema', 'off', '--no-validate');
    assert.equal(r.status, 0, r.stderr);
    const broken = (parse(r.stdout, { relax_column_count: true }) as string[][]).slice(1).filter((row) => row.length !== HEADER.length || recordProblem(schema, row, true) !== null);
    assert.ok(broken.length > 30, `only ${broken.length} of 60 unconstrained records break the schema`);
  });

  test('--schema-file narrows a closed set without retraining', async () => {
    const edited = structuredClone(schema);
    edited.fields[1]!.values = ['pro'];
    const file = path.join(work, 'pro-only.json');
    await writeFile(file, JSON.stringify(edited));
    const r = await generate(modelDir, '--lines', '40', '--schema-file', file, '--max-invalid', '0', '--workers', '1');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual([...new Set(rowsOf(r.stdout).map((row) => row[1]))], ['pro']);
  });

  test('--schema-file problems are usage errors naming the file and field', async () => {
    const edited = structuredClone(schema);
    edited.fields[1]!.values = ['pro', 'platinum'];
    const file = path.join(work, 'bad.json');
    await writeFile(file, JSON.stringify(edited));
    let r = await generate(modelDir, '--lines', '1', '--schema-file', file);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--schema-file .*bad\.json: fields\[1\] \("plan"\)\.values: "platinum" has no token in this model/);
    await writeFile(file, '{ not json');
    r = await generate(modelDir, '--lines', '1', '--schema-file', file);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /bad\.json: is not valid JSON/);
    const wrongKind = structuredClone(schema);
    (wrongKind.fields[2] as { format: string }).format = 'YY-MM';
    await writeFile(file, JSON.stringify(wrongKind));
    r = await generate(modelDir, '--lines', '1', '--schema-file', file);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /fields\[2\] \("day"\)\.format: "YY-MM" is not a date format synth knows/);
  });

  test('a start string the schema does not allow is sampled unconstrained and rejected with the reason in --invalid-output', async () => {
    const invalidFile = path.join(work, 'invalid.jsonl');
    // "note" is not an integer, so the record leaves the schema at once and the rest is unconstrained.
    const r = await generate(charsModelDir, '--lines', '1', '--seed', 'note,pro,2021-01-01,1.00,', '--max-invalid', '300', '--invalid-output', invalidFile, '--workers', '1');
    assert.ok(r.status === 0 || r.status === 4, r.stderr);
    const reasons = (await readFile(invalidFile, 'utf8')).trim().split('\n').map((line) => (JSON.parse(line) as { reason: string }).reason);
    assert.ok(reasons.includes('field "id": "note" is not an integer'), reasons.slice(0, 5).join(' | '));
  });

  test('a start string that spells part of a value-token field is refused with the values', async () => {
    const r = await generate(modelDir, '--lines', '1', '--seed', '100,pr');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /field "plan" is "pr", but the model writes that field as one of its values \(free, basic, pro, enterprise\)/);
  });
});

describe('old models and inspect', () => {
  // The bundled model as it was before schemas (format 1), kept as a fixture of an old model.
  const oldModel = path.join(repoRoot, 'test', 'fixtures-v1-model');

  test('a format-1 model (no schema) loads and generates as before under the default --schema', async () => {
    const strict = await runCli(['generate', '--model', oldModel, '--lines', '30', '--random-seed', '5', '--workers', '1']);
    const off = await runCli(['generate', '--model', oldModel, '--lines', '30', '--random-seed', '5', '--workers', '1', '--schema', 'off']);
    assert.equal(strict.status, 0, strict.stderr);
    assert.equal(strict.stdout, off.stdout);
    assert.equal(strict.stdout.trim().split('\n').length, 30);
  });

  test('synth inspect --json gives the schema of a new model and null for a format-1 model', async () => {
    const r = await runCli(['inspect', modelDir, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const facts = JSON.parse(r.stdout) as { version: number; schema: RecordSchema; vocabulary: { valueTokens: number } };
    assert.equal(facts.version, 2);
    assert.deepEqual(facts.schema.fields.map((f) => f.kind), ['integer', 'set', 'date', 'decimal', 'text']);
    assert.equal(facts.vocabulary.valueTokens, 4);
    const old = await runCli(['inspect', oldModel, '--json']);
    assert.equal(old.status, 0, old.stderr);
    assert.equal((JSON.parse(old.stdout) as { schema: unknown; version: number }).schema, null);
    const human = await runCli(['inspect', modelDir]);
    assert.match(human.stdout, /plan\s+set\s+0\.0%\s+yes\s+4 values: "free", "basic", "pro", "enterprise" \(value tokens\)/);
  });

  test('synth train stores the schema; --no-value-tokens and --closed-set-max change the tokens', async () => {
    const data = path.join(work, 'train.csv');
    await writeFile(data, [HEADER.join(','), ...RECORDS.map((r) => r.join(','))].join('\n'));
    const small = ['train', '--input', data, '--epochs', '1', '--embedding-dim', '4', '--lstm-units', '4', '--no-score', '-q', '--random-seed', '1'];
    const withTokens = path.join(work, 'm1');
    const noTokens = path.join(work, 'm2');
    let r = await runCli([...small, '--out', withTokens]);
    assert.equal(r.status, 0, r.stderr);
    r = await runCli([...small, '--out', noTokens, '--no-value-tokens', '--closed-set-max', '3']);
    assert.equal(r.status, 0, r.stderr);
    const one = JSON.parse(await readFile(path.join(withTokens, 'synth.json'), 'utf8'));
    const two = JSON.parse(await readFile(path.join(noTokens, 'synth.json'), 'utf8'));
    assert.equal(one.tokenizer.valueTokens.length, 4);
    assert.equal(one.schema.fields[1].kind, 'set');
    assert.equal(two.tokenizer.valueTokens, undefined);
    assert.equal(two.schema.fields[1].kind, 'text'); // 4 values > --closed-set-max 3
    assert.equal(two.schema.closedSetMaxValues, 3);
    // With plan a set, only the last field is free text: the table's order. With plan free text
    // (and id a key, learned blank), day and spend would follow invented text: they move to the front.
    assert.equal(one.tokenizer.fieldOrder, undefined);
    assert.deepEqual(two.tokenizer.fieldOrder, [2, 3, 0, 1, 4]);
    assert.equal(two.training.settings.fieldOrder, 'auto');
    const original = path.join(work, 'm3');
    r = await runCli([...small, '--out', original, '--closed-set-max', '3', '--field-order', 'original']);
    assert.equal(r.status, 0, r.stderr);
    const three = JSON.parse(await readFile(path.join(original, 'synth.json'), 'utf8'));
    assert.equal(three.tokenizer.fieldOrder, undefined);
    assert.equal(three.training.settings.fieldOrder, 'original');
  });
});

describe('a model that writes free text last (field order)', () => {
  // note (text), plan (set), day (date): the model writes plan, day, note.
  const header = ['note', 'plan', 'day'];
  const records = RECORDS.map((r) => [r[4]!, r[1]!, r[2]!]);
  let dir: string;
  let reordered: RecordSchema;
  before(async () => {
    dir = await writeRandomModel({ records, header, maxChars: 60, seed: 8, schema: { valueTokens: true, fieldOrder: 'auto' } });
    const manifest = JSON.parse(await readFile(path.join(dir, 'synth.json'), 'utf8')) as { schema: RecordSchema; tokenizer: { fieldOrder?: number[] } };
    assert.deepEqual(manifest.tokenizer.fieldOrder, [1, 2, 0]);
    reordered = manifest.schema;
  });

  test('records come out in the table order, fit the schema, and are the same for any batch size and worker count', async () => {
    const outputs: string[] = [];
    for (const flags of [['--batch-size', '1', '--workers', '1'], ['--batch-size', '64', '--workers', '2']]) {
      const r = await generate(dir, '--lines', '80', '--max-invalid', '0', ...flags);
      assert.equal(r.status, 0, r.stderr);
      outputs.push(r.stdout);
    }
    assert.equal(outputs[1], outputs[0]);
    const [head, ...rows] = parse(outputs[0]!) as string[][];
    assert.deepEqual(head, header);
    assert.equal(rows.length, 80);
    for (const row of rows) assert.equal(recordProblem(reordered, row, true), null, row.join(','));
  });

  test('a start string still fixes the leading fields of the table order, even those the model writes last', async () => {
    let r = await generate(dir, '--lines', '30', '--seed', 'note 7xy,pro,', '--max-invalid', '0');
    assert.equal(r.status, 0, r.stderr);
    let rows = rowsOf(r.stdout);
    assert.equal(rows.length, 30);
    for (const row of rows) assert.deepEqual(row.slice(0, 2), ['note 7xy', 'pro']);
    // An open last field is continued by the model.
    r = await generate(dir, '--lines', '30', '--seed', 'note 1', '--max-invalid', '0');
    assert.equal(r.status, 0, r.stderr);
    rows = rowsOf(r.stdout);
    assert.equal(rows.length, 30);
    for (const row of rows) assert.ok(row[0]!.startsWith('note 1'), row.join(','));
    assert.ok(new Set(rows.map((row) => row[0])).size > 1, 'the model continued the open field in more than one way');
  });

  test('synth inspect names the order the model writes in', async () => {
    const r = await runCli(['inspect', dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /field order: the model writes plan, day, note/);
    const json = await runCli(['inspect', dir, '--json']);
    assert.deepEqual(JSON.parse(json.stdout).fieldOrder, ['plan', 'day', 'note']);
  });
});
