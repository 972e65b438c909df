import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClosestRecordIndex, closestRecordReport, median, sampleRecords } from '../src/evaluate/privacy/closestRecord.js';
import { profileColumns } from '../src/evaluate/quality/columnProfile.js';
import { evaluationRandom } from '../src/random/seededRandom.js';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} vs ${expected}`);

test('DCR is the mean per-column distance to the nearest reference record (SDMetrics dcr_utils)', () => {
  // 24 distinct numbers in 0..10 make "n" numeric; the letters a/b categorical
  const reference = Array.from({ length: 24 }, (_, i) => [String((i * 10) / 23), i % 2 ? 'a' : 'b']);
  const profile = profileColumns(['n', 'c'], reference);
  assert.deepEqual(profile.map((c) => c.kind), ['numeric', 'categorical']);
  const index = new ClosestRecordIndex(profile, [['0', 'a'], ['10', 'b']]);
  const [mid, exact, blank, unseen] = index.distances([['5', 'a'], ['10', 'b'], ['', 'b'], ['0', 'z']]);
  // (|5 − 0| / 10 + 0) / 2 = 0.25 (the other record: (0.5 + 1) / 2)
  close(mid!, 0.25);
  close(exact!, 0);
  // a blank against a number is 1: (1 + 0) / 2
  close(blank!, 0.5);
  // an unseen category mismatches everything: (0 + 1) / 2
  close(unseen!, 0.5);
  // distances beyond the reference range are capped at 1 per column
  close(index.distances([['100', 'b']])[0]!, 0.5);
});

test('copies of training records are all closer than the held-out median; fresh records about half', () => {
  const random = evaluationRandom(3);
  const draw = (n: number) => Array.from({ length: n }, () => [String(Math.round(random() * 1000) / 10), ['x', 'y', 'z'][Math.floor(random() * 3)]!]);
  const training = draw(2000);
  const heldOut = draw(500);
  const fresh = draw(500);
  const copies = training.slice(0, 500);
  const profile = profileColumns(['n', 'c'], training);
  const [forCopies, forFresh, forHeldOut] = closestRecordReport(profile, training, heldOut, [copies, fresh, heldOut], evaluationRandom(1));
  assert.equal(forCopies!.median, 0);
  assert.equal(forCopies!.closerThanHeldOutMedian, 1);
  assert.ok(Math.abs(forFresh!.closerThanHeldOutMedian - 0.5) < 0.08, String(forFresh!.closerThanHeldOutMedian));
  assert.equal(forHeldOut!.median, forHeldOut!.heldOutMedian);
  assert.ok(forHeldOut!.closerThanHeldOutMedian <= 0.5);
  assert.deepEqual([forCopies!.sampled, forCopies!.reference], [500, 2000]);
});

test('large sets are measured on a seeded sample without replacement', () => {
  const records = Array.from({ length: 5000 }, (_, i) => i);
  const sample = sampleRecords(records, 1000, evaluationRandom(9));
  assert.equal(sample.length, 1000);
  assert.equal(new Set(sample).size, 1000);
  assert.deepEqual(sampleRecords(records, 1000, evaluationRandom(9)), sample);
  assert.deepEqual(sampleRecords([1, 2], 1000, evaluationRandom(9)), [1, 2]);
  assert.equal(median(Float64Array.from([3, 1, 2])), 2);
  assert.equal(median(Float64Array.from([4, 1, 2, 3])), 2.5);
});
