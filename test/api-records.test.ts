import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { evaluate, generate, train, UsageError, type RecordsInput, type TrainOptions } from '../src/index.js';
import { PEOPLE_HEADER, peopleRecords } from './helpers/syntheticPeople.js';

const tiny: Partial<TrainOptions> = { embeddingDim: 8, lstmUnits: [16], epochs: 2, sequenceLength: 12, batchSize: 8, randomSeed: 5, backend: 'wasm' };
const rows = peopleRecords(90, 11);
const objects = rows.map((r) => Object.fromEntries(PEOPLE_HEADER.map((name, i) => [name, name === 'age' ? Number(r[i]) : r[i]])));

async function* slowly<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) {
    await new Promise((resolve) => setImmediate(resolve));
    yield item;
  }
}

describe('records in memory for train and evaluate', () => {
  let work: string;
  let csv: string;
  const weightsOf = (dir: string) => readFile(path.join(work, dir, 'weights.bin'));
  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'synth-api-records-'));
    csv = path.join(work, 'people.csv');
    await writeFile(csv, [PEOPLE_HEADER, ...rows].map((r) => r.join(',')).join('\n') + '\n');
    await train({ input: csv, out: path.join(work, 'from-file'), ...tiny });
  });
  after(() => rm(work, { recursive: true, force: true }));

  test('objects, rows and an async iterable of rows train the same model as the CSV file with those records', async () => {
    const fromFile = await weightsOf('from-file');
    const objectsResult = await train({ records: objects, out: path.join(work, 'objects'), ...tiny });
    assert.deepEqual(objectsResult.manifest.records, { kind: 'delimited', delimiter: ',', header: PEOPLE_HEADER });
    assert.equal(objectsResult.manifest.training.settings.input, '(records in memory)');
    await train({ records: slowly([PEOPLE_HEADER, ...rows]), out: path.join(work, 'async-rows'), ...tiny });
    assert.ok(fromFile.equals(await weightsOf('objects')), 'objects give the file\'s weights');
    assert.ok(fromFile.equals(await weightsOf('async-rows')), 'an async iterable of rows gives the file\'s weights');
  });

  test('strings train a text model, one record per string', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `order ${i % 9} shipped`);
    const result = await train({ records: lines, out: path.join(work, 'text'), ...tiny });
    assert.deepEqual(result.manifest.records, { kind: 'text' });
    const out: string[] = [];
    for await (const { raw } of generate({ model: path.join(work, 'text'), lines: 3, randomSeed: 1, validate: false })) out.push(...raw);
    assert.equal(out.length, 3);
  });

  test('evaluate scores records in memory as it scores the same records from their file', async () => {
    const model = path.join(work, 'from-file');
    const fromFile = await evaluate({ model, data: csv, lines: 30, randomSeed: 2 });
    const fromMemory = await evaluate({ model, data: objects, lines: 30, randomSeed: 2 });
    assert.equal(fromMemory.settings.dataPath, '(records in memory)');
    assert.deepEqual({ ...fromMemory, settings: undefined }, { ...fromFile, settings: undefined });
  });

  test('bad records are a UsageError naming the record, worded as the file reader words them', async () => {
    const cases: [RecordsInput, RegExp][] = [
      [[], /^records is empty; there is nothing to train on$/],
      [[PEOPLE_HEADER], /^records has a header row but no data rows/],
      [[['a', 'b'], ['1', '2'], ['3']], /^records\[2\]: the row has 1 fields but the header has 2; every row needs the header's field count$/],
      [[{ a: 1, b: 2 }, { a: 3 }], /^records\[1\] has no "b"; every record needs the first one's fields \(a, b\)$/],
      [[{ a: 1 }, { a: 2, c: 3 }], /^records\[1\] has "c", which the first record has not/],
      [['fine', ['not', 'a', 'string']], /^records\[1\] is an array, but the first record is a string; give records of one kind$/],
      [['two\nlines'], /^records\[0\] holds a line break; a text record is one line/],
      [[{ a: 'nul\u0000' }], /^records\[0\]\.a holds a NUL character/],
      [[{ a: 'half \ud800' }], /^records\[0\]\.a holds a lone surrogate/],
      [[{ a: { nested: true } }], /^records\[0\]\.a is an object; give a string, a number, a boolean or null$/],
      [[42 as never], /^records\[0\] is a number; give a string, an array of field values or an object$/],
      [{ length: 3 } as never, /^records must be an array or an iterable of records, got an object$/],
    ];
    for (const [records, pattern] of cases) {
      const error = await train({ records, out: path.join(work, 'never'), ...tiny }).then(() => null, (e: unknown) => e);
      assert.ok(error instanceof UsageError, `${pattern}: ${String(error)}`);
      assert.match(error.message, pattern);
    }
    const evaluateError = await evaluate({ model: path.join(work, 'from-file'), data: [['x'], ['1', '2']] }).then(() => null, (e: unknown) => e);
    assert.ok(evaluateError instanceof UsageError);
    assert.match(evaluateError.message, /^data\[1\]: the row has 2 fields/);
  });

  test('train takes a file or records, not both', async () => {
    await assert.rejects(train({ input: csv, records: objects, out: path.join(work, 'never') }), /^UsageError: give either input \(a file\) or records \(records in memory\), not both$/);
  });
});
