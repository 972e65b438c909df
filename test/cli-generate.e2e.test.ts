import assert from 'node:assert/strict';
import { readFile, writeFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { writeRandomModel } from './helpers/randomModel.js';
import { runCli, runShell, cliPath } from './helpers/runCli.js';
import { tempDirectory } from './helpers/tempDirectory.js';

const awkwardRecords = [
  ['Smith, "Jr"', '42', 'line one\nline two'],
  ['O\'Brien', '7', 'Portland, OR'],
  ['Zoë', '19', 'plain'],
];

let modelDir: string;
let work: string;

before(async () => {
  work = await tempDirectory('synth-e2e-');
  modelDir = await writeRandomModel({ records: awkwardRecords, header: ['name', 'age', 'city'], maxChars: 40, seed: 11 });
});

const base = () => ['generate', '--model', modelDir, '--random-seed', '1234', '--backend', 'wasm', '--workers', '1'];

describe('synth generate end to end', () => {
  test('the same random seed gives byte-identical output for batch sizes 1, 7 and 64', async () => {
    const outputs = [];
    for (const batch of ['1', '7', '64']) {
      const r = await runCli([...base(), '--lines', '40', '--no-validate', '--batch-size', batch, '--format', 'jsonl']);
      assert.equal(r.status, 0, r.stderr);
      outputs.push(r.stdout);
    }
    assert.equal(outputs[0]!.trim().split('\n').length, 40);
    assert.equal(outputs[1], outputs[0]);
    assert.equal(outputs[2], outputs[0]);
  });

  test('several start strings give one valid record each, in the given order, for any batch size', async () => {
    const seeds = ['Smith,', 'plain,4', 'Zoë,19,', "O'Brien,7,"];
    const flags = seeds.flatMap((seed) => ['--seed', seed]);
    const outputs = [];
    for (const batch of ['1', '64']) {
      // Field-count validation rejects many records of this random model, so seeds need retries.
      const r = await runCli([...base(), ...flags, '--max-invalid', '100000', '--format', 'jsonl', '--batch-size', batch]);
      assert.equal(r.status, 0, r.stderr);
      outputs.push(r.stdout);
    }
    assert.equal(outputs[1], outputs[0]);
    const records = outputs[0]!.trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    assert.equal(records.length, seeds.length);
    assert.equal(records[0]!.name, 'Smith');
    assert.equal(records[1]!.name, 'plain');
    assert.ok(records[1]!.age!.startsWith('4'));
    assert.deepEqual([records[2]!.name, records[2]!.age], ['Zoë', '19']);
    assert.deepEqual([records[3]!.name, records[3]!.age], ["O'Brien", '7']);
  });

  test('CSV output round-trips fields holding commas, quotes and newlines', async () => {
    const csvFile = path.join(work, 'roundtrip.csv');
    const csv = await runCli([...base(), '--lines', '60', '--no-validate', '-o', csvFile]);
    assert.equal(csv.status, 0, csv.stderr);
    const jsonl = await runCli([...base(), '--lines', '60', '--no-validate', '--format', 'jsonl']);
    const expected = jsonl.stdout.trim().split('\n').map((line) => Object.values(JSON.parse(line) as Record<string, string>));
    const rows = parse(await readFile(csvFile, 'utf8'), { relax_column_count: true }) as string[][];
    assert.deepEqual(rows[0], ['name', 'age', 'city']);
    // Compare only rows of the model's width: jsonl maps fields by header name, so extra fields vanish there.
    const body = rows.slice(1);
    assert.equal(body.length, 60);
    const awkward = body.flat().filter((f) => /[,"\n]/.test(f));
    assert.ok(awkward.length > 0, 'the random model should have produced some fields with commas, quotes or newlines');
    body.forEach((row, i) => {
      if (row.length === 3) assert.deepEqual(row, expected[i]);
    });
  });

  test('a validator that rejects everything ends with exit 4 and says how many were written', async () => {
    const validator = path.join(work, 'reject-all.mjs');
    await writeFile(validator, 'export default () => false;\n');
    const r = await runCli([...base(), '--lines', '10', '--validator', validator, '--max-invalid', '5']);
    assert.equal(r.status, 4, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /max-invalid/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  test('records accepted before the budget runs out are flushed to the file before exit 4', async () => {
    const validator = path.join(work, 'accept-three.mjs');
    await writeFile(validator, 'let n = 0;\nexport default () => ++n <= 3;\n');
    // A text model and a roomy length limit, so only the validator rejects records.
    const textModel = await writeRandomModel({ delimited: false, records: [['hello, "world"'], ['foo bar']], seed: 5 });
    const out = path.join(work, 'partial.csv');
    const r = await runCli(['generate', '--model', textModel, '--random-seed', '9', '--max-chars', '2000', '--lines', '10', '--validator', validator, '--max-invalid', '2', '-o', out]);
    assert.equal(r.status, 4, r.stderr);
    assert.match(r.stderr, /3 valid/);
    const rows = parse(await readFile(out, 'utf8')) as string[][];
    assert.deepEqual(rows[0], ['text']);
    assert.equal(rows.length, 1 + 3);
  });

  test('a closed stdout ends a long run quietly with status 0', async () => {
    const r = await runShell(`"${process.execPath}" "${cliPath}" generate --model "${modelDir}" --lines 100000 --no-validate --workers 1 | head -1`);
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.split('\n').length, 2);
  });

  test('bad flag values exit 2 with a message naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['--lines', '0'], /--lines/],
      [['--lines', 'ten'], /--lines/],
      [['--lines', '1.5'], /--lines/],
      [['--temperature', '-1'], /--temperature/],
      [['--temperature', 'hot'], /--temperature/],
      [['--batch-size', '0'], /--batch-size/],
      [['--max-invalid', '-3'], /--max-invalid/],
      [['--backend', 'gpu'], /--backend/],
      [['--format', 'xml'], /--format/],
      [['--no-such-flag'], /no-such-flag/],
      [['--seed', 'ÿÿÿ'], /characters the model never saw/],
      [['--seed', 'a,b,c,d'], /fields/],
    ];
    for (const [flags, pattern] of cases) {
      const r = await runCli([...base(), '--lines', '3', ...flags]);
      assert.equal(r.status, 2, `${flags.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, pattern, flags.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  test('a missing or corrupted model directory exits 3 naming the file', async () => {
    const missing = await runCli(['generate', '--model', path.join(work, 'nope'), '--lines', '1']);
    assert.equal(missing.status, 3);
    assert.match(missing.stderr, /nope/);

    const broken = await writeRandomModel({ records: awkwardRecords, seed: 3 });
    const weights = path.join(broken, 'weights.bin');
    const bytes = await readFile(weights);
    bytes[10] = bytes[10]! ^ 0xff;
    await writeFile(weights, bytes);
    const corrupt = await runCli(['generate', '--model', broken, '--lines', '1']);
    assert.equal(corrupt.status, 3);
    assert.match(corrupt.stderr, /weights\.bin/);
    assert.match(corrupt.stderr, /sha256/);

    await unlink(path.join(broken, 'synth.json'));
    const noManifest = await runCli(['generate', '--model', broken, '--lines', '1']);
    assert.equal(noManifest.status, 3);
    assert.match(noManifest.stderr, /synth\.json/);
  });
});
