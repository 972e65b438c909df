import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DECAY_FLOOR, DECAY_START, learningRateAt, learningRateFor, plannedEpochs, scheduleProgress } from '../src/train/learningRateSchedule.js';

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} vs ${expected}`);

test('decay: the base rate for the first half, a cosine down to the floor by the end, never below it', () => {
  const decay = { base: 0.01, kind: 'decay' } as const;
  close(learningRateAt(decay, 0), 0.01, 'start');
  close(learningRateAt(decay, DECAY_START), 0.01, 'decay start');
  close(learningRateAt(decay, (1 + DECAY_START) / 2), 0.01 * (DECAY_FLOOR + (1 - DECAY_FLOOR) / 2), 'half way down');
  close(learningRateAt(decay, 1), 0.01 * DECAY_FLOOR, 'end');
  close(learningRateAt(decay, 1.7), 0.01 * DECAY_FLOOR, 'past the end (an epoch beyond the plan)');
  let previous = Infinity;
  for (let p = 0; p <= 1; p += 0.01) {
    const rate = learningRateAt(decay, p);
    assert.ok(rate <= previous, `non-increasing at ${p}`);
    previous = rate;
  }
});

test('constant: the base rate whatever the progress', () => {
  for (const p of [0, 0.5, 0.99, 1, 2]) close(learningRateAt({ base: 0.003, kind: 'constant' }, p), 0.003, `progress ${p}`);
});

test('learning rate auto: 0.01 at batch 64, with the square root of the batch below it', () => {
  close(learningRateFor(64), 0.01, 'batch 64');
  close(learningRateFor(16), 0.005, 'batch 16');
  close(learningRateFor(8), 0.01 / Math.sqrt(8), 'batch 8');
});

test('planned epochs: the --epochs limit without a pace or a time limit, else what fits in the time left', () => {
  assert.equal(plannedEpochs(100, 0, 0, 600_000), 100, 'no epoch done yet: no pace');
  assert.equal(plannedEpochs(100, 5, 50_000, Infinity), 100, 'no time limit');
  assert.equal(plannedEpochs(100, 5, 50_000, 600_000), 65, '10 s per epoch, 600 s left: 60 more');
  assert.equal(plannedEpochs(40, 5, 50_000, 600_000), 40, 'the limit is nearer than the clock');
  assert.equal(plannedEpochs(100, 5, 50_000, 1_000), 6, 'at least the epoch under way');
});

test('schedule progress: epochs over the plan, or a decay from a stall as long as the run before it', () => {
  assert.equal(scheduleProgress(30, 60, null), 0.5);
  assert.equal(scheduleProgress(48, 67, 48), DECAY_START, 'the decay starts at the stall');
  assert.equal(scheduleProgress(67, 67, 48), 1, 'and ends at the planned end when that comes first');
  assert.equal(scheduleProgress(15, 100, 10), DECAY_START + (1 - DECAY_START) * 0.5, 'else after as many epochs as before the stall');
  assert.equal(scheduleProgress(25, 100, 10), 1);
  assert.equal(scheduleProgress(11, 10, 10), 1, 'a stall at the last planned epoch: decayed within one');
});
