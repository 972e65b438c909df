import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'csv-stringify/sync';
import { formatMessage, UsageError } from '../src/errors.js';
import { flagName } from '../src/cli/flagName.js';
import { readTrainingData } from '../src/data/readTrainingData.js';
import { tempDirectory } from './helpers/tempDirectory.js';

async function fileWith(name: string, content: string | Uint8Array): Promise<string> {
  const file = path.join(await tempDirectory('synth-read-'), name);
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

// The reader streams the file in 1 MiB chunks; these files put what matters across a chunk boundary.
const CHUNK = 1 << 20;

test('a character cut by a chunk boundary and rows across chunks come back exactly', async () => {
  const filler = 'x'.repeat(CHUNK - 'a,b\n'.length - 'r0,'.length - 1);
  const rows = [['r0', `${filler}€`], ...Array.from({ length: 20_000 }, (_, i) => [`r${i + 1}`, `zürich ${'€😀'.repeat(i % 7)} ${i}`])];
  const text = `a,b\n${rows.map((r) => r.join(',')).join('\n')}\n`;
  assert.equal(Buffer.from(text).subarray(CHUNK - 1, CHUNK + 2).toString(), '€', 'the € straddles the first chunk boundary');
  const data = await readTrainingData(await fileWith('cut.csv', text));
  assert.deepEqual(data.records, rows);
});

test('a bad byte or a ragged row past the first chunk names its own line and offset', async () => {
  const head = `a,b\n${Array.from({ length: 200_000 }, (_, i) => `name${i},${i}`).join('\n')}\n`;
  assert.ok(head.length > 2 * CHUNK);
  const badAt = Buffer.byteLength(head) + 2;
  const bytes = Buffer.concat([Buffer.from(head), Buffer.from('ok'), Buffer.from([0xe2, 0x28, 0xa1]), Buffer.from(',1\n')]);
  assert.match(await refusal(await fileWith('late.csv', bytes)), new RegExp(`line 200002 holds .*not valid UTF-8 \\(byte 0xe2 at byte offset ${badAt}\\)`));
  assert.match(await refusal(await fileWith('ragged-late.csv', `${head}1,2,3\n`)), /line 200002: the row has 3 fields but the header has 2/);
});

test('an invalid sequence split by a chunk boundary, and one cut by the end of the file, are refused', async () => {
  const first = `${'y'.repeat(CHUNK - 2)}\n`;
  const split = Buffer.concat([Buffer.from(first), Buffer.from([0xf0, 0x9f]), Buffer.from('zz\n')]);
  assert.match(await refusal(await fileWith('split.txt', split)), new RegExp(`line 2 holds .*0xf0 at byte offset ${CHUNK - 1}`));
  const cut = Buffer.concat([Buffer.from('fine\nthen '), Buffer.from([0xe2, 0x82])]);
  assert.match(await refusal(await fileWith('cut.txt', cut)), /line 2 holds .*0xe2 at byte offset 10\)/);
});

test('a line over 1 MB spread over several chunks is refused with its whole length', async () => {
  const long = 'q'.repeat(3 * CHUNK + 5);
  assert.match(await refusal(await fileWith('huge-line.txt', `a\nb\n${long}\nc\n`)), new RegExp(`line 3 is ${long.length} bytes long`));
});

describe('the delimiter of a .csv, .tsv or .txt file is detected from its first rows', () => {
  const table = (d: string) => ['name', 'age', 'city'].join(d) + '\n' + Array.from({ length: 30 }, (_, i) => [`n${i}`, String(20 + i), `"c${d}${i}"`].join(d)).join('\n') + '\n';
  const expected = Array.from({ length: 30 }, (_, i) => [`n${i}`, String(20 + i), `c@${i}`]);

  for (const [name, d, label] of [['semi.csv', ';', "';'"], ['tabs.csv', '\t', 'tab'], ['pipes.txt', '|', "'|'"], ['semi.tsv', ';', "';'"]] as const) {
    test(`${name} is read as delimited by ${label}, and says so`, async () => {
      const data = await readTrainingData(await fileWith(name, table(d)));
      assert.deepEqual(data.kind, { kind: 'delimited', delimiter: d, header: ['name', 'age', 'city'] });
      assert.deepEqual(data.records, expected.map((r) => r.map((f) => f.replace('@', d))));
      const note = formatMessage(data.detected ?? [], flagName);
      assert.match(note, new RegExp(`${name} as delimited by ${label.replace('|', '\\|')}: its first rows all have 3 fields`));
      assert.match(note, /^reading --input .*\(pass --delimiter to choose another/, 'a CLI user reads the flags');
      assert.match(formatMessage(data.detected ?? [], (key) => key), /^reading input .*\(pass delimiter to choose another/, 'an API caller reads the option keys');
    });
  }

  test('a comma CSV and a tab TSV keep their delimiter without a note', async () => {
    const csv = await readTrainingData(await fileWith('plain.csv', 'a,b;c\n1,2;3\n4,5;6\n'));
    assert.deepEqual(csv.kind, { kind: 'delimited', delimiter: ',', header: ['a', 'b;c'] });
    assert.equal(csv.detected, undefined);
  });

  test('a .txt file stays plain text unless ;, tab or | fits every first row', async () => {
    const prose = await readTrainingData(await fileWith('prose.txt', 'Hello, world\nGood morning, Sir\nYes, indeed\n'));
    assert.deepEqual(prose.kind, { kind: 'text' });
    const ragged = await readTrainingData(await fileWith('ragged.txt', 'a;b\nc;d;e\nf\n'));
    assert.deepEqual(ragged.kind, { kind: 'text' });
    const single = await readTrainingData(await fileWith('one-line.txt', 'a;b\n'));
    assert.deepEqual(single.kind, { kind: 'text' });
  });

  test('a semicolon .csv with decimal commas splits on the semicolons', async () => {
    const data = await readTrainingData(await fileWith('eu.csv', 'item;price\napple;1,50\npear;0,99\nfig;12,00\n'));
    assert.deepEqual(data.records, [['apple', '1,50'], ['pear', '0,99'], ['fig', '12,00']]);
  });

  test('an explicit delimiter, or null for plain text, wins over detection', async () => {
    const file = await fileWith('forced.csv', 'name;age\nann;3\nbob;4\n');
    const comma = await readTrainingData(file, { delimiter: ',' });
    assert.deepEqual(comma.kind, { kind: 'delimited', delimiter: ',', header: ['name;age'] });
    assert.equal(comma.detected, undefined);
    const text = await readTrainingData(file, { delimiter: null });
    assert.deepEqual(text.kind, { kind: 'text' });
    assert.deepEqual(text.records, [['name;age'], ['ann;3'], ['bob;4']]);
  });
});

test('CRLF line ends cut by a chunk boundary leave no CR in text records or CSV fields', async () => {
  // Line k is `row k` padded so that one CRLF falls exactly across the 1 MiB boundary.
  const first = 'y'.repeat(CHUNK - 1);
  const tail = Array.from({ length: 1000 }, (_, i) => `row ${i}`);
  const text = await readTrainingData(await fileWith('crlf.txt', `${first}\r\n${tail.join('\r\n')}\r\n`));
  assert.equal(Buffer.from(`${first}\r\n`).indexOf('\r'), CHUNK - 1, 'the CR ends the first chunk, its LF starts the second');
  assert.deepEqual(text.records, [[first], ...tail.map((r) => [r])]);
  const csv = await readTrainingData(await fileWith('crlf.csv', `h,v\r\n${'z'.repeat(CHUNK - 8)},1\r\n${tail.map((r) => `${r},2`).join('\r\n')}\r\n`));
  assert.deepEqual(csv.records.slice(0, 2), [['z'.repeat(CHUNK - 8), '1'], ['row 0', '2']]);
  assert.ok(csv.records.every((r) => !r.join('').includes('\r')));
});
