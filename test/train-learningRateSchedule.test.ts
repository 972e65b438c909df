import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DECAY_FLOOR, DECAY_START, LearningRateSchedule, plannedEpochs, STALL_EPOCHS } from '../src/train/learningRateSchedule.js';

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} vs ${expected}`);

test('decay: the base rate for the first half, a cosine down to the floor by the end, never below it', () => {
  const schedule = new LearningRateSchedule({ base: 0.01, kind: 'decay' });
  close(schedule.rateAt(0), 0.01, 'start');
  close(schedule.rateAt(DECAY_START), 0.01, 'decay start');
  close(schedule.rateAt((1 + DECAY_START) / 2), 0.01 * (DECAY_FLOOR + (1 - DECAY_FLOOR) / 2), 'half way down');
  close(schedule.rateAt(1), 0.01 * DECAY_FLOOR, 'end');
  close(schedule.rateAt(1.7), 0.01 * DECAY_FLOOR, 'past the end (an epoch beyond the plan)');
  let previous = Infinity;
  for (let p = 0; p <= 1; p += 0.01) {
    const rate = schedule.rateAt(p);
    assert.ok(rate <= previous, `non-increasing at ${p}`);
    previous = rate;
  }
});

test('decay: a stall of STALL_EPOCHS epochs halves the rate; an improvement resets the count', () => {
  const schedule = new LearningRateSchedule({ base: 0.01, kind: 'decay' });
  for (let i = 0; i < STALL_EPOCHS - 1; i++) schedule.epochEnded(false);
  schedule.epochEnded(true);
  close(schedule.rateAt(0.1), 0.01, 'a stall interrupted by an improvement changes nothing');
  for (let i = 0; i < STALL_EPOCHS; i++) schedule.epochEnded(false);
  close(schedule.rateAt(0.1), 0.005, 'halved once');
  for (let i = 0; i < STALL_EPOCHS; i++) schedule.epochEnded(false);
  close(schedule.rateAt(0.1), 0.0025, 'halved twice');
  close(schedule.rateAt(1), 0.0025 * DECAY_FLOOR, 'the halvings scale the decay too');
});

test('constant: the base rate whatever the progress or the validation loss', () => {
  const schedule = new LearningRateSchedule({ base: 0.003, kind: 'constant' });
  for (let i = 0; i < 10; i++) schedule.epochEnded(false);
  for (const p of [0, 0.5, 0.99, 1, 2]) close(schedule.rateAt(p), 0.003, `progress ${p}`);
});

test('planned epochs: the --epochs limit without a pace or a time limit, else what fits in the time left', () => {
  assert.equal(plannedEpochs(100, 0, 0, 600_000), 100, 'no epoch done yet: no pace');
  assert.equal(plannedEpochs(100, 5, 50_000, Infinity), 100, 'no time limit');
  assert.equal(plannedEpochs(100, 5, 50_000, 600_000), 65, '10 s per epoch, 600 s left: 60 more');
  assert.equal(plannedEpochs(40, 5, 50_000, 600_000), 40, 'the limit is nearer than the clock');
  assert.equal(plannedEpochs(100, 5, 50_000, 1_000), 6, 'at least the epoch under way');
});
