import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TokenData } from '../src/train/epochSource.js';
import { DECAY_FLOOR } from '../src/train/learningRateSchedule.js';
import { seededRandom } from '../src/random/seededRandom.js';
import type { Trainer } from '../src/train/trainer.js';
import { runTrainingLoop } from '../src/train/trainLoop.js';
import { makeWindows } from '../src/train/trainingBatches.js';
import { randomWeights } from './helpers/randomModel.js';

/** 20 records of 4 tokens (end-of-record 0): windows of 5 tokens, one per record. */
function data(): TokenData {
  const stream = Int32Array.from({ length: 100 }, (_, i) => (i % 5 === 4 ? 0 : 1 + (i % 3)));
  return { stream, windows: makeWindows(stream, 5, 0), records: 20 };
}

/**
 * A trainer whose validation loss follows `valLoss(epoch)` and that records the learning rate of
 * every batch: the loop's schedule and stopping, without a model.
 */
function scriptedTrainer(valLoss: (epoch: number) => number): Trainer & { rates: number[]; epochsEvaluated: number } {
  const batchesPerEpoch = 20 / 4;
  let batches = 0;
  const trainer = {
    weights: randomWeights(4, 2, [2]),
    rates: [] as number[],
    epochsEvaluated: 0,
    trainBatch: () => (batches++, 1),
    setLearningRate: (rate: number) => trainer.rates.push(rate),
    evaluate: (batch: { batchSize: number; steps: number }) => {
      const epoch = Math.ceil(batches / batchesPerEpoch);
      if (epoch > trainer.epochsEvaluated) trainer.epochsEvaluated = epoch;
      return { lossSum: valLoss(epoch) * batch.batchSize * batch.steps, tokens: batch.batchSize * batch.steps };
    },
  };
  return trainer;
}

const settings = (patience: number, schedule: 'decay' | 'constant') => ({ epochs: 100, patience, batchSize: 4, learningRate: { base: 0.01, schedule } });

test('a stall before the decay begins starts the decay; the run stops when it stalls again', async () => {
  // Improves until epoch 10, then never again: 5 epochs of patience end at 15, the decay runs from
  // there for as many epochs as the run so far (to 30), and the second stall ends it at 20.
  const trainer = scriptedTrainer((epoch) => (epoch <= 10 ? 10 - epoch * 0.1 : 9));
  const result = await runTrainingLoop(trainer, { recordsPerEpoch: 20, epoch: () => data() }, data(), settings(5, 'decay'), seededRandom(1), {});
  assert.equal(result.stoppedBy, 'early-stopping');
  assert.equal(result.bestEpoch, 10);
  assert.equal(result.epochs, 20);
  const perEpoch = trainer.rates.length / 20;
  const epochRate = (epoch: number) => trainer.rates[(epoch - 1) * perEpoch]!;
  assert.equal(epochRate(15), 0.01, 'the base rate up to the stall');
  assert.equal(epochRate(16), 0.01, 'the decay starts from the base rate');
  const oneEpochIn = 0.01 * (DECAY_FLOOR + (1 - DECAY_FLOOR) * 0.5 * (1 + Math.cos(Math.PI / 15)));
  assert.ok(Math.abs(epochRate(17) - oneEpochIn) < 1e-12, `one epoch into a 15-epoch decay: ${epochRate(17)}`);
  assert.ok(epochRate(20) < epochRate(18) && epochRate(18) < epochRate(17));
});

test('patience counts again from the start of the planned decay', async () => {
  // 40 epochs planned: the decay begins at epoch 20. Improves until 15; without the restart the run
  // would stop at 25, five epochs into the decay.
  const trainer = scriptedTrainer((epoch) => (epoch <= 15 ? 10 - epoch * 0.1 : 9));
  const result = await runTrainingLoop(trainer, { recordsPerEpoch: 20, epoch: () => data() }, data(), { ...settings(10, 'decay'), epochs: 40 }, seededRandom(1), {});
  assert.deepEqual([result.stoppedBy, result.epochs, result.bestEpoch], ['early-stopping', 30, 15]);
});

test('with a constant rate a stall ends the run as before', async () => {
  const trainer = scriptedTrainer((epoch) => (epoch <= 10 ? 10 - epoch * 0.1 : 9));
  const result = await runTrainingLoop(trainer, { recordsPerEpoch: 20, epoch: () => data() }, data(), settings(5, 'constant'), seededRandom(1), {});
  assert.deepEqual([result.stoppedBy, result.epochs, result.bestEpoch], ['early-stopping', 15, 10]);
  assert.ok(trainer.rates.every((r) => r === 0.01));
});
