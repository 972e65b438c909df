import os from 'node:os';
import type * as TF from '@tensorflow/tfjs';
import { buildLayersModel } from '../src/model/layersModel.js';
import type { Architecture } from '../src/model/manifest.js';
import { loadTf, type Tf } from '../src/tfjs/backend.js';
import { initialWeights } from '../src/train/initialWeights.js';
import { LstmTrainer } from '../src/train/tfjs/lstmTrainer.js';
import { loadOrt } from '../src/onnx/loadOrt.js';
import { OnnxTrainer } from '../src/train/onnx/onnxTrainer.js';
import { seededRandom, type Random } from '../src/random/seededRandom.js';
import type { TokenBatch } from '../src/train/trainingBatches.js';

/**
 * `npm run bench:train`: training tokens/s on the reference architecture (vocab 100, embedding
 * 256, LSTM 256+256, dropout 0.2, sequence 100, batch 64, RMSprop 0.01): synth's TensorFlow.js
 * trainer on wasm (the reference), the tf.layers model (the same Layers model synth saves) trained
 * with trainOnBatch, and the native onnx trainer with 1 and 2 workers, all in the same run; then a
 * large float32 MatMul in onnxruntime on all cores as the machine's ceiling, each row's share of it
 * ((tokens/s × FLOP per token) / ceiling) and the onnx trainer's speed-up over the reference.
 * Medians of timed batches after a warm-up batch. BENCH_CHUNKS=1,10,20 adds onnx rows per
 * recurrent chunk length (2 workers); BENCH_LAYERS=0 skips the slow tf.layers row.
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
  /** Share of the MatMul ceiling, filled in once it is measured. */
  ceilingShare?: number;
}

/** Training FLOP per token: forward multiply-adds of every product, ×2 for FLOP, ×3 for forward + backward. */
function flopPerToken(arch: Architecture): number {
  let macs = 0;
  let inputDim = arch.embeddingDim;
  for (const H of arch.lstmUnits) {
    macs += inputDim * 4 * H + H * 4 * H;
    inputDim = H;
  }
  macs += inputDim * arch.vocabSize;
  return 2 * 3 * macs;
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

async function benchOnnx(batch: TokenBatch, random: Random, workers: number, chunk?: number): Promise<Row> {
  const trainer = await OnnxTrainer.create(initialWeights(ARCH, random), { learningRate: 0.01, dropout: ARCH.dropout, random, resetToken: 0, workers, chunk, processTuning: true });
  try {
    const label = `onnx, ${workers} worker${workers > 1 ? 's' : ''}${chunk ? `, chunk ${chunk}` : ''}`;
    return row(label, await timeBatches(OURS_TIMED, () => trainer.trainBatch(batch)));
  } finally {
    await trainer.dispose();
  }
}

/** GFLOP/s of a 2048³ float32 MatMul in onnxruntime with one intra-op thread per core (median of 5). */
async function matMulCeiling(): Promise<number> {
  const ort = await loadOrt();
  const { ElementType, GraphBuilder } = await import('../src/onnx/graphBuilder.js');
  const N = 2048;
  const g = new GraphBuilder();
  g.op('MatMul', [g.input('a', ElementType.float, [N, N]), g.input('b', ElementType.float, [N, N])], [], 'c');
  g.output('c', ElementType.float, [N, N]);
  const session = await ort.InferenceSession.create(g.encode('ceiling', { '': 17 }), { intraOpNumThreads: os.availableParallelism() });
  const random = seededRandom(5);
  const a = new ort.Tensor('float32', Float32Array.from({ length: N * N }, () => random() - 0.5), [N, N]);
  const b = new ort.Tensor('float32', Float32Array.from({ length: N * N }, () => random() - 0.5), [N, N]);
  const c = new ort.Tensor('float32', new Float32Array(N * N), [N, N]);
  const ms = await timeBatches(5, () => session.run({ a, b }, { c }));
  await session.release();
  return (2 * N ** 3) / (ms * 1e6);
}

const { tf, backend } = await loadTf('wasm');
const random = seededRandom(1);
const batch = randomBatch(random);
const reference = await benchOurs(tf, batch, random);
const rows = [reference];
if (process.env.BENCH_LAYERS !== '0') rows.push(await benchLayers(tf, batch));
const onnxRows = [await benchOnnx(batch, random, 1), await benchOnnx(batch, random, 2)];
for (const chunk of (process.env.BENCH_CHUNKS ?? '').split(',').filter(Boolean).map(Number)) onnxRows.push(await benchOnnx(batch, random, 2, chunk));
rows.push(...onnxRows);
const ceilingGflops = await matMulCeiling();
const flop = flopPerToken(ARCH);
for (const r of rows) r.ceilingShare = Number(((r.tokensPerSecond * flop) / (ceilingGflops * 1e9)).toFixed(3));
const bestOnnx = onnxRows.reduce((best, r) => (r.tokensPerSecond > best.tokensPerSecond ? r : best));
const onnxSpeedup = bestOnnx.tokensPerSecond / reference.tokensPerSecond;
const layersRow = rows.find((r) => r.trainer.startsWith('tf.layers'));
const speedup = layersRow ? reference.tokensPerSecond / layersRow.tokensPerSecond : null;
// Other jobs on a shared machine slow both sides; the load average puts the numbers in context.
const loadAverage = Number(os.loadavg()[0]!.toFixed(2));

process.stdout.write(`training tokens/s, backend ${backend}, vocab ${ARCH.vocabSize}, embedding ${ARCH.embeddingDim}, LSTM ${ARCH.lstmUnits.join('+')}, sequence ${SEQUENCE}, load average ${loadAverage} on ${os.availableParallelism()} cores\n`);
process.stdout.write(`${'trainer'.padEnd(28)}${'batch'.padStart(6)}${'ms/batch'.padStart(10)}${'tokens/s'.padStart(10)}${'ceiling'.padStart(9)}\n`);
for (const r of rows) {
  const share = `${(r.ceilingShare! * 100).toFixed(1)}%`;
  process.stdout.write(`${r.trainer.padEnd(28)}${String(r.batchSize).padStart(6)}${String(r.msPerBatch).padStart(10)}${String(r.tokensPerSecond).padStart(10)}${share.padStart(9)}\n`);
}
process.stdout.write(`ceiling: 2048x2048x2048 float32 MatMul in onnxruntime on ${os.availableParallelism()} threads, ${ceilingGflops.toFixed(1)} GFLOP/s; ${(flop / 1e6).toFixed(2)} MFLOP per training token\n`);
if (speedup !== null) process.stdout.write(`reference trainer vs tf.layers: ${speedup.toFixed(1)}x\n`);
process.stdout.write(`onnx trainer (${bestOnnx.trainer}) vs the reference trainer: ${onnxSpeedup.toFixed(1)}x (target 4x: ${onnxSpeedup >= 4 ? 'met' : 'not met'})\n`);
process.stdout.write(
  `${JSON.stringify({ backend, loadAverage, architecture: ARCH, sequenceLength: SEQUENCE, rows, ceilingGflops: Number(ceilingGflops.toFixed(1)), flopPerToken: flop, onnxSpeedup: Number(onnxSpeedup.toFixed(2)), speedup: speedup === null ? null : Number(speedup.toFixed(2)) })}\n`,
);
