import os from 'node:os';
import type * as TF from '@tensorflow/tfjs';
import { buildLayersModel } from '../src/model/layersModel.js';
import type { Architecture } from '../src/model/manifest.js';
import { loadTf, type Tf } from '../src/tfjs/backend.js';
import { initialWeights } from '../src/train/initialWeights.js';
import { LstmTrainer } from '../src/train/lstmTrainer.js';
import { seededRandom, type Random } from '../src/train/seededRandom.js';
import type { TokenBatch } from '../src/train/trainingBatches.js';

/**
 * `npm run bench:train`: training tokens/s on the reference architecture (vocab 100, embedding
 * 256, LSTM 256+256, dropout 0.2, sequence 100, batch 64, RMSprop 0.01) on the wasm backend, for
 * synth's trainer and for the tf.layers model (the same Layers model synth saves) trained with
 * trainOnBatch in the same run. Medians of timed batches after a warm-up batch.
 *
 * The tf.layers model has its embedding frozen: its gradient needs the UnsortedSegmentSum kernel,
 * which the wasm backend lacks. That makes the tf.layers side slightly faster than it could be.
 */
const ARCH: Architecture = { kind: 'char-lstm', vocabSize: 100, embeddingDim: 256, lstmUnits: [256, 256], dropout: 0.2 };
const SEQUENCE = 100;
const BATCH = Number(process.env.BENCH_BATCH ?? 64);
const OURS_TIMED = 5;
const LAYERS_TIMED = 3;

interface Row {
  trainer: string;
  batchSize: number;
  msPerBatch: number;
  tokensPerSecond: number;
}

function randomBatch(random: Random): TokenBatch {
  const ids = () => Int32Array.from({ length: BATCH * SEQUENCE }, () => Math.floor(random() * ARCH.vocabSize));
  return { batchSize: BATCH, steps: SEQUENCE, inputs: ids(), targets: ids() };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeBatches(timed: number, step: () => unknown): Promise<number> {
  await step();
  const times: number[] = [];
  for (let i = 0; i < timed; i++) {
    const start = performance.now();
    await step();
    times.push(performance.now() - start);
  }
  return median(times);
}

function row(trainer: string, ms: number): Row {
  return { trainer, batchSize: BATCH, msPerBatch: Math.round(ms), tokensPerSecond: Math.round((BATCH * SEQUENCE * 1000) / ms) };
}

async function benchOurs(tf: Tf, batch: TokenBatch, random: Random): Promise<Row> {
  const trainer = new LstmTrainer(tf, initialWeights(ARCH, random), { learningRate: 0.01, dropout: ARCH.dropout, random });
  return row('synth LstmTrainer', await timeBatches(OURS_TIMED, () => trainer.trainBatch(batch)));
}

async function benchLayers(tf: Tf, batch: TokenBatch): Promise<Row> {
  const model = buildLayersModel(tf, ARCH);
  model.layers[0]!.trainable = false;
  model.compile({
    optimizer: tf.train.rmsprop(0.01),
    loss: (yTrue: TF.Tensor, yPred: TF.Tensor) => tf.losses.softmaxCrossEntropy(yTrue.reshape([-1, ARCH.vocabSize]), yPred.reshape([-1, ARCH.vocabSize])),
  });
  const x = tf.tensor2d(batch.inputs, [BATCH, SEQUENCE], 'int32');
  const y = tf.oneHot(tf.tensor2d(batch.targets, [BATCH, SEQUENCE], 'int32'), ARCH.vocabSize);
  const ms = await timeBatches(LAYERS_TIMED, () => model.trainOnBatch(x, y));
  tf.dispose([x, y]);
  model.dispose();
  return row('tf.layers trainOnBatch', ms);
}

const { tf, backend } = await loadTf('wasm');
const random = seededRandom(1);
const batch = randomBatch(random);
const rows = [await benchOurs(tf, batch, random), await benchLayers(tf, batch)];
const speedup = rows[0]!.tokensPerSecond / rows[1]!.tokensPerSecond;
// Other jobs on a shared machine slow both sides; the load average puts the numbers in context.
const loadAverage = Number(os.loadavg()[0]!.toFixed(2));

process.stdout.write(`training tokens/s, backend ${backend}, vocab ${ARCH.vocabSize}, embedding ${ARCH.embeddingDim}, LSTM ${ARCH.lstmUnits.join('+')}, sequence ${SEQUENCE}, load average ${loadAverage} on ${os.availableParallelism()} cores\n`);
process.stdout.write(`${'trainer'.padEnd(24)}${'batch'.padStart(6)}${'ms/batch'.padStart(10)}${'tokens/s'.padStart(10)}\n`);
for (const r of rows) {
  process.stdout.write(`${r.trainer.padEnd(24)}${String(r.batchSize).padStart(6)}${String(r.msPerBatch).padStart(10)}${String(r.tokensPerSecond).padStart(10)}\n`);
}
process.stdout.write(`speed-up ${speedup.toFixed(1)}x\n`);
process.stdout.write(`${JSON.stringify({ backend, loadAverage, architecture: ARCH, sequenceLength: SEQUENCE, rows, speedup: Number(speedup.toFixed(2)) })}\n`);
