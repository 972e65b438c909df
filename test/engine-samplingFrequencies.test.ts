import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, test } from 'node:test';
import { createState } from '../src/engine/kernels/kernel.js';
import { createOnnxKernel } from '../src/engine/kernels/onnx/onnxKernel.js';
import { candidateStream } from '../src/engine/rng.js';
import { sampleToken } from '../src/engine/sampler.js';
import { CharTokenizer } from '../src/tokenizer/charTokenizer.js';
import { loadModelDirectory } from '../src/model/loadModelDirectory.js';
import type { ModelWeights } from '../src/model/manifest.js';

/**
 * At temperature T the samplers must draw tokens with the frequencies softmax(logits / T) gives:
 * a sampler that is off (a wrong temperature, a bias at cumulative boundaries) shifts categorical
 * fields away from the data however well the model learned them. Checked with a chi-square
 * goodness-of-fit test over the first sampled token of a record (the bundled model writes age
 * first, one value token of 62 ages) on the bundled
 * model, for the JS sampler (which draws every record's first token) and the in-graph sampler of
 * the onnx kernel (every later one), both from the same logits.
 */

const MODEL_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'default-model');
const DRAWS = 40_000;
const BATCH = 250;
const SEED = 20261125;

/** Upper tail of the standard normal, from erfc (Numerical Recipes' erfcc, |error| < 1.2e-7). */
function normalUpperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** P(X >= statistic) for chi-square with df degrees of freedom (Wilson–Hilferty; good for df >= 3). */
function chiSquarePValue(statistic: number, df: number): number {
  const v = 2 / (9 * df);
  return normalUpperTail((Math.cbrt(statistic / df) - (1 - v)) / Math.sqrt(v));
}

/**
 * Pearson's chi-square of observed counts against probabilities; tokens expected fewer than 5 times
 * are pooled into one cell, as the test needs.
 */
function goodnessOfFit(counts: ArrayLike<number>, probabilities: ArrayLike<number>, draws: number): { statistic: number; df: number; pValue: number } {
  let statistic = 0;
  let cells = 0;
  let pooledObserved = 0;
  let pooledExpected = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const expected = probabilities[i]! * draws;
    if (expected < 5) {
      pooledObserved += counts[i]!;
      pooledExpected += expected;
      continue;
    }
    statistic += (counts[i]! - expected) ** 2 / expected;
    cells++;
  }
  if (pooledExpected > 0) {
    statistic += (pooledObserved - pooledExpected) ** 2 / Math.max(pooledExpected, 1e-12);
    cells++;
  }
  const df = cells - 1;
  return { statistic, df, pValue: chiSquarePValue(statistic, df) };
}

function softmax(logits: ArrayLike<number>, vocabSize: number, temperature: number): Float64Array {
  const out = new Float64Array(vocabSize);
  let max = -Infinity;
  for (let i = 0; i < vocabSize; i++) max = Math.max(max, logits[i]!);
  let total = 0;
  for (let i = 0; i < vocabSize; i++) total += out[i] = Math.exp((logits[i]! - max) / temperature);
  for (let i = 0; i < vocabSize; i++) out[i]! /= total;
  return out;
}

describe('sampling frequencies of the bundled model (chi-square over the first sampled token of a record: age)', () => {
  let weights: ModelWeights;
  let endOfRecord: number;
  let startLogits: Float32Array;
  /** State before the last prefix token, and that token: stepping it gives startLogits. */
  let prefixState: Float32Array[];
  let lastToken: number;

  before(async () => {
    const model = await loadModelDirectory(MODEL_DIR);
    weights = model.weights;
    endOfRecord = model.manifest.tokenizer.endOfRecord;
    const tokenizer = new CharTokenizer(model.manifest.tokenizer);
    assert.ok(tokenizer.valueTokensOf(tokenizer.fieldAt(0)), 'the bundled model starts a record with a value-token field');
    // Where generation starts sampling: after end-of-record and the token that opens the first field.
    const ids = [endOfRecord, ...tokenizer.encodeStart([]).prefix];
    const kernel = await createOnnxKernel(weights, { batchSize: 1, threads: 1 });
    const state = createState(kernel.units, 1);
    for (const id of ids.slice(0, -1)) await kernel.step(Int32Array.of(id), state);
    prefixState = state.map((a) => a.slice());
    lastToken = ids[ids.length - 1]!;
    startLogits = (await kernel.step(Int32Array.of(lastToken), state)).slice(0, weights.vocabSize);
    await kernel.dispose();
  });

  const jsCounts = (temperature: number): Float64Array => {
    const V = weights.vocabSize;
    const counts = new Float64Array(V);
    for (let k = 0; k < DRAWS; k++) counts[sampleToken(startLogits, 0, V, temperature, candidateStream(SEED, k)())]!++;
    return counts;
  };

  const inGraphCounts = async (temperature: number): Promise<Float64Array> => {
    const V = weights.vocabSize;
    const kernel = await createOnnxKernel(weights, { batchSize: BATCH, threads: 1 });
    const counts = new Float64Array(V);
    const tokens = new Int32Array(BATCH).fill(lastToken);
    // Every row starts from the prefix state, so every draw comes from the same logits.
    const rowsOfPrefixState = () => prefixState.map((a) => { const rows = new Float32Array(a.length * BATCH); for (let r = 0; r < BATCH; r++) rows.set(a, r * a.length); return rows; });
    const uniforms = new Float32Array(BATCH);
    for (let round = 0; round < DRAWS / BATCH; round++) {
      for (let row = 0; row < BATCH; row++) uniforms[row] = candidateStream(SEED, round * BATCH + row)();
      const sampled = await kernel.stepSample!(tokens, rowsOfPrefixState(), uniforms, temperature);
      for (const token of sampled) counts[token]!++;
    }
    await kernel.dispose();
    return counts;
  };

  for (const temperature of [1, 0.7]) {
    test(`the JS sampler draws softmax(logits / ${temperature}) frequencies`, (t) => {
      const fit = goodnessOfFit(jsCounts(temperature), softmax(startLogits, weights.vocabSize, temperature), DRAWS);
      t.diagnostic(`chi-square ${fit.statistic.toFixed(1)} on ${fit.df} df, p = ${fit.pValue.toFixed(3)}`);
      assert.ok(fit.pValue > 1e-4, `chi-square ${fit.statistic.toFixed(1)} on ${fit.df} df, p = ${fit.pValue.toExponential(2)}`);
    });

    test(`the onnx in-graph sampler draws softmax(logits / ${temperature}) frequencies`, async (t) => {
      const fit = goodnessOfFit(await inGraphCounts(temperature), softmax(startLogits, weights.vocabSize, temperature), DRAWS);
      t.diagnostic(`chi-square ${fit.statistic.toFixed(1)} on ${fit.df} df, p = ${fit.pValue.toFixed(3)}`);
      assert.ok(fit.pValue > 1e-4, `chi-square ${fit.statistic.toFixed(1)} on ${fit.df} df, p = ${fit.pValue.toExponential(2)}`);
    });
  }

  test('the test has the power to see a sampler that is off: draws at temperature 1 against the probabilities at 1.15', () => {
    const fit = goodnessOfFit(jsCounts(1), softmax(startLogits, weights.vocabSize, 1.15), DRAWS);
    assert.ok(fit.pValue < 1e-6, `chi-square ${fit.statistic.toFixed(1)} on ${fit.df} df, p = ${fit.pValue.toExponential(2)}`);
  });

  test('the p-value approximation matches known chi-square quantiles', () => {
    // Upper 5% and 0.1% points of chi-square with 10 and 30 degrees of freedom.
    assert.ok(Math.abs(chiSquarePValue(18.307, 10) - 0.05) < 0.002);
    assert.ok(Math.abs(chiSquarePValue(43.773, 30) - 0.05) < 0.002);
    assert.ok(Math.abs(chiSquarePValue(29.588, 10) - 0.001) < 0.0003);
  });
});
