import type * as TF from '@tensorflow/tfjs';
import { sampleToken } from '../src/engine/sampler.js';
import { setLayersWeights } from '../src/model/layersModel.js';
import type { Architecture, ModelWeights } from '../src/model/manifest.js';
import { loadTf } from '../src/tfjs/backend.js';

export interface NaiveResult {
  tokens: number;
  records: number;
  elapsedMs: number;
  tokensPerSecond: number;
  backend: string;
}

/**
 * Generation the way gretel-synthetics' TensorFlow LSTM generator does it: a stateful Layers model
 * with a fixed batch, one `predict` per step for the whole batch, logits copied out and sampled in
 * the host language, every record of the batch waiting for the longest, states reset per batch.
 * Tokens counted are those of the records (up to and including end-of-record), as synth counts.
 */
export async function runNaiveBaseline(
  weights: ModelWeights,
  arch: Architecture,
  options: { batchSize: number; maxChars: number; endOfRecord: number; minMs: number },
): Promise<NaiveResult> {
  const { tf, backend } = await loadTf('wasm');
  const model = buildStatefulModel(tf, arch, options.batchSize);
  setLayersWeights(tf, model, weights);
  const B = options.batchSize;
  const V = arch.vocabSize;
  let seed = 1;
  const uniform = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  let tokens = 0;
  let records = 0;
  const started = performance.now();
  while (performance.now() - started < options.minMs) {
    model.resetStates();
    const next = new Int32Array(B).fill(options.endOfRecord);
    const done = new Uint8Array(B);
    for (let step = 0; step < options.maxChars && done.some((d) => d === 0); step++) {
      const input = tf.tensor2d(next, [B, 1], 'int32');
      const output = model.predictOnBatch(input) as TF.Tensor;
      const logits = (await output.data()) as Float32Array;
      tf.dispose([input, output]);
      for (let r = 0; r < B; r++) {
        next[r] = sampleToken(logits, r * V, V, 1, uniform());
        if (done[r]) continue;
        tokens++;
        if (next[r] === options.endOfRecord) done[r] = 1;
      }
    }
    records += B;
  }
  const elapsedMs = performance.now() - started;
  model.dispose();
  return { tokens, records, elapsedMs, tokensPerSecond: (tokens * 1000) / elapsedMs, backend };
}

/** The model of buildLayersModel, but stateful with a fixed batch of one-token steps. */
function buildStatefulModel(tf: typeof TF, arch: Architecture, batchSize: number): TF.Sequential {
  const model = tf.sequential();
  // Zero initialisers: the weights are replaced at once, and orthogonal init of 256 x 1024 is slow.
  model.add(tf.layers.embedding({ name: 'embedding', inputDim: arch.vocabSize, outputDim: arch.embeddingDim, batchInputShape: [batchSize, 1] }));
  arch.lstmUnits.forEach((units, i) => {
    model.add(tf.layers.lstm({ name: `lstm_${i + 1}`, units, returnSequences: true, stateful: true, recurrentActivation: 'hardSigmoid', kernelInitializer: 'zeros', recurrentInitializer: 'zeros' }));
  });
  model.add(tf.layers.dense({ name: 'logits', units: arch.vocabSize }));
  return model;
}
