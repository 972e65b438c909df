import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { InternalError } from '../src/errors.js';
import type { RecordKind } from '../src/model/manifest.js';
import { formatDelimitedRow } from '../src/output/delimitedRow.js';
import type { OutputFormat } from '../src/output/format.js';
import { createRecordWriter } from '../src/output/recordWriter.js';
import type { TypedRecord } from '../src/validate/record.js';

const people: RecordKind = { kind: 'delimited', delimiter: ',', header: ['name', 'note', 'age'] };
const textKind: RecordKind = { kind: 'text' };

function delimitedRecord(index: number, fields: string[], delimiter = ','): TypedRecord {
  return { index, text: formatDelimitedRow(fields, delimiter), fields, values: fields };
}
const peopleRecords = [
  delimitedRecord(0, ['Ann', 'likes "tea", cake', '31']),
  delimitedRecord(1, ['Bo', 'two\nlines', '4']),
];
const textRecords: TypedRecord[] = [
  { index: 0, text: 'hello, world', fields: ['hello, world'], values: ['hello, world'] },
  { index: 1, text: 'say "hi"', fields: ['say "hi"'], values: ['say "hi"'] },
];

/** Collects everything written; with `delayMs` it accepts each chunk slowly, like a slow reader. */
class Collector extends Writable {
  chunks: string[] = [];
  maxBuffered = 0;
  constructor(options: { highWaterMark?: number; delayMs?: number } = {}) {
    super({ highWaterMark: options.highWaterMark ?? 16384, decodeStrings: false });
    this.delayMs = options.delayMs ?? 0;
  }
  private readonly delayMs: number;
  override _write(chunk: string, _encoding: string, callback: (error?: Error) => void) {
    this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
    this.chunks.push(chunk);
    if (this.delayMs > 0) setTimeout(callback, this.delayMs);
    else callback();
  }
  get text() {
    return this.chunks.join('');
  }
}

/** Accepts `capacity` bytes, then fails every write with `code`, like a full disk. */
class FailingSink extends Writable {
  written = 0;
  constructor(private readonly capacity: number, private readonly code: string) {
    super({ decodeStrings: false });
  }
  override _write(chunk: string, _encoding: string, callback: (error?: Error) => void) {
    if (this.written + chunk.length > this.capacity) {
      callback(Object.assign(new Error(`${this.code}: simulated, write`), { code: this.code, errno: -28, syscall: 'write' }));
      return;
    }
    this.written += chunk.length;
    callback();
  }
}

async function writeAll(format: OutputFormat, records: RecordKind, items: TypedRecord[]): Promise<string> {
  const output = new Collector();
  const writer = createRecordWriter({ format, records, output });
  for (const item of items) await writer.write(item);
  await writer.end();
  return output.text;
}

test('text format writes one CSV row per line for delimited models, without a header', async () => {
  assert.equal(await writeAll('text', people, peopleRecords), 'Ann,"likes ""tea"", cake",31\nBo,"two\nlines",4\n');
});

test('text format writes the text of a text model, one per line', async () => {
  assert.equal(await writeAll('text', textKind, textRecords), 'hello, world\nsay "hi"\n');
});

test('csv format writes the model header first, and the fields parse back unchanged', async () => {
  const out = await writeAll('csv', people, peopleRecords);
  assert.equal(out, 'name,note,age\nAnn,"likes ""tea"", cake",31\nBo,"two\nlines",4\n');
  assert.deepEqual(parse(out), [people.header, ...peopleRecords.map((r) => r.fields)]);
});

test('csv format uses the model delimiter for header and rows', async () => {
  const semicolons: RecordKind = { kind: 'delimited', delimiter: ';', header: ['a;b', 'c'] };
  const out = await writeAll('csv', semicolons, [delimitedRecord(0, ['1;2', '3,4'], ';')]);
  assert.equal(out, '"a;b";c\n"1;2";3,4\n');
});

test('csv format gives text models a single column named text, quoted where needed', async () => {
  const out = await writeAll('csv', textKind, textRecords);
  assert.equal(out, 'text\n"hello, world"\n"say ""hi"""\n');
  assert.deepEqual(parse(out, { columns: true }), [{ text: 'hello, world' }, { text: 'say "hi"' }]);
});

test('csv format with no records still writes the header', async () => {
  assert.equal(await writeAll('csv', people, []), 'name,note,age\n');
});

test('jsonl format writes fields by header name in header order', async () => {
  const out = await writeAll('jsonl', people, peopleRecords);
  assert.equal(
    out,
    '{"name":"Ann","note":"likes \\"tea\\", cake","age":"31"}\n{"name":"Bo","note":"two\\nlines","age":"4"}\n',
  );
  assert.deepEqual(JSON.parse(out.split('\n')[1]!), { name: 'Bo', note: 'two\nlines', age: '4' });
});

test('jsonl keeps numeric and __proto__ column names in place and as plain keys', async () => {
  const odd: RecordKind = { kind: 'delimited', delimiter: ',', header: ['z', '2', '__proto__'] };
  const out = await writeAll('jsonl', odd, [delimitedRecord(0, ['a', 'b', 'c'])]);
  assert.equal(out, '{"z":"a","2":"b","__proto__":"c"}\n');
});

test('jsonl marks missing fields null and names extra ones by position (with --no-validate)', async () => {
  const out = await writeAll('jsonl', people, [delimitedRecord(0, ['Ann']), delimitedRecord(1, ['a', 'b', 'c', 'd'])]);
  assert.equal(out, '{"name":"Ann","note":null,"age":null}\n{"name":"a","note":"b","age":"c","field_4":"d"}\n');
});

test('jsonl writes {"text": ...} for text models', async () => {
  assert.equal(await writeAll('jsonl', textKind, textRecords), '{"text":"hello, world"}\n{"text":"say \\"hi\\""}\n');
});

test('write waits for drain when a slow stream is full, so buffered bytes stay bounded', async () => {
  const output = new Collector({ highWaterMark: 64, delayMs: 1 });
  const writer = createRecordWriter({ format: 'text', records: textKind, output });
  const line = 'x'.repeat(39); // 40 bytes with its line end
  let waited = 0;
  for (let i = 0; i < 200; i++) {
    const pending = writer.write({ index: i, text: line, fields: [line], values: [line] });
    if (pending !== undefined) {
      waited++;
      await pending;
      assert.ok(output.writableLength < 64, `resumed with ${output.writableLength} bytes still buffered`);
    }
  }
  await writer.end();
  assert.ok(waited >= 90, `write() asked to wait only ${waited} times`);
  assert.ok(output.maxBuffered <= 64 + 40, `up to ${output.maxBuffered} bytes were buffered`);
  assert.equal(output.text, (line + '\n').repeat(200));
});

test('end() resolves only after a slow stream has taken every record', async () => {
  const output = new Collector({ highWaterMark: 1 << 20, delayMs: 2 });
  const writer = createRecordWriter({ format: 'text', records: textKind, output });
  for (let i = 0; i < 20; i++) assert.equal(writer.write({ index: i, text: `r${i}`, fields: [`r${i}`], values: [`r${i}`] }), undefined);
  await writer.end();
  assert.equal(output.chunks.length, 20);
});

test('a disk-full error rejects write() or end() with a message naming the output, and never hangs', { timeout: 5000 }, async () => {
  const output = new FailingSink(100, 'ENOSPC');
  const writer = createRecordWriter({ format: 'csv', records: people, output, outputName: 'out.csv' });
  let failure: unknown;
  try {
    for (let i = 0; i < 1000; i++) await writer.write(delimitedRecord(i, ['name', 'note', String(i)]));
    await writer.end();
  } catch (error) {
    failure = error;
  }
  assert.ok(failure instanceof InternalError, `expected a rejection, got ${failure}`);
  assert.equal(failure.message, 'cannot write to out.csv: no space left on device (ENOSPC)');
  assert.equal((failure.cause as NodeJS.ErrnoException).code, 'ENOSPC');
  await assert.rejects(Promise.resolve(writer.write(peopleRecords[0]!)), { message: failure.message });
  await assert.rejects(writer.end(), { message: failure.message });
});

test('a stream destroyed while the writer waits for drain rejects instead of hanging', { timeout: 5000 }, async () => {
  const output = new Collector({ highWaterMark: 8, delayMs: 50 });
  const writer = createRecordWriter({ format: 'text', records: textKind, output, outputName: 'stdout' });
  const pending = writer.write({ index: 0, text: 'a long enough line', fields: ['a long enough line'], values: ['a long enough line'] });
  assert.ok(pending instanceof Promise);
  output.destroy();
  await assert.rejects(pending, /cannot write to stdout: the stream was closed/);
});
