import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluationRandom, indices, normalSource, sampleWithoutReplacement, seededRandom, shuffleInPlace } from '../src/random/seededRandom.js';
import { splitHeldOut } from '../src/evaluate/splitHeldOut.js';
import { sampleRecords } from '../src/evaluate/privacy/closestRecord.js';

// Known answers of the streams that seeded training runs and evaluation reports are made of: a
// change here changes every seeded run or the published reports.
test('seededRandom (sfc32) draws the same stream it always drew for a seed', () => {
  const random = seededRandom(5);
  assert.deepEqual(Array.from({ length: 4 }, () => random()), [0.6452848957851529, 0.5324752188753337, 0.5458066661376506, 0.15869729151017964]);
  assert.deepEqual(Array.from(shuffleInPlace(indices(10), seededRandom(3))), [5, 4, 3, 1, 7, 9, 8, 0, 2, 6]);
});

test('evaluationRandom (mulberry32), its normal draws and the held-out split are those of earlier reports', () => {
  const random = evaluationRandom(0);
  assert.deepEqual(Array.from({ length: 4 }, () => random()), [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197, 0.1462021479383111]);
  const normal = normalSource(evaluationRandom(7));
  assert.deepEqual(Array.from({ length: 3 }, () => normal()), [0.14197043782155663, 0.058240714748711335, -0.8642530248729361]);
  assert.deepEqual(splitHeldOut(Array.from({ length: 10 }, (_, i) => i)), { training: [3, 8, 6, 4, 5, 9, 7, 1], heldOut: [0, 2] });
});

test('a seeded record sample draws the records earlier reports drew, none twice', () => {
  const records = Array.from({ length: 50 }, (_, i) => `r${i}`);
  const picked = sampleRecords(records, 7, evaluationRandom(11));
  assert.deepEqual(picked, ['r25', 'r26', 'r31', 'r30', 'r43', 'r29', 'r9']);
  assert.deepEqual(sampleWithoutReplacement(50, 7, evaluationRandom(11)), Uint32Array.from(picked, (r) => Number(r.slice(1))));
  assert.deepEqual(sampleRecords(records.slice(0, 3), 7, evaluationRandom(11)), ['r0', 'r1', 'r2'], 'fewer than asked: all, in order');
});
