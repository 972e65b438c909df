import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadModelDirectory } from '../src/model/loadModelDirectory.js';
import { assertOneLineError } from './helpers/cliAssertions.js';
import { runSynth } from './helpers/cliProcess.js';

// `synth train` on awkward input either trains a correct model or stops with exit 2 naming the
// file, the line and why; it never leaves a model directory (or a temporary one) behind on failure.

const TINY = ['--embedding-dim', '8', '--lstm-units', '8', '--epochs', '1', '--sequence-length', '10', '--batch-size', '4', '--random-seed', '1', '--backend', 'wasm', '--no-score', '-q'];

let work: string;

before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'synth-rel-train-'));
});

after(() => rm(work, { recursive: true, force: true }));

/** Writes `content` as the input file `name` and trains on it into a fresh --out. */
async function train(name: string, content: string | Uint8Array): Promise<{ input: string; out: string; result: Awaited<ReturnType<typeof runSynth>> }> {
  const dir = await mkdtemp(path.join(work, 'case-'));
  const input = path.join(dir, name);
  await writeFile(input, content);
  const out = path.join(dir, 'model');
  const result = await runSynth(['train', '--input', input, '--out', out, ...TINY], { timeoutMs: 60_000 });
  return { input, out, result };
}

/** After a refused input, the directory holds the input file only: no model, no *.tmp-* directory. */
async function assertNothingWritten(input: string): Promise<void> {
  assert.deepEqual(await readdir(path.dirname(input)), [path.basename(input)]);
}

const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const rows = (n: number, eol = '\n') => Array.from({ length: n }, (_, i) => `n${i % 7},${i % 50}`).join(eol) + eol;

describe('training input that cannot be trained on stops with exit 2 naming the line and why', () => {
  test('an empty file', async (t) => {
    const { input, result } = await train('empty.csv', '');
    t.diagnostic(assertOneLineError(result, 2, new RegExp(`--input ${esc(input)} is empty; there is nothing to train on`)));
    await assertNothingWritten(input);
  });

  test('a text file of blank lines only', async (t) => {
    const { input, result } = await train('blank.txt', '\n\r\n  \n');
    t.diagnostic(assertOneLineError(result, 2, /blank\.txt is empty/));
    await assertNothingWritten(input);
  });

  test('a CSV file with a header only', async (t) => {
    const { input, result } = await train('header.csv', 'name,age\n');
    t.diagnostic(assertOneLineError(result, 2, /header\.csv has a header row but no data rows/));
    await assertNothingWritten(input);
  });

  test('ragged CSV rows name the first bad line', async (t) => {
    const { input, result } = await train('ragged.csv', `name,age\n${rows(5)}x,1,extra\n${rows(3)}`);
    t.diagnostic(assertOneLineError(result, 2, /ragged\.csv line 7: the row has 3 fields but the header has 2/));
    await assertNothingWritten(input);
  });

  test('a line counted through a quoted field that spans lines', async (t) => {
    const { result } = await train('multiline.csv', 'name,note\na,"two\nlines"\nb\n');
    t.diagnostic(assertOneLineError(result, 2, /multiline\.csv line 4: the row has 1 fields but the header has 2/));
  });

  test('an unterminated quote', async (t) => {
    const { result } = await train('quote.csv', `name,age\n${rows(3)}"open,1\n`);
    t.diagnostic(assertOneLineError(result, 2, /quote\.csv line \d+ is not valid CSV: /));
  });

  test('invalid UTF-8 bytes', async (t) => {
    const bytes = Buffer.concat([Buffer.from(`name,age\n${rows(4)}`), Buffer.from([0x63, 0xff, 0xfe, 0x2c, 0x31, 0x0a]), Buffer.from(rows(2))]);
    const { input, result } = await train('latin1.csv', bytes);
    t.diagnostic(assertOneLineError(result, 2, /latin1\.csv line 6 holds a byte sequence that is not valid UTF-8 \(byte 0xff at byte offset \d+\); save the file as UTF-8/));
    await assertNothingWritten(input);
  });

  test('a single line larger than 1 MB', async (t) => {
    const { input, result } = await train('long.txt', `short\n${'x'.repeat(1024 * 1024 + 1)}\nshort\n`);
    t.diagnostic(assertOneLineError(result, 2, /long\.txt line 2 is 1048577 bytes long; lines over 1048576 bytes \(1 MB\) are refused/));
    await assertNothingWritten(input);
  });

  test('a binary file', async (t) => {
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) % 256));
    const { input, result } = await train('data.csv', binary);
    t.diagnostic(assertOneLineError(result, 2, /data\.csv line \d+ (holds a NUL byte, so it looks like a binary file|holds a byte sequence that is not valid UTF-8)/));
    await assertNothingWritten(input);
  });

  test('a missing input file and a directory as input', async (t) => {
    const missing = path.join(work, 'nope.csv');
    t.diagnostic(assertOneLineError(await runSynth(['train', '--input', missing, '--out', path.join(work, 'm'), ...TINY]), 2, /--input .*nope\.csv does not exist/));
    t.diagnostic(assertOneLineError(await runSynth(['train', '--input', work, '--out', path.join(work, 'm'), ...TINY]), 2, /--input .* is a directory/));
  });
});

describe('training input with a BOM or CRLF line ends trains as if they were not there', () => {
  test('a CSV file with a UTF-8 BOM and CRLF line ends', async () => {
    const { out, result } = await train('bom-crlf.csv', `\uFEFFname,age\r\n${rows(30, '\r\n')}`);
    assert.equal(result.status, 0, result.stderr);
    const { manifest } = await loadModelDirectory(out);
    assert.deepEqual(manifest.records, { kind: 'delimited', delimiter: ',', header: ['name', 'age'] });
    assert.ok(!manifest.tokenizer.vocab.includes('\r') && !manifest.tokenizer.vocab.includes('\uFEFF'), manifest.tokenizer.vocab.join(''));
    assert.equal(manifest.training.settings.records, 30);
  });

  test('a text file with a UTF-8 BOM and CRLF line ends', async () => {
    const { out, result } = await train('bom-crlf.txt', `\uFEFF${rows(30, '\r\n')}`);
    assert.equal(result.status, 0, result.stderr);
    const { manifest } = await loadModelDirectory(out);
    assert.deepEqual(manifest.records, { kind: 'text' });
    assert.ok(!manifest.tokenizer.vocab.includes('\r') && !manifest.tokenizer.vocab.includes('\uFEFF'), manifest.tokenizer.vocab.join(''));
    assert.equal(manifest.training.settings.records, 30);
  });

  test('a CSV file with CR-only line ends (old Mac) is read as rows, not as one long header', async () => {
    const { out, result } = await train('cr.csv', `name,age\r${rows(30, '\r')}`);
    assert.equal(result.status, 0, result.stderr);
    const { manifest } = await loadModelDirectory(out);
    assert.deepEqual(manifest.records, { kind: 'delimited', delimiter: ',', header: ['name', 'age'] });
    assert.equal(manifest.training.settings.records, 30);
  });

  test('the trained model generates through the CLI', async () => {
    const { out, result } = await train('ok.csv', `name,age\r\n${rows(30, '\r\n')}`);
    assert.equal(result.status, 0, result.stderr);
    const generated = await runSynth(['generate', '--model', out, '--lines', '3', '--random-seed', '1', '--workers', '1', '--no-validate']);
    assert.equal(generated.status, 0, generated.stderr);
    assert.equal(generated.stdout.split('\n').length, 4);
  });
});
