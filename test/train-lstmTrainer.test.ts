import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { buildLayersModel, setLayersWeights } from '../src/model/layersModel.js';
import type { Architecture } from '../src/model/manifest.js';
import { loadTf } from '../src/tfjs/backend.js';
import { copyWeights, weightArrays } from '../src/train/initialWeights.js';
import { LstmTrainer } from '../src/train/lstmTrainer.js';
import { seededRandom } from '../src/train/seededRandom.js';
import type { TokenBatch } from '../src/train/trainingBatches.js';
import { randomWeights } from './helpers/randomModel.js';

const arch: Architecture = { kind: 'char-lstm', vocabSize: 11, embeddingDim: 8, lstmUnits: [16, 12], dropout: 0 };

function randomBatch(batchSize: number, steps: number, seed: number): TokenBatch {
  const random = seededRandom(seed);
  const ids = () => Int32Array.from({ length: batchSize * steps }, () => Math.floor(random() * arch.vocabSize));
  return { batchSize, steps, inputs: ids(), targets: ids() };
}

/** Loss of the tf.layers model (the reference) as Keras computes it: mean sparse CE from logits. */
function layersLoss(tf: typeof TF, model: TF.LayersModel, batch: TokenBatch): TF.Scalar {
  const x = tf.tensor2d(batch.inputs, [batch.batchSize, batch.steps], 'int32');
  const labels = tf.oneHot(tf.tensor1d(batch.targets, 'int32'), arch.vocabSize);
  const logits = (model.apply(x, { training: true }) as TF.Tensor).reshape([-1, arch.vocabSize]);
  return tf.losses.softmaxCrossEntropy(labels, logits) as TF.Scalar;
}

test('the hand-written LSTM gradients equal tf.layers autodiff gradients on the same weights and batch', async () => {
  const { tf } = await loadTf('wasm');
  const weights = randomWeights(arch.vocabSize, arch.embeddingDim, arch.lstmUnits, 7);
  const batch = randomBatch(3, 9, 1);

  // The reference runs on the cpu backend: wasm lacks the gather gradient the Embedding layer needs.
  await tf.setBackend('cpu');
  const model = buildLayersModel(tf, arch);
  setLayersWeights(tf, model, weights);
  const { value, grads } = tf.variableGrads(() => layersLoss(tf, model, batch));
  const expectedLoss = value.dataSync()[0]!;
  const expectedGrads = model.trainableWeights.map((w) => grads[w.originalName ?? w.name]!.dataSync() as Float32Array);
  model.dispose();

  await tf.setBackend('wasm');
  const trainer = new LstmTrainer(tf, copyWeights(weights), { learningRate: 0.01, dropout: 0, random: seededRandom(1) });
  const actual = trainer.gradients(batch, 0);

  assert.ok(Math.abs(actual.loss - expectedLoss) < 1e-5, `loss ${actual.loss} vs ${expectedLoss}`);
  assert.equal(actual.grads.length, expectedGrads.length);
  actual.grads.forEach((grad, k) => {
    const expected = expectedGrads[k]!;
    assert.equal(grad.length, expected.length, `gradient ${k} size`);
    let worst = 0;
    for (let i = 0; i < grad.length; i++) worst = Math.max(worst, Math.abs(grad[i]! - expected[i]!));
    assert.ok(worst < 1e-5, `gradient ${k} (${model.trainableWeights[k]!.name}) differs by ${worst}`);
  });
});

test('five RMSprop steps of the trainer give the same losses as tf.layers with tf.train.rmsprop(0.01)', async () => {
  const { tf } = await loadTf('wasm');
  const weights = randomWeights(arch.vocabSize, arch.embeddingDim, arch.lstmUnits, 3);
  // The same batch five times, so the loss must fall: the comparison is not of two stuck models.
  const batch = randomBatch(4, 10, 1);
  const batches = [batch, batch, batch, batch, batch];

  await tf.setBackend('cpu');
  const model = buildLayersModel(tf, arch);
  setLayersWeights(tf, model, weights);
  const optimizer = tf.train.rmsprop(0.01);
  const expected = batches.map((batch) => optimizer.minimize(() => layersLoss(tf, model, batch), true)!.dataSync()[0]!);
  const finalExpected = model.getWeights().map((t) => t.dataSync() as Float32Array);
  model.dispose();

  await tf.setBackend('wasm');
  const trainer = new LstmTrainer(tf, copyWeights(weights), { learningRate: 0.01, dropout: 0, random: seededRandom(1) });
  const actual = batches.map((batch) => trainer.trainBatch(batch));

  actual.forEach((loss, i) => assert.ok(Math.abs(loss - expected[i]!) < 1e-4, `step ${i}: loss ${loss} vs ${expected[i]}`));
  assert.ok(expected[4]! < expected[0]!, 'the reference itself learns, so the comparison is not vacuous');
  weightArrays(trainer.weights).forEach((values, k) => {
    let worst = 0;
    for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(values[i]! - finalExpected[k]![i]!));
    assert.ok(worst < 1e-4, `weight ${k} after 5 steps differs by ${worst}`);
  });
});

test('dropout changes the training loss but evaluation ignores it', async () => {
  const { tf } = await loadTf('wasm');
  const weights = randomWeights(arch.vocabSize, arch.embeddingDim, arch.lstmUnits, 5);
  const batch = randomBatch(2, 6, 9);
  const trainer = new LstmTrainer(tf, copyWeights(weights), { learningRate: 0.01, dropout: 0.5, random: seededRandom(2) });
  const withDropout = trainer.gradients(batch, 0.5).loss;
  const without = trainer.gradients(batch, 0).loss;
  const evaluated = trainer.evaluate(batch);
  assert.notEqual(withDropout, without);
  assert.ok(Math.abs(evaluated.lossSum / evaluated.tokens - without) < 1e-6);
});
