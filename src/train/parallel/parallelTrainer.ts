import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ModelWeights } from '../../model/manifest.js';
import { weightArrays } from '../initialWeights.js';
import { DEFAULT_CHUNK, loadOrt, type NetworkShape } from '../onnx/gradientSession.js';
import { allowTransferInNewThreads } from '../onnx/outputCopies.js';
import { Rmsprop } from '../rmsprop.js';
import type { Random } from '../seededRandom.js';
import type { Trainer } from '../trainer.js';
import type { TokenBatch } from '../trainingBatches.js';
import { parameterSpans, viewParameters } from './flatParameters.js';
import { optimizeOnOwnThread } from './optimizeOnOwnThread.js';
import type { ShareRequest, TrainWorkerReply, TrainWorkerSetup } from './messages.js';

export interface ParallelTrainerOptions {
  learningRate: number;
  dropout: number;
  random: Random;
  /** End-of-record token: the state is reset where it is the input (see lstmLayer's KeepMask). */
  resetToken?: number;
  /** Worker threads; default one per core. */
  workers?: number;
  /** Intra-op threads per worker; default the cores divided among the workers, at least 1. */
  threadsPerWorker?: number;
  /** Recurrent steps per graph (gradientSession.ts). */
  chunk?: number;
  /** Memory a worker's graphs may take for one pass over rows of its share (sharePasses.ts). */
  passBytes?: number;
  /** Set V8 flags for the workers and let them force collections (TrainOptions.processTuning). */
  processTuning?: boolean;
}

/**
 * The graphs' per-pass budget: at the default shape (~2.1 MB per row over a window of 100) a
 * 32-row share runs as two passes of 16, and one worker's 64-row share as four. Measured on the
 * 30 MB table (2 workers, batch 64): peak RSS of synth train 555 MB in one pass per share, 482 MB
 * in two. Speed: five interleaved A/B runs on the shared 2-core machine gave two passes 0.88–1.21×
 * the time of one (median of the runs' medians 1.03); four passes were 1.07–1.12× and eight 1.5×,
 * so the budget stops at two. (It was 48 MB while bytesPerRow also counted a window-long gate
 * array; kept at 48 MB, one worker's share ran as three passes of ~21 rows: ~20 MB more.)
 */
export const DEFAULT_PASS_BYTES = 40e6;

interface WorkerState {
  worker: Worker;
  pending: ((reply: TrainWorkerReply) => void) | null;
  /** Reused SharedArrayBuffer-backed inputs, grown as needed. */
  inputs: { ids: Int32Array; targets: Int32Array; keep: Float32Array; masks: Uint8Array[] } | null;
}

/**
 * The native trainer: the batch is split into one share of rows per worker thread, each runs the
 * ONNX training graphs on its share and writes its gradient into its slot of a shared buffer, and
 * the main thread sums the slots in worker order and applies the reference trainer's RMSprop
 * (rmsprop.ts) in place to the shared weights, which the workers read at their next share.
 * Dropout masks are drawn here, from the one seeded stream, in the reference trainer's order, so a
 * seed gives the same masks for any worker count; with the same worker count a run is bit-identical.
 *
 * Why the update is not an ONNX graph (it was): onnxruntime-node refuses SharedArrayBuffer tensors
 * and its outputs may not alias inputs, so the graph needed a private copy of the weights, a copy
 * of each gradient slot and two output arrays (6 × 4.8 MB at the default shape), and the binding
 * copies every output into a fresh ArrayBuffer on each run (9.6 MB of garbage per batch). In place
 * in JavaScript it needs only the mean squares; the sum and the step take ~6 ms per batch at the
 * default shape (1.2 million weights), against the batch's 300–700 ms on 2 cores.
 */
export class ParallelTrainer implements Trainer {
  /** Views of the shared weights: updated in place by each step. */
  readonly weights: ModelWeights;
  readonly workerCount: number;
  private readonly gradients: Float32Array;
  /** Views of slot 0 of `gradients`, where the slots are summed, in weightArrays order. */
  private readonly summedGradients: Float32Array[];
  private readonly optimizer: Rmsprop;
  private readonly parameters: number;

  private constructor(
    private readonly shape: NetworkShape,
    private readonly options: ParallelTrainerOptions,
    private readonly workers: WorkerState[],
    buffers: { weights: SharedArrayBuffer; gradients: SharedArrayBuffer },
  ) {
    this.parameters = parameterSpans(shape).reduce((n, s) => n + s.length, 0);
    this.weights = viewParameters(shape, buffers.weights);
    this.gradients = new Float32Array(buffers.gradients);
    this.summedGradients = weightArrays(viewParameters(shape, buffers.gradients));
    this.optimizer = new Rmsprop(weightArrays(this.weights), options.learningRate);
    this.workerCount = workers.length;
  }

  setLearningRate(learningRate: number): void {
    this.optimizer.learningRate = learningRate;
  }

  static async create(initial: ModelWeights, options: ParallelTrainerOptions): Promise<ParallelTrainer> {
    // Loaded here only to fail early (and let `auto` fall back) when onnxruntime cannot load.
    await loadOrt();
    const shape: NetworkShape = { vocabSize: initial.vocabSize, embeddingDim: initial.embeddingDim, units: initial.lstm.map((l) => l.units) };
    const count = Math.max(1, options.workers ?? os.availableParallelism());
    const threads = options.threadsPerWorker ?? Math.max(1, Math.floor(os.availableParallelism() / count));
    const parameters = parameterSpans(shape).reduce((n, s) => n + s.length, 0);
    const weights = new SharedArrayBuffer(parameters * 4);
    const flat = new Float32Array(weights);
    let offset = 0;
    for (const array of weightArrays(initial)) {
      flat.set(array, offset);
      offset += array.length;
    }
    const gradients = new SharedArrayBuffer(count * parameters * 4);
    const processTuning = options.processTuning === true;
    if (processTuning) {
      optimizeOnOwnThread();
      allowTransferInNewThreads();
    }
    const passBytes = options.passBytes ?? DEFAULT_PASS_BYTES;
    const states = await Promise.all(
      Array.from({ length: count }, (_, slot) => startWorker({ shape, weights, gradients, slot, threads, chunk: options.chunk ?? DEFAULT_CHUNK, passBytes, processTuning })),
    );
    return new ParallelTrainer(shape, options, states, { weights, gradients });
  }

  async trainBatch(batch: TokenBatch): Promise<number> {
    const tokens = batch.batchSize * batch.steps;
    const lossSum = await this.runShares(batch, this.options.dropout, 1 / tokens);
    // Every worker has replied, so the slots and weights are this thread's until the next share.
    const P = this.parameters;
    const slots = this.gradients;
    for (let k = 1; k < this.workers.length; k++) {
      for (let i = 0, j = k * P; i < P; i++, j++) slots[i] += slots[j]!;
    }
    this.optimizer.step(this.summedGradients);
    return lossSum / tokens;
  }

  async evaluate(batch: TokenBatch): Promise<{ lossSum: number; tokens: number }> {
    return { lossSum: await this.runShares(batch, 0, null), tokens: batch.batchSize * batch.steps };
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  /** Sends each worker its rows (time-major), waits for all, and sums the losses in worker order. */
  private async runShares(batch: TokenBatch, dropout: number, scale: number | null): Promise<number> {
    const B = batch.batchSize;
    const T = batch.steps;
    const W = this.workers.length;
    const bounds = Array.from({ length: W + 1 }, (_, k) => Math.floor((k * B) / W));
    const shareOf = new Int32Array(B);
    for (let k = 0; k < W; k++) shareOf.fill(k, bounds[k]!, bounds[k + 1]!);
    const withMasks = scale !== null && dropout > 0;
    const inputs = this.workers.map((state, k) => this.shareInputs(state, T * (bounds[k + 1]! - bounds[k]!), withMasks));
    const reset = this.options.resetToken;
    for (let b = 0; b < B; b++) {
      const k = shareOf[b]!;
      const Bk = bounds[k + 1]! - bounds[k]!;
      const local = b - bounds[k]!;
      const share = inputs[k]!;
      for (let t = 0; t < T; t++) {
        const id = batch.inputs[b * T + t]!;
        share.ids[t * Bk + local] = id;
        share.targets[t * Bk + local] = batch.targets[b * T + t]!;
        share.keep[t * Bk + local] = id === reset ? 0 : 1;
      }
    }
    if (withMasks) this.drawMasks(inputs, bounds, shareOf, T, B, dropout);

    const replies = await Promise.all(
      this.workers.map((state, k) => {
        const Bk = bounds[k + 1]! - bounds[k]!;
        if (Bk === 0) {
          if (scale !== null) this.gradients.fill(0, k * this.parameters, (k + 1) * this.parameters);
          return Promise.resolve<TrainWorkerReply>({ ok: true, lossSum: 0 });
        }
        const share = inputs[k]!;
        const request: ShareRequest = {
          steps: T,
          batchSize: Bk,
          ids: share.ids.subarray(0, T * Bk),
          targets: share.targets.subarray(0, T * Bk),
          keep: share.keep.subarray(0, T * Bk),
          masks: withMasks ? share.masks.map((m, l) => m.subarray(0, T * Bk * this.shape.units[l]!)) : null,
          maskScale: 1 / (1 - dropout),
          scale,
        };
        return ask(state, request);
      }),
    );
    let lossSum = 0;
    for (const reply of replies) {
      if (!reply.ok) throw new Error(`a training worker failed: ${reply.error}`);
      lossSum += reply.lossSum;
    }
    return lossSum;
  }

  /**
   * Inverted-dropout masks, drawn in the reference trainer's order: layer, then row t*B + b, then
   * unit; stored as bytes (1 keep, 0 drop), the graphs scale them by 1/(1 − rate).
   */
  private drawMasks(inputs: WorkerState['inputs'][], bounds: number[], shareOf: Int32Array, T: number, B: number, rate: number): void {
    const random = this.options.random;
    this.shape.units.forEach((H, l) => {
      for (let t = 0; t < T; t++) {
        for (let b = 0; b < B; b++) {
          const k = shareOf[b]!;
          const Bk = bounds[k + 1]! - bounds[k]!;
          const mask = inputs[k]!.masks[l]!;
          const base = (t * Bk + b - bounds[k]!) * H;
          for (let j = 0; j < H; j++) mask[base + j] = random() >= rate ? 1 : 0;
        }
      }
    });
  }

  private shareInputs(state: WorkerState, rows: number, withMasks: boolean): NonNullable<WorkerState['inputs']> {
    const current = state.inputs;
    const fits = current && current.ids.length >= rows && (!withMasks || current.masks.length > 0);
    if (fits) return current;
    const size = Math.max(rows, current?.ids.length ?? 0);
    const shared = <T>(make: (buffer: SharedArrayBuffer) => T, bytes: number) => make(new SharedArrayBuffer(bytes));
    state.inputs = {
      ids: shared((b) => new Int32Array(b), size * 4),
      targets: shared((b) => new Int32Array(b), size * 4),
      keep: shared((b) => new Float32Array(b), size * 4),
      masks: withMasks || (current?.masks.length ?? 0) > 0 ? this.shape.units.map((H) => shared((b) => new Uint8Array(b), size * H)) : [],
    };
    return state.inputs;
  }
}

/**
 * A training worker's JavaScript garbage is small (tensor wrappers, feeds), yet with V8's default
 * young generation a worker's heap grew from 8.5 MB to 10-16 MB over a 30-second run. Capped:
 * synth train on the 30 MB table (AMD EPYC Zen 5, three interleaved rounds) peaked at 339-349 MB
 * against 351-357, at the same tokens/s (medians 15.9k and 15.8k).
 */
const WORKER_YOUNG_GENERATION_MB = 4;

function startWorker(setup: TrainWorkerSetup): Promise<WorkerState> {
  const worker = new Worker(new URL('./trainWorker.js', import.meta.url), {
    workerData: setup,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  const state: WorkerState = { worker, pending: null, inputs: null };
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (reply: TrainWorkerReply) => {
      if (!reply.ok) return reject(new Error(reply.error));
      worker.off('error', reject);
      worker.on('message', (message: TrainWorkerReply) => {
        const pending = state.pending;
        state.pending = null;
        pending?.(message);
      });
      worker.on('error', (error) => {
        const pending = state.pending;
        state.pending = null;
        pending?.({ ok: false, error: error.message });
      });
      // A worker that dies without an error event (killed) must not leave the step waiting forever.
      worker.on('exit', (code) => {
        const pending = state.pending;
        state.pending = null;
        pending?.({ ok: false, error: `the worker exited (code ${code})` });
      });
      resolve(state);
    });
  });
}

function ask(state: WorkerState, request: ShareRequest): Promise<TrainWorkerReply> {
  return new Promise((resolve) => {
    state.pending = resolve;
    state.worker.postMessage(request);
  });
}
