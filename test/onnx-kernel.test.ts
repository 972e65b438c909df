import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { createState, type StepKernel } from '../src/engine/kernels/kernel.js';
import { createOnnxKernel, type OnnxKernelOptions } from '../src/engine/kernels/onnx/onnxKernel.js';
import { ACTIVATION_LEVELS, ACTIVATION_ZERO_POINT, quantizeColumns } from '../src/engine/kernels/onnx/onnxGraph.js';
import { argmax, sampleToken } from '../src/engine/sampler.js';
import { loadModelDirectory } from '../src/model/loadModelDirectory.js';
import type { ModelWeights } from '../src/model/manifest.js';
import { loadTf, type Tf } from '../src/tfjs/backend.js';
import { randomFloats, writeRandomModel } from './helpers/randomModel.js';

const STEPS = 50;
const BATCH = 5;

/** The directory's own Layers model, read through an IOHandler from model.json + weights.bin. */
async function loadLayersModelFrom(tf: Tf, dir: string): Promise<TF.LayersModel> {
  const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
  const group = json.weightsManifest[0];
  const bytes = await readFile(path.join(dir, group.paths[0]));
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return tf.loadLayersModel({ load: async () => ({ modelTopology: json.modelTopology, weightSpecs: group.weights, weightData }) });
}

/** Token t of row r, reproducible and spread over the vocabulary. */
function tokenSequences(vocabSize: number, batch: number, steps: number): Int32Array[] {
  const noise = randomFloats(batch * steps, 7, 1);
  return Array.from({ length: steps }, (_, t) => Int32Array.from({ length: batch }, (_, r) => Math.floor(Math.abs(noise[t * batch + r]!) * vocabSize) % vocabSize));
}

describe('onnx step kernel', () => {
  let tf: Tf;
  let dir: string;
  let weights: ModelWeights;
  let reference: Float32Array; // [BATCH, STEPS, V] from the Layers model's predict
  let inputs: Int32Array[];

  before(async () => {
    tf = (await loadTf('wasm')).tf;
    dir = await writeRandomModel({ embeddingDim: 16, lstmUnits: [24, 20] });
    weights = (await loadModelDirectory(dir)).weights;
    inputs = tokenSequences(weights.vocabSize, BATCH, STEPS);
    const model = await loadLayersModelFrom(tf, dir);
    const x = tf.tensor2d(Int32Array.from({ length: BATCH * STEPS }, (_, i) => inputs[i % STEPS]![Math.floor(i / STEPS)]!), [BATCH, STEPS], 'int32');
    const y = model.predict(x) as TF.Tensor;
    reference = y.dataSync() as Float32Array;
    tf.dispose([x, y]);
    model.dispose();
  });

  const largestDifference = async (options: OnnxKernelOptions): Promise<number> => {
    const kernel = await createOnnxKernel(weights, options);
    const V = weights.vocabSize;
    const state = createState(kernel.units, BATCH);
    let worst = 0;
    for (let t = 0; t < STEPS; t++) {
      const logits = await kernel.step(inputs[t]!, state);
      for (let r = 0; r < BATCH; r++) {
        for (let v = 0; v < V; v++) worst = Math.max(worst, Math.abs(logits[r * V + v]! - reference[(r * STEPS + t) * V + v]!));
      }
    }
    await kernel.dispose();
    return worst;
  };

  test('its logits match the Layers model predict within 1e-4 over 50 steps of a batch', async () => {
    const worst = await largestDifference({ batchSize: BATCH, threads: 1 });
    assert.ok(worst <= 1e-4, `largest difference ${worst}`);
  });

  test('the ONNX LSTM operator and the unfolded first layer compute the same logits', async () => {
    assert.ok((await largestDifference({ batchSize: BATCH, threads: 1, cell: 'lstm-op' })) <= 1e-4);
    assert.ok((await largestDifference({ batchSize: BATCH, threads: 2, projectEmbedding: false, sampling: false })) <= 1e-4);
  });

  test('the int8 kernel stays within 0.05 of the Layers model logits and names itself onnx-int8', async () => {
    const worst = await largestDifference({ batchSize: BATCH, threads: 1, quantize: true });
    assert.ok(worst > 0 && worst <= 0.05, `largest difference ${worst}`);
    const kernel = await createOnnxKernel(weights, { batchSize: 1, quantize: true });
    assert.equal(kernel.backend, 'onnx-int8');
    await kernel.dispose();
  });

  test('no pair of int8 products can saturate a 16-bit sum (vpmaddubsw on AVX2), so int8 numbers are the same on every CPU', async () => {
    // The bundled model's real weights: the largest pair |a0 w0 + a1 w1| over every possible uint8
    // activation must fit in int16. It would not with 8-bit activations (up to 255), which is what
    // made the int8 kernel drift on AVX2-only CPUs.
    const { weights: bundled } = await loadModelDirectory(path.resolve('fixtures/default-model'));
    const largestActivation = ACTIVATION_ZERO_POINT + ACTIVATION_LEVELS;
    const products: [Float32Array, number, number][] = [
      [bundled.denseKernel, bundled.lstm.at(-1)!.units, bundled.vocabSize],
      ...bundled.lstm.map((l): [Float32Array, number, number] => [l.recurrentKernel, l.units, 4 * l.units]),
    ];
    let widestPair = 0;
    for (const [weight, K, N] of products) {
      const { values } = quantizeColumns(weight, K, N);
      for (let k = 0; k + 1 < K; k += 2) for (let n = 0; n < N; n++) widestPair = Math.max(widestPair, Math.abs(values[k * N + n]!) + Math.abs(values[(k + 1) * N + n]!));
    }
    assert.ok(largestActivation * widestPair <= 32767, `pair sum up to ${largestActivation * widestPair}`);
    assert.ok(255 * widestPair > 32767, 'with 8-bit activations this model would saturate (the check above means something)');
  });

  for (const quantize of [false, true]) {
    test(`a row's logits and state are bit-identical whatever the batch size and thread count${quantize ? ' (int8)' : ''}`, async () => {
      // A batch of 1 may take other code paths in onnxruntime (matrix-vector products) than a batch of 9.
      const small = await createOnnxKernel(weights, { batchSize: 1, threads: 1, quantize });
      const large = await createOnnxKernel(weights, { batchSize: 9, threads: 2, quantize });
      const V = weights.vocabSize;
      const smallState = createState(small.units, 1);
      const largeState = createState(large.units, 9);
      for (let t = 0; t < 20; t++) {
        // The single row and row 6 of the large batch read the same tokens.
        const token = inputs[t]![0]!;
        const a = await small.step(Int32Array.from([token]), smallState);
        const b = await large.step(Int32Array.from({ length: 9 }, (_, r) => (r === 6 ? token : inputs[t]![r % BATCH]!)), largeState);
        assert.deepEqual(a.slice(0, V), b.slice(6 * V, 7 * V), `logits differ at step ${t}`);
        assert.deepEqual(smallState[3]!.slice(0, 20), largeState[3]!.slice(6 * 20, 7 * 20), `state differs at step ${t}`);
      }
      await small.dispose();
      await large.dispose();
    });
  }

  test('stepSample draws the tokens the JS sampler draws from the same logits, and argmax at temperature 0', async () => {
    const B = 64;
    const kernel = await createOnnxKernel(weights, { batchSize: B, threads: 1 });
    assert.ok(kernel.stepSample, 'the onnx kernel samples in the graph');
    const V = weights.vocabSize;
    const state = createState(kernel.units, B);
    let compared = 0;
    let boundaryMismatches = 0;
    for (let t = 0; t < 30; t++) {
      const tokens = Int32Array.from({ length: B }, (_, r) => (t * 7 + r * 3) % V);
      const uniforms = Float32Array.from(randomFloats(B, 100 + t, 1), (u) => Math.floor(Math.abs(u) * 2 ** 24) / 2 ** 24);
      const temperature = [0, 0.3, 1, 1.7][t % 4]!;
      const before = state.map((a) => a.slice());
      const logits = (await kernel.step(tokens, before)).slice();
      const sampled = await kernel.stepSample(tokens, state, uniforms, temperature);
      state.forEach((a, i) => assert.deepEqual(a, before[i], 'stepSample leaves the same state as step'));
      for (let r = 0; r < B; r++) {
        compared++;
        const expected = temperature === 0 ? argmax(logits, r * V, V) : sampleToken(logits, r * V, V, temperature, uniforms[r]!);
        if (sampled[r] === expected) continue;
        assert.notEqual(temperature, 0, `argmax differs in row ${r}`);
        // float32 in the graph vs float64 in JS: only a uniform on a CDF boundary may fall either way.
        assert.ok(onBoundary(logits.subarray(r * V, (r + 1) * V), temperature, uniforms[r]!, 1e-5), `row ${r} step ${t}: ${sampled[r]} vs ${expected}`);
        boundaryMismatches++;
      }
    }
    assert.ok(boundaryMismatches <= compared / 100, `${boundaryMismatches} of ${compared} draws differ`);
    await kernel.dispose();
  });

  test('a masked stepSample reads the caller\'s mask as it is at each call, and no mask means none', async () => {
    const B = 4;
    const V = weights.vocabSize;
    const kernel = await createOnnxKernel(weights, { batchSize: B, threads: 1, masked: true });
    const state = createState(kernel.units, B);
    const tokens = new Int32Array(B);
    // A masked kernel's plain step works before any mask was given (start states use it).
    assert.equal((await kernel.step(tokens, createState(kernel.units, B))).length, B * V);
    const uniforms = Float32Array.from({ length: B }, (_, r) => (r + 0.5) / B);
    const mask = new Float32Array(B * V);
    const only = (token: number): void => {
      mask.fill(-Infinity);
      for (let r = 0; r < B; r++) mask[r * V + token] = 0;
    };
    // The kernel feeds this array itself: rewriting it between calls must change what is drawn.
    for (const token of [1, V - 1, 2]) {
      only(token);
      assert.deepEqual([...(await kernel.stepSample!(tokens, state, uniforms, 1, mask))], new Array(B).fill(token));
    }
    // Without a mask nothing is masked (not the last mask given): argmax of the plain logits.
    const logits = (await kernel.step(tokens, state.map((a) => a.slice()))).slice();
    const unmasked = [...(await kernel.stepSample!(tokens, state, uniforms, 0))];
    assert.deepEqual(unmasked, Array.from({ length: B }, (_, r) => argmax(logits, r * V, V)));
    await kernel.dispose();
  });
});

/** Whether u lies within `tolerance` of a boundary of the categorical CDF of softmax(logits / T). */
function onBoundary(logits: Float32Array, temperature: number, u: number, tolerance: number): boolean {
  const max = Math.max(...logits);
  const weights = Array.from(logits, (l) => Math.exp((l - max) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  return weights.some((w) => Math.abs((cumulative += w) / total - u) <= tolerance);
}
