import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { buildLayersModel, setLayersWeights } from '../src/model/layersModel.js';
import type { Architecture } from '../src/model/manifest.js';
import { loadTf } from '../src/tfjs/backend.js';
import { copyWeights, weightArrays } from '../src/train/initialWeights.js';
import { LstmTrainer } from '../src/train/tfjs/lstmTrainer.js';
import { seededRandom } from '../src/random/seededRandom.js';
import type { TokenBatch } from '../src/train/trainingBatches.js';
import { randomWeights } from './helpers/randomModel.js';

const arch: Architecture = { kind: 'char-lstm', vocabSize: 11, embeddingDim: 8, lstmUnits: [16, 12], dropout: 0 };

/** The end-of-record token of these tests: the trainer resets the state where it is the input. */
const EOR = arch.vocabSize - 1;

/**
 * Random windows that, like real ones, hold the end-of-record token only as their first input, so
 * the reset changes nothing and the tf.layers model (which never resets) is a valid reference.
 */
function randomBatch(batchSize: number, steps: number, seed: number): TokenBatch {
  const random = seededRandom(seed);
  const ids = (first: number | null) =>
    Int32Array.from({ length: batchSize * steps }, (_, i) => (first !== null && i % steps === 0 ? first : Math.floor(random() * (arch.vocabSize - 1))));
  return { batchSize, steps, inputs: ids(EOR), targets: ids(null) };
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
  const trainer = new LstmTrainer(tf, copyWeights(weights), { learningRate: 0.01, dropout: 0, random: seededRandom(1), resetToken: EOR });
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
  const trainer = new LstmTrainer(tf, copyWeights(weights), { learningRate: 0.01, dropout: 0, random: seededRandom(1), resetToken: EOR });
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

/** A batch from rows of [input, target] pairs of equal length. */
function batchOf(rows: number[][][]): TokenBatch {
  const steps = rows[0]!.length;
  return {
    batchSize: rows.length,
    steps,
    inputs: Int32Array.from(rows.flatMap((r) => r.map(([input]) => input!))),
    targets: Int32Array.from(rows.flatMap((r) => r.map(([, target]) => target!))),
  };
}

/** [input, target] pairs of a token sequence (targets shifted by one). */
const pairs = (tokens: number[]): number[][] => tokens.slice(0, -1).map((t, i) => [t, tokens[i + 1]!]);

test('a window holding two records trains each as if it had a window of its own (state reset at end-of-record)', async () => {
  const { tf } = await loadTf('wasm');
  const weights = randomWeights(arch.vocabSize, arch.embeddingDim, arch.lstmUnits, 11);
  // Streams as tokenStream makes them: every record between two end-of-record tokens.
  const first = [EOR, 3, 4, 5, EOR];
  const second = [EOR, 6, 7, 8, EOR];
  const third = [EOR, 2, 9, 0, 4, 5, 6, 7, 3];
  // Row 0 packs two records, row 1 has one: only row 0's state may be reset mid-window.
  const packed = batchOf([pairs([...first, ...second.slice(1)]), pairs(third)]);
  assert.equal(packed.inputs[4], EOR, 'the second record starts at step 4 of row 0');
  const parts = [batchOf([pairs(first)]), batchOf([pairs(second)]), batchOf([pairs(third)])];

  const trainer = new LstmTrainer(tf, copyWeights(weights), { learningRate: 0.01, dropout: 0, random: seededRandom(1), resetToken: EOR });
  const whole = trainer.gradients(packed, 0);
  const separate = parts.map((batch) => ({ tokens: batch.batchSize * batch.steps, ...trainer.gradients(batch, 0) }));
  const total = packed.batchSize * packed.steps;

  const expectedLoss = separate.reduce((sum, p) => sum + p.loss * p.tokens, 0) / total;
  assert.ok(Math.abs(whole.loss - expectedLoss) < 1e-5, `loss ${whole.loss} vs ${expectedLoss}`);
  whole.grads.forEach((grad, k) => {
    let worst = 0;
    for (let i = 0; i < grad.length; i++) {
      const expected = separate.reduce((sum, p) => sum + p.grads[k]![i]! * p.tokens, 0) / total;
      worst = Math.max(worst, Math.abs(grad[i]! - expected));
    }
    assert.ok(worst < 1e-5, `gradient ${k} differs by ${worst}`);
  });

  // Without the reset the second record sees the first one's state: the same batch trains differently.
  const running = new LstmTrainer(tf, copyWeights(weights), { learningRate: 0.01, dropout: 0, random: seededRandom(1) });
  assert.ok(Math.abs(running.gradients(packed, 0).loss - whole.loss) > 1e-4, 'the reset makes a difference on this batch');
});
