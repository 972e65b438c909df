import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CharTokenizer } from '../src/tokenizer/charTokenizer.js';
import { concatRecords, copyIds, NineBitIds, plainIds } from '../src/train/encodedRecords.js';
import { seededRandom } from '../src/random/seededRandom.js';
import { batchesOf, batchSizeFor, makeWindows, splitRecords, tokenStream, type Windows } from '../src/train/trainingBatches.js';

test('the token stream puts an end-of-record before every record, as generation starts', () => {
  const records = [['ab', 'c'], ['d', '']];
  const tokenizer = CharTokenizer.fromRecords(records, true);
  const stream = [...tokenStream(tokenizer, records)];
  const { endOfRecord: eor } = tokenizer;
  const sep = tokenizer.fieldSeparators[0]!;
  const id = (ch: string) => tokenizer.spec.vocab.indexOf(ch);
  assert.deepEqual(stream, [eor, id('a'), id('b'), sep, id('c'), eor, id('d'), sep, eor]);
});

const E = 0;
const plain = (w: Windows) => ({ steps: w.steps, starts: [...w.starts] });

test('windows start at an end-of-record where they can and leave no token untargeted', () => {
  //                          0  1  2  3  4  5  6  7  8  9
  const stream = Int32Array.from([E, 1, 2, E, 3, 4, 5, E, 6, E]);
  assert.deepEqual(plain(makeWindows(stream, 4, E)), { steps: 4, starts: [0, 3, 5] });
});

test('a record longer than a window continues in the next window', () => {
  const stream = Int32Array.from([E, 1, 2, 3, 4, 5, 6, E]);
  assert.deepEqual(plain(makeWindows(stream, 3, E)), { steps: 3, starts: [0, 3, 4] });
});

test('a stream shorter than a window still gives one window, an empty one none', () => {
  assert.deepEqual(plain(makeWindows(Int32Array.from([E, 1, E]), 100, E)), { steps: 2, starts: [0] });
  assert.deepEqual(plain(makeWindows(Int32Array.from([E]), 100, E)), { steps: 0, starts: [] });
});

test('every target position is covered by some window', () => {
  const random = seededRandom(11);
  const stream = Int32Array.from({ length: 500 }, (_, i) => (i === 0 || i === 499 || random() < 0.15 ? E : 1));
  const { steps, starts } = makeWindows(stream, 37, E);
  const covered = new Set<number>();
  for (const s of starts) for (let t = s + 1; t <= s + steps; t++) covered.add(t);
  assert.equal(covered.size, 499);
  assert.ok(starts.filter((s) => stream[s] === E).length >= 0.8 * starts.length, 'most windows start at an end-of-record');
});

test('batches hold inputs and the next tokens as targets, the last batch smaller', () => {
  const stream = Int32Array.from({ length: 10 }, (_, i) => i + 1);
  const windows = { steps: 3, starts: Uint32Array.from([0, 3, 6]) };
  const batches = [...batchesOf(stream, windows, [2, 0, 1], 2)];
  assert.equal(batches.length, 2);
  assert.deepEqual([...batches[0]!.inputs], [7, 8, 9, 1, 2, 3]);
  assert.deepEqual([...batches[0]!.targets], [8, 9, 10, 2, 3, 4]);
  assert.equal(batches[1]!.batchSize, 1);
});

test('a 9-bit stream gives the windows, batches and sampled streams its ids give as plain numbers', () => {
  const random = seededRandom(3);
  const EOR = 511;
  // Ids on both sides of 256, at positions on and off byte boundaries of the high bits.
  const ids = Int32Array.from({ length: 301 }, (_, i) => (i === 0 || i === 300 || random() < 0.1 ? EOR : Math.floor(random() * 511)));
  const packed = new NineBitIds(ids.length);
  copyIds(ids, 0, ids.length, packed, 0);
  assert.deepEqual(plainIds(packed), ids);
  assert.equal(packed.byteLength, 301 + 38);
  const windows = makeWindows(packed, 17, EOR);
  assert.deepEqual(plain(windows), plain(makeWindows(ids, 17, EOR)));
  const order = [...windows.starts.keys()].reverse();
  const batches = [...batchesOf(packed, windows, order, 4)];
  assert.deepEqual(batches, [...batchesOf(ids, windows, order, 4)]);
  const starts = [...ids.keys()].filter((i) => ids[i] === EOR);
  const records = { ids: packed, offsets: Uint32Array.from(starts.map((s) => s + 1)), count: starts.length - 1 };
  const chosen = [3, 0, 2];
  const sampled = concatRecords(records, chosen, EOR);
  assert.ok(sampled instanceof NineBitIds);
  const expected = [EOR, ...chosen.flatMap((r) => [...ids.subarray(starts[r]! + 1, starts[r + 1]! + 1)])];
  assert.deepEqual([...plainIds(sampled)], expected);
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

test('batch size auto: 64 for big tables, halved down to 8 until an epoch has 64 steps', () => {
  assert.equal(batchSizeFor(100_000), 64);
  assert.equal(batchSizeFor(64 * 64), 64, 'exactly 64 steps of 64');
  assert.equal(batchSizeFor(64 * 64 - 1), 32);
  assert.equal(batchSizeFor(1_900), 16, 'a 3,000-row table of ~60-token records');
  assert.equal(batchSizeFor(540), 8, 'weather.csv with value tokens');
  assert.equal(batchSizeFor(3), 8, 'never below 8');
  for (const windows of [1, 10, 500, 1000, 5000, 1e6]) {
    const size = batchSizeFor(windows);
    assert.ok([8, 16, 32, 64].includes(size), `${windows}: ${size}`);
    assert.ok(size === 8 || windows / size >= 64, `${windows} windows in batches of ${size}: at least 64 steps`);
  }
});
