import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertOneLineError } from './helpers/cliAssertions.js';
import { runSynth } from './helpers/cliProcess.js';
import { runShell } from './helpers/runCli.js';
import { copyModelDirectory } from './helpers/modelCopies.js';
import { writeRandomModel } from './helpers/randomModel.js';

// Inputs `npm run fuzz` found mishandled, each kept as the case that broke, run through the real CLI.

const HEADER = ['id', 'plan', 'day', 'spend'];
const RECORDS = Array.from({ length: 40 }, (_, i) => [String(100 + i), ['free', 'basic', 'pro'][i % 3]!, `2021-01-${String((i % 28) + 1).padStart(2, '0')}`, (i * 1.37).toFixed(2)]);

let work: string;
let model: string;

before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'synth-fuzz-found-'));
  model = await writeRandomModel({ dir: path.join(work, 'model'), records: RECORDS, header: HEADER, embeddingDim: 4, lstmUnits: [8], maxChars: 40, seed: 3, schema: { valueTokens: true } });
});

after(() => rm(work, { recursive: true, force: true }));

const generate = (...flags: string[]) =>
  runSynth(['generate', '--model', model, '--lines', '3', '--random-seed', '1', '--max-invalid', '1000', '--workers', '1', '-q', ...flags], { timeoutMs: 30_000 });

describe('JSON inputs', () => {
  test('a --schema-file saved with a UTF-8 byte-order mark is read like one without', async () => {
    const inspected = await runSynth(['inspect', model, '--json']);
    assert.equal(inspected.status, 0, inspected.stderr);
    const file = path.join(work, 'bom-schema.json');
    await writeFile(file, `\uFEFF${inspected.stdout}`);
    const result = await generate('--schema-file', file);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.split('\n').length, 4);
  });

  test('a --schema-file that is not JSON gets one line even when the parser quotes text with newlines', async (t) => {
    const file = path.join(work, 'broken-schema.json');
    await writeFile(file, '{\n  "fields": [\n    x\n  ]\n}\n');
    t.diagnostic(assertOneLineError(await generate('--schema-file', file), 2, /--schema-file .*broken-schema\.json: is not valid JSON/));
  });

  test('a synth.json that is not JSON gets one line even when the parser quotes text with newlines', async (t) => {
    const dir = await copyModelDirectory(model, work);
    const manifest = await readFile(path.join(dir, 'synth.json'), 'utf8');
    await writeFile(path.join(dir, 'synth.json'), manifest.replace(/"version": \d+/, '"version": x'));
    const result = await runSynth(['generate', '--model', dir, '--lines', '1', '--workers', '1']);
    t.diagnostic(assertOneLineError(result, 3, /synth\.json is not valid JSON/));
  });
});

describe('--seed-file', () => {
  test('a bad start string is named by the file and its line, in a shard too', async (t) => {
    const file = path.join(work, 'seeds.txt');
    await writeFile(file, '100,free\n101,pro\n102,Ω\n');
    t.diagnostic(assertOneLineError(await generate('--seed-file', file, '--lines', '3'), 2, /--seed-file .*seeds\.txt line 3 \("102,Ω"\) holds characters the model never saw/));
    assertOneLineError(await generate('--seed-file', file, '--lines', '3', '--shard', '2/2'), 2, /--seed-file .*seeds\.txt line 3 /);
  });

  test('a 10,000-character start string is shown cut short, not whole', async (t) => {
    const file = path.join(work, 'long-seed.txt');
    await writeFile(file, `${'1'.repeat(10_000)}Ω\n`);
    const line = assertOneLineError(await generate('--seed-file', file), 2, /line 1 \("1{60}"\.\.\. \(10001 characters\)\)/);
    t.diagnostic(line);
    assert.ok(line.length < 400, `${line.length} characters`);
  });
});

describe('files that never end', () => {
  for (const flag of ['--seed-file', '--schema-file']) {
    test(`${flag} naming /dev/zero is refused after its size limit, not read until memory runs out`, async (t) => {
      const started = Date.now();
      const result = await generate(flag, '/dev/zero');
      t.diagnostic(assertOneLineError(result, 2, new RegExp(`${flag} /dev/zero:? cannot be read \\(larger than \\d+ MiB\\)`)));
      t.diagnostic(`${Date.now() - started} ms`);
    });
  }
});

describe('values echoed from JSON files', () => {
  const deep = `${'['.repeat(10_000)}1${']'.repeat(10_000)}`;

  async function schemaFileWith(name: string, edit: (fields: Record<string, unknown>[]) => void, raw?: [string, string]): Promise<string> {
    const inspected = JSON.parse((await runSynth(['inspect', model, '--json'])).stdout) as { schema: { fields: Record<string, unknown>[] } };
    edit(inspected.schema.fields);
    const file = path.join(work, name);
    let text = JSON.stringify(inspected.schema);
    if (raw) text = text.replace(raw[0], raw[1]);
    await writeFile(file, text);
    return file;
  }

  test('a schema field kind nested 10,000 lists deep is refused in one line, not with a stack overflow (exit 1)', async (t) => {
    const file = await schemaFileWith('deep-schema.json', (fields) => (fields[1]!.kind = 'DEEP'), ['"DEEP"', deep]);
    t.diagnostic(assertOneLineError(await generate('--schema-file', file), 2, /fields\[1\] \("plan"\)\.kind: is a list of 1, expected one of/));
  });

  test('a 100,000-character schema value is shown cut short', async (t) => {
    const file = await schemaFileWith('long-schema.json', (fields) => (fields[1]!.kind = 'k'.repeat(100_000)));
    const line = assertOneLineError(await generate('--schema-file', file), 2, /kind: is "k{59}\.\.\. \(100002 characters\)/);
    t.diagnostic(line);
  });

  test('a synth.json whose architecture.kind is nested 10,000 lists deep is exit 3 in one line', async (t) => {
    const dir = await copyModelDirectory(model, work);
    const manifest = await readFile(path.join(dir, 'synth.json'), 'utf8');
    await writeFile(path.join(dir, 'synth.json'), manifest.replace('"char-lstm"', deep));
    const result = await runSynth(['generate', '--model', dir, '--lines', '1', '--workers', '1']);
    t.diagnostic(assertOneLineError(result, 3, /field "architecture\.kind" is a list of 1, expected "char-lstm"/));
  });
});

describe('model files', () => {
  test('a model.json holding the JSON value null is exit 3 naming it, not an internal error', async (t) => {
    const dir = await copyModelDirectory(model, work);
    await writeFile(path.join(dir, 'model.json'), 'null');
    const result = await runSynth(['generate', '--model', dir, '--lines', '1', '--workers', '1']);
    t.diagnostic(assertOneLineError(result, 3, /model\.json is not a TensorFlow\.js Layers model/));
  });
});

describe('training input', () => {
  test('--input from a pipe is refused as a pipe, not called empty (training reads its input twice)', async (t) => {
    const out = path.join(work, 'piped-model');
    const result = await runShell(`node bin/synth.js train --input <(printf 'a,b\\n1,2\\n') --out ${out} --epochs 1 --no-score`);
    t.diagnostic(assertOneLineError(result, 2, /--input \/dev\/fd\/\d+ is a pipe or a device, not a file: it is read twice, so save it to a file first/));
  });
});

describe('worker threads', () => {
  test('--workers 256 on a small machine uses at most 4 per core, says so, and writes what one worker writes', async () => {
    const many = await runSynth(['generate', '--model', model, '--lines', '3', '--random-seed', '1', '--workers', '256']);
    assert.equal(many.status, 0, many.stderr);
    assert.match(many.stderr, new RegExp(`^synth: --workers 256: using ${4 * os.availableParallelism()} worker threads \\(4 per core`, 'm'));
    const one = await runSynth(['generate', '--model', model, '--lines', '3', '--random-seed', '1', '--workers', '1', '-q']);
    assert.equal(many.stdout, one.stdout);
  });
});

describe('found in session 13', () => {
  test('a synth.json without training.settings or training.metrics generates (sql too) and inspects', async () => {
    const dir = await copyModelDirectory(model, work);
    const manifest = JSON.parse(await readFile(path.join(dir, 'synth.json'), 'utf8'));
    delete manifest.training.settings;
    delete manifest.training.metrics;
    await writeFile(path.join(dir, 'synth.json'), JSON.stringify(manifest));
    const sql = await runSynth(['generate', '--model', dir, '--lines', '2', '--random-seed', '1', '--max-invalid', '1000', '--workers', '1', '--format', 'sql', '-q']);
    assert.equal(sql.status, 0, sql.stderr);
    assert.match(sql.stdout, /CREATE TABLE IF NOT EXISTS "records"/);
    const inspected = await runSynth(['inspect', dir]);
    assert.equal(inspected.status, 0, inspected.stderr);
  });

  test('a --max-chars below the shortest record the schema allows is refused before anything is generated', async (t) => {
    const result = await runSynth(['generate', '--lines', '3', '--max-chars', '27', '--where', 'plan=enterprise', '--random-seed', '635', '--workers', '1', '-q']);
    t.diagnostic(assertOneLineError(result, 2, /^synth: error: --max-chars 27 is shorter than any record the model can write \(at least 31 characters/));
  });

  test('a CSV error in a 1 MB field quotes a preview of the value, not the megabyte', async (t) => {
    const input = path.join(work, 'huge-field.csv');
    await writeFile(input, `a,b\n1,2\n3,${'y'.repeat(1_000_000)}"z\n`);
    const result = await runSynth(['train', '--input', input, '--out', path.join(work, 'huge-model'), '--epochs', '1', '--no-score', '-q']);
    const line = assertOneLineError(result, 2, /--input .*huge-field\.csv line 3 is not valid CSV: .*value is "y{60}"\.\.\. \(1000000 characters\)$/m);
    assert.ok(line.length < 400, `${line.length} characters`);
    t.diagnostic(line);
  });

  test('a --seed-file read as start strings beside --where is named with its line', async (t) => {
    const file = path.join(work, 'upper-header.csv');
    await writeFile(file, 'SIGNUP_DATE,AGE\n');
    const result = await runSynth(['generate', '--seed-file', file, '--where', 'age=31', '--random-seed', '1', '--workers', '1', '-q']);
    t.diagnostic(assertOneLineError(result, 2, /--seed-file .*upper-header\.csv line 1 \("SIGNUP_DATE,AGE"\) holds characters the model never saw/));
  });

  test('a 6-row table of 1,000 columns trains without a calibration (it took ten minutes)', async () => {
    const input = path.join(work, 'wide.csv');
    const columns = Array.from({ length: 1000 }, (_, i) => `c${i}`);
    await writeFile(input, [columns.join(','), ...Array.from({ length: 5 }, (_, r) => columns.map((_, i) => String((r * 7 + i) % 10)).join(','))].join('\n'));
    const out = path.join(work, 'wide-model');
    const result = await runSynth(['train', '--input', input, '--out', out, '--embedding-dim', '4', '--lstm-units', '8', '--epochs', '1', '--sequence-length', '20', '--workers', '1', '--random-seed', '1', '--no-score'], { timeoutMs: 120_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /calibrated/);
    assert.equal(JSON.parse(await readFile(path.join(out, 'synth.json'), 'utf8')).calibration, undefined);
  });

  test('a --max-chars that cuts every record stops after the first 100, naming the flag', async (t) => {
    const result = await runSynth(['generate', '--lines', '3', '--max-chars', '35', '--random-seed', '635', '--workers', '1', '-q']);
    t.diagnostic(assertOneLineError(result, 2, /--max-chars 35 cut each of the first 100 records the model wrote before it ended; raise --max-chars \(the model's own limit is \d+\)/));
    assert.equal(result.stdout, '');
  });
});
