import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { createState, type StepKernel } from '../src/engine/kernels/kernel.js';
import { createTfjsKernel } from '../src/engine/kernels/tfjs/tfjsKernel.js';
import { loadModelDirectory } from '../src/model/loadModelDirectory.js';
import { setLayersWeights } from '../src/model/layersModel.js';
import type { ModelWeights } from '../src/model/manifest.js';
import { loadTf, type Tf } from '../src/tfjs/backend.js';
import { randomWeights, writeRandomModel } from './helpers/randomModel.js';

const ROWS = 5;
const STEPS = 50;
const TOLERANCE = 1e-4;

const RECORDS = [
  ['ada lovelace', '1815', 'london'],
  ['grace hopper', '1906', 'new york, ny'],
  ['"quoted" name', '42', 'zürich'],
];

/** Loads the Layers model from the files on disk, as any TF.js tool would. */
async function loadLayersFromDisk(tf: Tf, dir: string): Promise<TF.LayersModel> {
  const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
  const groups = json.weightsManifest as { paths: string[]; weights: TF.io.WeightsManifestEntry[] }[];
  const shards = await Promise.all(groups.flatMap((g) => g.paths).map((p) => readFile(path.join(dir, p))));
  const data = Buffer.concat(shards);
  return tf.loadLayersModel({
    load: async () => ({
      modelTopology: json.modelTopology,
      weightSpecs: groups.flatMap((g) => g.weights),
      weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
    }),
  });
}

function randomSequences(vocabSize: number, seed: number): Int32Array[] {
  let s = seed;
  return Array.from({ length: ROWS }, () =>
    Int32Array.from({ length: STEPS }, () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return (s >>> 8) % vocabSize;
    }),
  );
}

/** Largest |kernel logit - predict logit| over STEPS steps of ROWS rows. */
async function largestLogitDifference(tf: Tf, kernel: StepKernel, model: TF.LayersModel, vocabSize: number, seed: number): Promise<number> {
  const sequences = randomSequences(vocabSize, seed);
  const input = tf.tensor2d(sequences.flatMap((s) => [...s]), [ROWS, STEPS], 'int32');
  const predicted = model.predict(input) as TF.Tensor;
  const expected = predicted.dataSync() as Float32Array; // [ROWS, STEPS, vocab]
  tf.dispose([input, predicted]);

  const state = createState(kernel.units, ROWS);
  const tokens = new Int32Array(ROWS);
  let largest = 0;
  for (let t = 0; t < STEPS; t++) {
    sequences.forEach((s, row) => (tokens[row] = s[t]!));
    const logits = await kernel.step(tokens, state);
    assert.equal(logits.length, ROWS * vocabSize);
    for (let row = 0; row < ROWS; row++) {
      for (let v = 0; v < vocabSize; v++) {
        const diff = Math.abs(logits[row * vocabSize + v]! - expected[(row * STEPS + t) * vocabSize + v]!);
        if (!(diff <= largest)) largest = diff; // NaN propagates as a failure
      }
    }
  }
  return largest;
}

describe('tfjs step kernel (wasm)', () => {
  let tf: Tf;
  const kernels: StepKernel[] = [];
  before(async () => {
    ({ tf } = await loadTf('wasm'));
  });
  after(async () => {
    for (const kernel of kernels) await kernel.dispose();
  });

  for (const [name, embeddingDim, lstmUnits] of [
    ['embedding 16, LSTM [24, 24]', 16, [24, 24]],
    ['embedding 64, LSTM [96, 48, 80] (three layers of unequal width)', 64, [96, 48, 80]],
  ] as const) {
    it(`matches the Layers model's predict from the saved files within ${TOLERANCE} over ${STEPS} steps: ${name}`, async (t) => {
      const dir = await writeRandomModel({ records: RECORDS, embeddingDim, lstmUnits: [...lstmUnits], seed: 5 });
      const { weights } = await loadModelDirectory(dir);
      const kernel = await createTfjsKernel(weights, { batchSize: ROWS, backend: 'wasm' });
      kernels.push(kernel);
      const model = await loadLayersFromDisk(tf, dir);
      const largest = await largestLogitDifference(tf, kernel, model, weights.vocabSize, 17);
      model.dispose();
      assert.ok(largest <= TOLERANCE, `largest logit difference ${largest}`);
      t.diagnostic(`largest logit difference ${largest}`);
    });
  }

  it('matches a Layers LSTM whose gates use sigmoid when told to', async () => {
    const weights: ModelWeights = randomWeights(30, 12, [20, 16], 9);
    const model = tf.sequential();
    model.add(tf.layers.embedding({ name: 'embedding', inputDim: 30, outputDim: 12, batchInputShape: [null, null] }));
    model.add(tf.layers.lstm({ name: 'lstm_1', units: 20, returnSequences: true, recurrentActivation: 'sigmoid' }));
    model.add(tf.layers.lstm({ name: 'lstm_2', units: 16, returnSequences: true, recurrentActivation: 'sigmoid' }));
    model.add(tf.layers.dense({ name: 'logits', units: 30 }));
    setLayersWeights(tf, model, weights);
    const kernel = await createTfjsKernel(weights, { batchSize: ROWS, backend: 'wasm', recurrentActivation: 'sigmoid' });
    kernels.push(kernel);
    const largest = await largestLogitDifference(tf, kernel, model, 30, 3);
    model.dispose();
    assert.ok(largest <= TOLERANCE, `largest logit difference ${largest}`);
  });

  it('is caught by the comparison when its gate activation differs from the saved model', async () => {
    const dir = await writeRandomModel({ records: RECORDS, seed: 6 });
    const { weights } = await loadModelDirectory(dir);
    const kernel = await createTfjsKernel(weights, { batchSize: ROWS, backend: 'wasm', recurrentActivation: 'sigmoid' });
    kernels.push(kernel);
    const model = await loadLayersFromDisk(tf, dir);
    const largest = await largestLogitDifference(tf, kernel, model, weights.vocabSize, 17);
    model.dispose();
    assert.ok(largest > 10 * TOLERANCE, `largest logit difference ${largest}`);
  });

  it('reports its backend and sizes, and writes the new state into the caller arrays', async () => {
    const weights = randomWeights(11, 8, [6, 10], 2);
    const kernel = await createTfjsKernel(weights, { batchSize: 3, backend: 'wasm' });
    kernels.push(kernel);
    assert.equal(kernel.backend, 'wasm');
    assert.equal(kernel.batchSize, 3);
    assert.equal(kernel.vocabSize, 11);
    assert.deepEqual(kernel.units, [6, 10]);
    const state = createState(kernel.units, 3);
    const arrays = [...state];
    await kernel.step(Int32Array.from([1, 2, 3]), state);
    assert.ok(state.every((array, i) => array === arrays[i]), 'state arrays replaced instead of written in place');
    assert.ok(state.every((array) => array.some((x) => x !== 0)), 'state not advanced');
  });

  it('gives each row the same logits whatever the other rows hold', async () => {
    const weights = randomWeights(13, 8, [12], 4);
    const kernel = await createTfjsKernel(weights, { batchSize: 4, backend: 'wasm' });
    kernels.push(kernel);
    const run = async (neighbours: number): Promise<Float32Array> => {
      const state = createState(kernel.units, 4);
      let logits: Float32Array = new Float32Array(0);
      for (const token of [3, 1, 4, 1, 5]) logits = await kernel.step(Int32Array.from([token, neighbours, neighbours + 1, 7]), state);
      return logits.slice(0, 13);
    };
    assert.deepEqual(await run(0), await run(9));
  });

  it('rejects a token batch of the wrong size', async () => {
    const kernel = await createTfjsKernel(randomWeights(5, 4, [4], 1), { batchSize: 2, backend: 'wasm' });
    kernels.push(kernel);
    await assert.rejects(kernel.step(new Int32Array(3), createState(kernel.units, 2)), RangeError);
  });

  // Last: it switches the process-wide TF.js backend to cpu.
  it('runs on the pure-JS cpu backend with the same results', async () => {
    const dir = await writeRandomModel({ records: RECORDS, seed: 8 });
    const { weights } = await loadModelDirectory(dir);
    const kernel = await createTfjsKernel(weights, { batchSize: ROWS, backend: 'cpu' });
    kernels.push(kernel);
    assert.equal(kernel.backend, 'cpu');
    const model = await loadLayersFromDisk(tf, dir);
    const largest = await largestLogitDifference(tf, kernel, model, weights.vocabSize, 23);
    model.dispose();
    assert.ok(largest <= TOLERANCE, `largest logit difference ${largest}`);
  });
});
