import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { stringify } from 'csv-stringify/sync';
import { UsageError } from '../src/errors.js';
import { readTrainingData } from '../src/train/readTrainingData.js';

async function fileWith(name: string, content: string | Uint8Array): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'synth-read-')), name);
  await writeFile(file, content);
  return file;
}

async function refusal(file: string): Promise<string> {
  const error = await readTrainingData(file).then(() => null, (e: unknown) => e);
  assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
  assert.ok(error.message.includes(file), `the message names the file: ${error.message}`);
  return error.message;
}

test('CSV fields holding commas, quotes and newlines come back exactly as written', async () => {
  const rows = [
    ['name', 'city', 'note'],
    ['Robert "Bob" Smith', 'Portland, OR', 'line one\nline two'],
    ['Ann', 'Smith, Jones & Co', 'says "hi", then leaves'],
    ['', 'Oslo', 'crlf\r\ninside'],
  ];
  const data = await readTrainingData(await fileWith('people.csv', stringify(rows)));
  assert.deepEqual(data.kind, { kind: 'delimited', delimiter: ',', header: rows[0] });
  assert.deepEqual(data.records, rows.slice(1));
});

test('a UTF-8 BOM is dropped and CRLF line ends are accepted', async () => {
  const csv = await readTrainingData(await fileWith('bom.csv', '\uFEFFa,b\r\n1,2\r\n3,4\r\n'));
  assert.deepEqual(csv.kind, { kind: 'delimited', delimiter: ',', header: ['a', 'b'] });
  assert.deepEqual(csv.records, [['1', '2'], ['3', '4']]);
  const text = await readTrainingData(await fileWith('bom.txt', '\uFEFFfirst\r\nsecond\r\n'));
  assert.deepEqual(text.records, [['first'], ['second']]);
});

test('a text file is one record per line, blank lines skipped', async () => {
  const data = await readTrainingData(await fileWith('lines.txt', 'alpha, beta\n\n"gamma"\n'));
  assert.deepEqual(data.kind, { kind: 'text' });
  assert.deepEqual(data.records, [['alpha, beta'], ['"gamma"']]);
});

test('.tsv is read with tabs and --delimiter forces CSV on any file', async () => {
  const tsv = await readTrainingData(await fileWith('t.tsv', 'a\tb\n1,5\t2\n'));
  assert.deepEqual(tsv.records, [['1,5', '2']]);
  const forced = await readTrainingData(await fileWith('t.txt', 'a;b\n1;2\n'), { delimiter: ';' });
  assert.deepEqual(forced.kind, { kind: 'delimited', delimiter: ';', header: ['a', 'b'] });
  assert.deepEqual(forced.records, [['1', '2']]);
});

test('an empty file is refused', async () => {
  assert.match(await refusal(await fileWith('empty.csv', '')), /is empty/);
  assert.match(await refusal(await fileWith('blank.txt', '\n\n  \n')), /is empty/);
});

test('a CSV with a header and no rows is refused', async () => {
  assert.match(await refusal(await fileWith('header.csv', 'a,b,c\n')), /header row but no data rows/);
});

test('a ragged CSV row is refused naming its line and both field counts', async () => {
  assert.match(await refusal(await fileWith('ragged.csv', 'a,b,c\n1,2,3\n4,5\n')), /line 3: the row has 2 fields but the header has 3/);
});

test('an unclosed quote is refused as invalid CSV', async () => {
  assert.match(await refusal(await fileWith('quote.csv', 'a,b\n1,"open\n')), /is not valid CSV/);
});

test('invalid UTF-8 is refused naming the line', async () => {
  const bytes = Buffer.concat([Buffer.from('a,b\n1,2\nx,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
  assert.match(await refusal(await fileWith('latin.csv', bytes)), /line 3 .*not valid UTF-8.*0xc3/);
});

test('a line over 1 MB is refused naming the line', async () => {
  assert.match(await refusal(await fileWith('long.txt', `short\n${'x'.repeat(1024 * 1024 + 1)}\n`)), /line 2 is 1048577 bytes long/);
});

test('a binary file (NUL bytes) is refused', async () => {
  assert.match(await refusal(await fileWith('image.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0a, 0x00, 0x01]))), /line 2 .*NUL byte.*binary/);
});

test('a missing file is refused as a usage error', async () => {
  assert.match(await refusal(path.join(os.tmpdir(), 'synth-no-such-file.csv')), /does not exist/);
});
