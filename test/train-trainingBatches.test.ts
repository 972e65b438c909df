import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CharTokenizer } from '../src/tokenizer/charTokenizer.js';
import { seededRandom } from '../src/train/seededRandom.js';
import { batchesOf, makeWindows, splitRecords, tokenStream } from '../src/train/trainingBatches.js';

test('the token stream puts an end-of-record before every record, as generation starts', () => {
  const records = [['ab', 'c'], ['d', '']];
  const tokenizer = CharTokenizer.fromRecords(records, true);
  const stream = [...tokenStream(tokenizer, records)];
  const { endOfRecord: eor, fieldSeparator: sep } = tokenizer;
  const id = (ch: string) => tokenizer.spec.vocab.indexOf(ch);
  assert.deepEqual(stream, [eor, id('a'), id('b'), sep, id('c'), eor, id('d'), sep, eor]);
});

test('windows cover the stream with each token a target once, and a short stream still gives a window', () => {
  assert.deepEqual(makeWindows(21, 5), { steps: 5, starts: [0, 5, 10, 15] });
  assert.deepEqual(makeWindows(4, 100), { steps: 3, starts: [0] });
  assert.deepEqual(makeWindows(1, 100), { steps: 0, starts: [] });
});

test('batches hold inputs and the next tokens as targets, the last batch smaller', () => {
  const stream = Int32Array.from({ length: 11 }, (_, i) => i);
  const windows = makeWindows(stream.length, 3);
  const batches = [...batchesOf(stream, windows, [2, 0, 1], 2)];
  assert.equal(batches.length, 2);
  assert.deepEqual([...batches[0]!.inputs], [6, 7, 8, 0, 1, 2]);
  assert.deepEqual([...batches[0]!.targets], [7, 8, 9, 1, 2, 3]);
  assert.equal(batches[1]!.batchSize, 1);
});

test('the validation split is a seeded shuffle by records that keeps one training record', () => {
  const records = Array.from({ length: 10 }, (_, i) => i);
  const a = splitRecords(records, 0.2, seededRandom(4));
  const b = splitRecords(records, 0.2, seededRandom(4));
  assert.deepEqual(a, b);
  assert.equal(a.validation.length, 2);
  assert.deepEqual([...a.train, ...a.validation].sort((x, y) => x - y), records);
  assert.equal(splitRecords([1], 0.5, seededRandom(1)).train.length, 1);
});
