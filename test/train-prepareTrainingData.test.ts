import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'csv-stringify/sync';
import { CharTokenizer } from '../src/tokenizer/charTokenizer.js';
import { NineBitIds, plainIds, recordIds, type EncodedRecords } from '../src/train/encodedRecords.js';
import { everyRecordEachEpoch, sampledRecordsEachEpoch } from '../src/train/epochSource.js';
import { prepareTrainingData } from '../src/train/prepareTrainingData.js';
import { readTrainingData } from '../src/data/readTrainingData.js';
import { seededRandom } from '../src/random/seededRandom.js';
import { splitRecords } from '../src/train/trainingBatches.js';
import { charVocabulary } from '../src/train/vocabularyBuilder.js';
import { tempDirectory } from './helpers/tempDirectory.js';

async function fileWith(name: string, content: string): Promise<string> {
  const file = path.join(await tempDirectory('synth-prepare-'), name);
  await writeFile(file, content);
  return file;
}

/** Record i of an encoded set, decoded back into fields. */
function decoded(records: EncodedRecords, tokenizer: CharTokenizer, i: number): string[] {
  return tokenizer.decodeFields(recordIds(records, i).subarray(0, -1));
}

const rows = [
  ['name', 'city', 'note'],
  ...Array.from({ length: 200 }, (_, i) => [`Ann ${i % 13}`, i % 2 ? 'Portland, OR' : 'Zürich', i % 9 ? `say "hi" ${i}` : `two\nlines 😀 ${i}`]),
];

describe('prepareTrainingData encodes a file in two passes into typed arrays', () => {
  test('records decode back to the file, split exactly as splitRecords splits them in memory', async () => {
    const file = await fileWith('people.csv', stringify(rows));
    const data = await prepareTrainingData(file, { validationSplit: 0.25, random: seededRandom(9) });
    const { records } = await readTrainingData(file);
    const expected = splitRecords(records, 0.25, seededRandom(9));
    assert.equal(data.records, 200);
    assert.equal(data.heldOut, 50);
    assert.deepEqual(Array.from({ length: data.train.count }, (_, i) => decoded(data.train, data.tokenizer, i)), expected.train);
    assert.deepEqual(Array.from({ length: data.validation.count }, (_, i) => decoded(data.validation, data.tokenizer, i)), expected.validation);
    // The vocabulary is the one the in-memory builder makes from the same records.
    assert.deepEqual(data.tokenizer.spec, CharTokenizer.fromRecords(records, true).spec);
  });

  test('every record follows an end-of-record and ends with one; ids are the narrowest type', async () => {
    const data = await prepareTrainingData(await fileWith('people.csv', stringify(rows)), { validationSplit: 0.2, random: seededRandom(1) });
    const eor = data.tokenizer.endOfRecord;
    assert.ok(data.train.ids instanceof Uint8Array, data.train.ids.constructor.name);
    assert.ok(data.train.offsets instanceof Uint32Array);
    assert.equal(data.train.offsets[0], 1);
    assert.equal(data.train.offsets[data.train.count], data.train.ids.length);
    const ids = plainIds(data.train.ids);
    for (let i = 0; i < data.train.count; i++) assert.equal(ids[data.train.offsets[i]! - 1], eor);
    assert.equal(ids[ids.length - 1], eor);
    let longest = 0;
    for (const fields of rows.slice(1)) longest = Math.max(longest, data.tokenizer.encodeRecord(fields).length - 1);
    assert.equal(data.longestRecordTokens, longest);
  });

  test('a vocabulary of 257 to 512 symbols gets 9-bit ids, a bigger one 16-bit ids', async () => {
    for (const [symbols, kind] of [[400, NineBitIds], [600, Uint16Array]] as const) {
      // Each line its own symbol; the symbols past 256 are the ones whose 9th bit is stored apart.
      const lines = Array.from({ length: symbols }, (_, i) => String.fromCodePoint(0x4e00 + i) + 'x').join('\n');
      const data = await prepareTrainingData(await fileWith('wide.txt', lines), { validationSplit: 0, random: seededRandom(1) });
      assert.ok(data.tokenizer.vocabSize > 256 && data.tokenizer.vocabSize <= (symbols < 500 ? 512 : 65536), `${data.tokenizer.vocabSize}`);
      assert.ok(data.train.ids instanceof kind, data.train.ids.constructor.name);
      for (const i of [0, 254, 255, 256, 300, symbols - 1]) {
        assert.deepEqual(decoded(data.train, data.tokenizer, i), [`${String.fromCodePoint(0x4e00 + i)}x`], `record ${i}`);
      }
      const expected = [data.tokenizer.endOfRecord, ...Array.from({ length: symbols }, (_, i) => [...data.tokenizer.encodeRecord([`${String.fromCodePoint(0x4e00 + i)}x`])]).flat()];
      assert.deepEqual([...plainIds(data.train.ids)], expected);
    }
  });

  test('a pluggable vocabulary builder sees every record once, before any is encoded', async () => {
    const seen: string[][] = [];
    const chars = charVocabulary();
    const data = await prepareTrainingData(await fileWith('people.csv', stringify(rows)), {
      validationSplit: 0.2,
      random: seededRandom(1),
      vocabulary: () => ({ add: (fields) => { seen.push([...fields]); chars.add(fields); }, build: (kind) => chars.build(kind) }),
    });
    assert.deepEqual(seen, rows.slice(1));
    assert.equal(data.train.count + data.validation.count, 200);
  });

  test('with --epoch-records only a fixed, seeded sample of the held-out records is kept', async () => {
    const file = await fileWith('people.csv', stringify(rows));
    const run = () => prepareTrainingData(file, { validationSplit: 0.2, random: seededRandom(4), validationSample: { epochRecords: 20, maxRecords: 1000, random: seededRandom(77) } });
    const [a, b] = [await run(), await run()];
    assert.equal(a.heldOut, 40);
    assert.equal(a.validation.count, 5, 'N × split / (1 − split) = 20 × 0.2 / 0.8');
    assert.equal(a.train.count, 160, 'the training part is whole');
    assert.deepEqual(a.validation.ids, b.validation.ids);
    const all = await prepareTrainingData(file, { validationSplit: 0.2, random: seededRandom(4) });
    const heldOut = new Set(Array.from({ length: all.validation.count }, (_, i) => decoded(all.validation, all.tokenizer, i).join('\u0000')));
    for (let i = 0; i < a.validation.count; i++) assert.ok(heldOut.has(decoded(a.validation, a.tokenizer, i).join('\u0000')));
  });
});

test('a held-out part beyond maxRecords is validated on a seeded sample of that many; a smaller one whole', async () => {
  const file = await fileWith('people.csv', stringify(rows));
  const capped = await prepareTrainingData(file, { validationSplit: 0.2, random: seededRandom(4), validationSample: { maxRecords: 10, random: seededRandom(77) } });
  assert.equal(capped.heldOut, 40);
  assert.equal(capped.validation.count, 10);
  assert.equal(capped.train.count, 160, 'the training part is whole');
  const all = await prepareTrainingData(file, { validationSplit: 0.2, random: seededRandom(4) });
  const heldOut = new Set(Array.from({ length: all.validation.count }, (_, i) => decoded(all.validation, all.tokenizer, i).join('\u0000')));
  for (let i = 0; i < capped.validation.count; i++) assert.ok(heldOut.has(decoded(capped.validation, capped.tokenizer, i).join('\u0000')));
  const roomy = await prepareTrainingData(file, { validationSplit: 0.2, random: seededRandom(4), validationSample: { maxRecords: 40, random: seededRandom(77) } });
  assert.deepEqual(roomy.validation.ids, all.validation.ids);
});

test('with collectGarbage (synth train opts in), the read chunks are collected before it returns: external memory is the encoded data', async () => {
  // 8 MB of CSV read twice in 1 MB chunks leaves ~16 MB of dead Buffers that V8 alone would keep
  // until its next full collection (30 MB of growth for 9 MB of data before the collection).
  const line = 'alpha,beta,gamma,0123456789\n';
  const file = await fileWith('big.csv', `a,b,c,d\n${line.repeat(Math.ceil(8e6 / line.length))}`);
  const before = process.memoryUsage().arrayBuffers;
  const data = await prepareTrainingData(file, { validationSplit: 0.2, random: seededRandom(1), collectGarbage: true });
  const kept = [data.train, data.validation].reduce((n, part) => n + part.ids.byteLength + part.offsets.byteLength, 0);
  const grew = process.memoryUsage().arrayBuffers - before;
  assert.ok(grew < kept + 4e6, `external memory grew ${(grew / 1e6).toFixed(1)} MB for ${(kept / 1e6).toFixed(1)} MB of data`);
});

describe('epoch sources', () => {
  const tokenizer = CharTokenizer.fromRecords([['abcdefghij']], false);
  async function encoded(count: number): Promise<EncodedRecords> {
    const lines = Array.from({ length: count }, (_, i) => `${'abcdefghij'[i % 10]}${i}`.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)).join('\n');
    const data = await prepareTrainingData(await fileWith('records.txt', lines), { validationSplit: 0, random: seededRandom(1) });
    assert.deepEqual(data.tokenizer.spec, tokenizer.spec);
    return data.train;
  }

  test('each sampled epoch holds N distinct training records, reproducibly, and windows start at an end-of-record', async () => {
    const train = await encoded(500);
    const eor = tokenizer.endOfRecord;
    const recordsOf = (ids: Parameters<typeof plainIds>[0]) => {
      const stream = plainIds(ids);
      const out: string[] = [];
      let current = '';
      for (let i = 1; i < stream.length; i++) {
        if (stream[i] === eor) { out.push(current); current = ''; } else current += tokenizer.spec.vocab[stream[i]!];
      }
      return out;
    };
    const a = sampledRecordsEachEpoch(train, 60, 8, eor, seededRandom(5));
    const b = sampledRecordsEachEpoch(train, 60, 8, eor, seededRandom(5));
    const epochs = [1, 2, 3].map((e) => a.epoch(e));
    for (const data of epochs) {
      const records = recordsOf(data.stream);
      assert.equal(records.length, 60);
      assert.equal(new Set(records).size, 60, 'drawn without replacement');
      const stream = plainIds(data.stream);
      assert.equal(stream[0], eor);
      const atBoundary = [...data.windows.starts].filter((s) => stream[s] === eor).length;
      assert.ok(atBoundary >= 0.9 * data.windows.starts.length, `${atBoundary} of ${data.windows.starts.length}`);
    }
    assert.deepEqual(plainIds(b.epoch(1).stream), plainIds(epochs[0]!.stream), 'same seed, same sample');
    assert.notDeepEqual(plainIds(epochs[1]!.stream), plainIds(epochs[0]!.stream), 'a fresh sample each epoch');
    assert.equal(a.epoch(3), epochs[2], 'asking again for the same epoch gives the same data');
  });

  test('N at least the training records trains on all of them, as without the flag', async () => {
    const train = await encoded(50);
    const all = everyRecordEachEpoch(train, 8, tokenizer.endOfRecord);
    const sampled = sampledRecordsEachEpoch(train, 50, 8, tokenizer.endOfRecord, seededRandom(1));
    assert.equal(sampled.recordsPerEpoch, 50);
    assert.deepEqual(plainIds(sampled.epoch(1).stream), plainIds(all.epoch(1).stream));
    assert.deepEqual([...sampled.epoch(1).windows.starts], [...all.epoch(1).windows.starts]);
  });
});
