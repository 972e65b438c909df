import os from 'node:os';
import { threadsPerWorker } from '../../workers/threadsPerWorker.js';
import { WorkerThread } from '../../workers/workerThread.js';
import type { ModelWeights } from '../../model/manifest.js';
import { weightArrays } from '../initialWeights.js';
import { Rmsprop } from '../rmsprop.js';
import type { Trainer, TrainerOptions } from '../trainer.js';
import type { TokenBatch } from '../trainingBatches.js';
import { parameterCount, viewParameters } from './flatParameters.js';
import { DEFAULT_CHUNK } from './gradientSession.js';
import { loadOrt } from '../../onnx/loadOrt.js';
import { shapeOf, type NetworkShape } from './networkShape.js';
import { optimizeOnOwnThread } from './optimizeOnOwnThread.js';
import { allowTransferInNewThreads } from './outputCopies.js';
import type { ShareRequest, TrainWorkerReply, TrainWorkerSetup } from './workerMessages.js';

export interface OnnxTrainerOptions extends TrainerOptions {
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
 * The graphs' per-pass budget: at the default shape a 32-row share runs as two passes of 16. Two
 * passes cut the peak memory of synth train (555 to 482 MB on the 30 MB table) at the same speed;
 * more passes were slower (bench/results/onnx-trainer-measurements.md).
 */
export const DEFAULT_PASS_BYTES = 40e6;

interface WorkerState {
  thread: WorkerThread<TrainWorkerSetup, ShareRequest, TrainWorkerReply>;
  /** The share in flight: settled by the worker's reply, or rejected when the thread fails. */
  pending: { resolve(lossSum: number): void; reject(error: Error): void } | null;
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
 * Why the update is not an ONNX graph: onnxruntime-node refuses SharedArrayBuffer tensors and its
 * outputs may not alias inputs, so a graph would need private copies of the weights and of each
 * gradient slot, and the binding copies every output into a fresh ArrayBuffer on each run. In place
 * in JavaScript it needs only the mean squares, and the sum and the step are ~1% of a batch (~6 ms).
 */
export class OnnxTrainer implements Trainer {
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
    private readonly options: OnnxTrainerOptions,
    private readonly workers: WorkerState[],
    buffers: { weights: SharedArrayBuffer; gradients: SharedArrayBuffer },
  ) {
    this.parameters = parameterCount(shape);
    this.weights = viewParameters(shape, buffers.weights);
    this.gradients = new Float32Array(buffers.gradients);
    this.summedGradients = weightArrays(viewParameters(shape, buffers.gradients));
    this.optimizer = new Rmsprop(weightArrays(this.weights), options.learningRate);
    this.workerCount = workers.length;
  }

  setLearningRate(learningRate: number): void {
    this.optimizer.learningRate = learningRate;
  }

  static async create(initial: ModelWeights, options: OnnxTrainerOptions): Promise<OnnxTrainer> {
    // Loaded here only to fail early (and let `auto` fall back) when onnxruntime cannot load.
    await loadOrt();
    const shape = shapeOf(initial);
    const count = Math.max(1, options.workers ?? os.availableParallelism());
    const threads = options.threadsPerWorker ?? threadsPerWorker(count);
    const parameters = parameterCount(shape);
    const weights = new SharedArrayBuffer(parameters * 4);
    const initialArrays = weightArrays(initial);
    weightArrays(viewParameters(shape, weights)).forEach((shared, k) => shared.set(initialArrays[k]!));
    const gradients = new SharedArrayBuffer(count * parameters * 4);
    const processTuning = options.processTuning === true;
    if (processTuning) {
      optimizeOnOwnThread();
      allowTransferInNewThreads();
    }
    const states = Array.from({ length: count }, (_, slot) =>
      startWorker({ shape, weights, gradients, slot, threads, chunk: options.chunk ?? DEFAULT_CHUNK, passBytes: options.passBytes ?? DEFAULT_PASS_BYTES, processTuning }),
    );
    const failure = (await Promise.allSettled(states.map((state) => state.thread.ready))).find((result) => result.status === 'rejected');
    if (failure) {
      // The workers that did start would otherwise keep the process alive, idle.
      await Promise.all(states.map((state) => state.thread.terminate()));
      throw failure.reason;
    }
    return new OnnxTrainer(shape, options, states, { weights, gradients });
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
    await Promise.all(this.workers.map((w) => w.thread.terminate()));
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

    // Every share is settled before a failure is thrown: a worker still inside onnxruntime must not
    // be terminated by the caller's dispose() (that aborts the process).
    const settled = await Promise.allSettled(
      this.workers.map((state, k) => {
        const Bk = bounds[k + 1]! - bounds[k]!;
        if (Bk === 0) {
          if (scale !== null) this.gradients.fill(0, k * this.parameters, (k + 1) * this.parameters);
          return Promise.resolve(0);
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
    for (const share of settled) {
      if (share.status === 'rejected') throw share.reason;
      lossSum += share.value;
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
 * young generation a worker's heap keeps growing over a run; capped, synth train peaks ~10 MB lower
 * at the same speed.
 */
const WORKER_YOUNG_GENERATION_MB = 4;

function startWorker(setup: TrainWorkerSetup): WorkerState {
  const name = `training worker ${setup.slot}`;
  const state: WorkerState = {
    thread: new WorkerThread(new URL('./trainWorker.js', import.meta.url), setup, {
      name,
      youngGenerationMb: WORKER_YOUNG_GENERATION_MB,
      onMessage: (reply) => {
        const pending = state.pending;
        state.pending = null;
        if (reply.ok) pending?.resolve(reply.lossSum);
        else pending?.reject(new Error(`${name} failed: ${reply.error}`));
      },
      // A worker that dies (an error, or killed without one) must not leave the step waiting forever.
      onFailure: (error) => {
        const pending = state.pending;
        state.pending = null;
        pending?.reject(error);
      },
    }),
    pending: null,
    inputs: null,
  };
  return state;
}

/** The summed loss of the worker's share. */
function ask(state: WorkerState, request: ShareRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    state.pending = { resolve, reject };
    state.thread.post(request);
  });
}
