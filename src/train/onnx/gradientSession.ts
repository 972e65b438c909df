import type * as Ort from 'onnxruntime-node';
import {
  buildBackwardChunk,
  buildEmbeddingProjection,
  buildForwardChunk,
  buildHead,
  buildProjection,
  buildWeightGradients,
  Names,
} from './trainGraph.js';
import { OutputCopies } from './outputCopies.js';

export type OrtModule = typeof Ort;

/** onnxruntime-node, loaded on demand so the TensorFlow.js paths never pay for it. */
export async function loadOrt(): Promise<OrtModule> {
  const { default: ort } = (await import('onnxruntime-node')) as unknown as { default: OrtModule };
  ort.env.logLevel = 'error';
  return ort;
}

export interface NetworkShape {
  vocabSize: number;
  embeddingDim: number;
  units: number[];
}

/** One share of a batch, time-major: row t*B + b. */
export interface StepInputs {
  steps: number;
  batchSize: number;
  ids: Int32Array;
  targets: Int32Array;
  /** [T*B] 1 keep / 0 reset (see lstmLayer's KeepMask). */
  keep: Float32Array;
  /** Per layer [T*B*H], 1 keep / 0 drop; null without dropout. */
  masks: Uint8Array[] | null;
  /** What a kept unit is multiplied by: 1/(1 − rate) (inverted dropout); unused without masks. */
  maskScale: number;
}

/**
 * Steps unrolled per recurrent graph. Measured on the reference model on a heavily shared 2-core
 * machine (load average 12–17, so ±20% noise): one worker, B = 32, one thread: 1 step 3.4k,
 * 10 steps 4.9k, 20 steps 6.7k, 25 steps 5.4k tokens/s; whole-window unrolling ran 6.8k but took
 * 35–90 s to load. bench:train, 2 workers, B = 64: 1 step 3.2k, 10 3.2k, 20 3.4k, 25 3.0k.
 */
export const DEFAULT_CHUNK = 20;

type Feeds = Record<string, Ort.Tensor>;

/**
 * Bytes that run() holds per row of a share over a window of `steps`: the arrays kept for
 * backpropagation (per layer z, cells and outputs, and a dropout mask of bytes; the output
 * gradient), plus a margin of ~6 floats per logit for onnxruntime's temporaries, the binding's
 * output copies and the chunk-sized gate scratch. The head runs a chunk of steps at a time, so the
 * margin overstates them; it stays so that the default passes remain the measured two of 16.
 */
export function bytesPerRow(shape: NetworkShape, steps: number): number {
  const widest = Math.max(...shape.units);
  const kept = shape.units.reduce((n, H) => n + 6 * H + H / 4, 0) + widest;
  return 4 * steps * (kept + 6 * shape.vocabSize);
}

/**
 * A chunk's worth of [K, B, 4H] gate rows: a layer's input products for the forward chunk about
 * to run, then the gate gradients (dz) a backward chunk wrote. Window-long arrays for either
 * are not needed: the products of a chunk are made just before its recurrence reads them, and a
 * chunk's dz is copied over the rows of z that chunk was the last to read, so z ends the backward
 * pass holding dz for the weight gradients (6.5 MB fewer per worker at the default shape).
 */
const GATE_CHUNK = 'gate_chunk';

/**
 * Runs the training graphs (trainGraph.ts) for one share of a batch on onnxruntime: the input
 * products, the recurrence chunk by chunk, the head, BPTT chunk by chunk and the weight gradients.
 * Sessions are built on first use per graph and window length and kept; intermediate tensors live
 * in arrays reused from batch to batch.
 */
export class GradientSession {
  private readonly sessions = new Map<string, Promise<Ort.InferenceSession>>();
  private buffers = new Map<string, Float32Array>();
  private capacityRows = 0;
  constructor(
    private readonly ort: OrtModule,
    private readonly shape: NetworkShape,
    private readonly threads: number,
    private readonly chunk = DEFAULT_CHUNK,
    private readonly outputCopies = new OutputCopies(),
  ) {}

  /**
   * The summed loss of the share. With `grads` (arrays in weightArrays order) it also writes the
   * gradient of (summed loss · scale) into them; without, it is a forward pass (validation).
   */
  async run(weights: Float32Array[], inputs: StepInputs, grads: Float32Array[] | null, scale = 0): Promise<number> {
    const { units, vocabSize: V, embeddingDim: E } = this.shape;
    const T = inputs.steps;
    const B = inputs.batchSize;
    const L = units.length;
    const dropout = grads !== null && inputs.masks !== null;
    this.ensureCapacity(T * B);
    const f = (data: Float32Array, dims: number[]) => new this.ort.Tensor('float32', data, dims);
    const tb = (name: string, width: number) => f(this.buffer(name, T * B * width), [T, B, width]);
    const idsTensor = new this.ort.Tensor('int32', inputs.ids, [T, B]);
    const keep = f(inputs.keep, [T, B, 1]);
    const layerWeights = (l: number) => ({ kernel: weights[1 + 3 * l]!, recurrent: weights[2 + 3 * l]!, bias: weights[3 + 3 * l]! });
    const dims = (l: number) => ({ H: units[l]!, I: l === 0 ? E : units[l - 1]! });
    const mask = (l: number, t0 = 0, K = T): Ort.Tensor => new this.ort.Tensor('uint8', inputs.masks![l]!.subarray(t0 * B * units[l]!, (t0 + K) * B * units[l]!), [K, B, units[l]!]);
    const maskScale = f(new Float32Array([inputs.maskScale]), [1]);

    // Forward. The input products and the head run a chunk of steps at a time, like the recurrence:
    // each run's intermediates and the binding's copies of its outputs are then a fifth of a
    // window's (a window-wide run made ~6.5 MB blocks that the worker's malloc heap kept).
    const chunks = this.stepChunks(T);
    const rows = (t0: number, K: number, width: number) => [t0 * B * width, (t0 + K) * B * width] as const;
    for (let l = 0; l < L; l++) {
      const { H, I } = dims(l);
      const w = layerWeights(l);
      let project: (t0: number, K: number, into: Float32Array) => Promise<void>;
      if (l === 0) {
        const table = this.buffer('table', V * 4 * H);
        await this.call('p0', () => buildEmbeddingProjection(V, E, H), { [Names.embedding]: f(weights[0]!, [V, E]), [Names.kernel]: f(w.kernel, [E, 4 * H]), [Names.bias]: f(w.bias, [4 * H]) }, { [Names.table]: f(table, [V, 4 * H]) });
        project = async (t0, K, into) => {
          for (let r = t0 * B, k = 0; r < (t0 + K) * B; r++, k++) {
            const id = inputs.ids[r]!;
            into.set(table.subarray(id * 4 * H, (id + 1) * 4 * H), k * 4 * H);
          }
        };
      } else {
        const input = this.buffer(`output${l - 1}`, T * B * I);
        project = async (t0, K, into) => {
          const feeds: Feeds = { [Names.input]: f(input.subarray(...rows(t0, K, I)), [K, B, I]), [Names.kernel]: f(w.kernel, [I, 4 * H]), [Names.bias]: f(w.bias, [4 * H]) };
          if (dropout) Object.assign(feeds, { [Names.inputMask]: mask(l - 1, t0, K), [Names.maskScale]: maskScale });
          await this.call(`p${l}/${K}/${dropout}`, () => buildProjection(I, H, K, dropout), feeds, { [Names.projected]: f(into, [K, B, 4 * H]) });
        };
      }
      await this.forwardLayer(l, H, T, B, inputs.keep, w.recurrent, project);
    }

    // Head: loss (and its gradient), the output layer's gradients summed over the chunks.
    const H = units[L - 1]!;
    const denseKernel = weights[weights.length - 2]!;
    const denseBias = weights[weights.length - 1]!;
    const output = this.buffer(`output${L - 1}`, T * B * H);
    const dOutput = this.buffer('d_output', T * B * H);
    const chunkLoss = new Float32Array(1);
    // The first chunk writes the output layer's gradients, later ones write parts that are added.
    const dense = grads && {
      kernel: grads[grads.length - 2]!,
      bias: grads[grads.length - 1]!,
      kernelPart: this.buffer('dense_kernel_part', H * V),
      biasPart: this.buffer('dense_bias_part', V),
    };
    let lossSum = 0;
    for (const [k, { t0, K }] of chunks.entries()) {
      const headFeeds: Feeds = {
        [Names.output]: f(output.subarray(...rows(t0, K, H)), [K, B, H]),
        [Names.denseKernel]: f(denseKernel, [H, V]),
        [Names.denseBias]: f(denseBias, [V]),
        [Names.targets]: new this.ort.Tensor('int32', inputs.targets.subarray(t0 * B, (t0 + K) * B), [K, B]),
      };
      if (dropout) Object.assign(headFeeds, { [Names.mask]: mask(L - 1, t0, K), [Names.maskScale]: maskScale });
      const headFetches: Feeds = { [Names.lossSum]: f(chunkLoss, []) };
      if (dense) {
        headFeeds[Names.scale] = f(new Float32Array([scale]), [1]);
        headFetches[Names.grad(Names.denseKernel)] = f(k === 0 ? dense.kernel : dense.kernelPart, [H, V]);
        headFetches[Names.grad(Names.denseBias)] = f(k === 0 ? dense.bias : dense.biasPart, [V]);
        headFetches[Names.dOutput] = f(dOutput.subarray(...rows(t0, K, H)), [K, B, H]);
      }
      await this.call(`head/${K}/${dense !== null}/${dropout}`, () => buildHead(H, V, K, dense !== null, dropout), headFeeds, headFetches);
      lossSum += chunkLoss[0]!;
      if (dense && k > 0) {
        for (let i = 0; i < dense.kernel.length; i++) dense.kernel[i]! += dense.kernelPart[i]!;
        for (let i = 0; i < dense.bias.length; i++) dense.bias[i]! += dense.biasPart[i]!;
      }
    }
    if (!grads) return lossSum;

    // Backward, last layer first; d_output holds the gradient of the current layer's output.
    for (let l = L - 1; l >= 0; l--) {
      const { H, I } = dims(l);
      const w = layerWeights(l);
      await this.backwardLayer(l, H, T, B, inputs.keep, w.recurrent);
      const feeds: Feeds = { [Names.dz]: tb(`z${l}`, 4 * H), [Names.output]: tb(`output${l}`, H), [Names.keep]: keep, [Names.kernel]: f(w.kernel, [I, 4 * H]) };
      const fetches: Feeds = {
        [Names.grad(Names.kernel)]: f(grads[1 + 3 * l]!, [I, 4 * H]),
        [Names.grad(Names.recurrent)]: f(grads[2 + 3 * l]!, [H, 4 * H]),
        [Names.grad(Names.bias)]: f(grads[3 + 3 * l]!, [4 * H]),
      };
      if (l === 0) {
        feeds[Names.ids] = idsTensor;
        feeds[Names.embedding] = f(weights[0]!, [V, E]);
        fetches[Names.grad(Names.embedding)] = f(grads[0]!, [V, E]);
      } else {
        feeds[Names.input] = tb(`output${l - 1}`, I);
        if (dropout) Object.assign(feeds, { [Names.inputMask]: mask(l - 1), [Names.maskScale]: maskScale });
        fetches[Names.dInput] = tb('d_output', I);
      }
      await this.call(`wg${l}/${T}/${dropout}`, () => buildWeightGradients({ H, I, V, first: l === 0 }, T, dropout), feeds, fetches);
    }
    return lossSum;
  }

  async release(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    for (const session of sessions) await (await session).release();
  }

  /** The layer's recurrence chunk by chunk, each chunk's input products made (`project`) just before it. */
  private async forwardLayer(
    l: number,
    H: number,
    T: number,
    B: number,
    keep: Float32Array,
    recurrent: Float32Array,
    project: (t0: number, K: number, into: Float32Array) => Promise<void>,
  ): Promise<void> {
    const z = this.buffer(`z${l}`, T * B * 4 * H);
    const cells = this.buffer(`cells${l}`, T * B * H);
    const output = this.buffer(`output${l}`, T * B * H);
    const zeros = this.buffer('zeros', B * H).fill(0);
    const f = (data: Float32Array, dims: number[]) => new this.ort.Tensor('float32', data, dims);
    for (let t0 = 0; t0 < T; t0 += this.chunk) {
      const K = Math.min(this.chunk, T - t0);
      const rows = (from: number, width: number) => [from * B * width, (from + K) * B * width] as const;
      const previous = (data: Float32Array) => (t0 === 0 ? zeros : data.subarray((t0 - 1) * B * H, t0 * B * H));
      const projected = this.buffer(GATE_CHUNK, K * B * 4 * H);
      await project(t0, K, projected);
      await this.call(
        `fwd/${H}/${K}`,
        () => buildForwardChunk(H, K),
        {
          [Names.projected]: f(projected, [K, B, 4 * H]),
          [Names.keep]: f(keep.subarray(t0 * B, (t0 + K) * B), [K, B, 1]),
          [Names.h0]: f(previous(output), [1, B, H]),
          [Names.c0]: f(previous(cells), [1, B, H]),
          [Names.recurrent]: f(recurrent, [H, 4 * H]),
        },
        {
          [Names.z]: f(z.subarray(...rows(t0, 4 * H)), [K, B, 4 * H]),
          [Names.cells]: f(cells.subarray(...rows(t0, H)), [K, B, H]),
          [Names.output]: f(output.subarray(...rows(t0, H)), [K, B, H]),
        },
      );
    }
  }

  private async backwardLayer(l: number, H: number, T: number, B: number, keep: Float32Array, recurrent: Float32Array): Promise<void> {
    const z = this.buffer(`z${l}`, T * B * 4 * H);
    const cells = this.buffer(`cells${l}`, T * B * H);
    const dOutput = this.buffer('d_output', T * B * H);
    // Carries ping-pong between two pairs: onnxruntime outputs may not alias its inputs.
    const carries = [0, 1].map((k) => [this.buffer(`dh${k}`, B * H).fill(0), this.buffer(`dc${k}`, B * H).fill(0)] as const);
    const zeros = this.buffer('zeros', B * H).fill(0);
    const f = (data: Float32Array, dims: number[]) => new this.ort.Tensor('float32', data, dims);
    const starts: number[] = [];
    for (let t0 = 0; t0 < T; t0 += this.chunk) starts.push(t0);
    let turn = 0;
    for (const t0 of starts.reverse()) {
      const K = Math.min(this.chunk, T - t0);
      const rows = (width: number) => [t0 * B * width, (t0 + K) * B * width] as const;
      const [dhIn, dcIn] = carries[turn]!;
      const [dhOut, dcOut] = carries[1 - turn]!;
      const dz = this.buffer(GATE_CHUNK, K * B * 4 * H);
      await this.call(
        `bwd/${H}/${K}`,
        () => buildBackwardChunk(H, K),
        {
          [Names.z]: f(z.subarray(...rows(4 * H)), [K, B, 4 * H]),
          [Names.cells]: f(cells.subarray(...rows(H)), [K, B, H]),
          [Names.c0]: f(t0 === 0 ? zeros : cells.subarray((t0 - 1) * B * H, t0 * B * H), [1, B, H]),
          [Names.keep]: f(keep.subarray(t0 * B, (t0 + K) * B), [K, B, 1]),
          [Names.dOutput]: f(dOutput.subarray(...rows(H)), [K, B, H]),
          [Names.dh]: f(dhIn, [1, B, H]),
          [Names.dc]: f(dcIn, [1, B, H]),
          [Names.recurrent]: f(recurrent, [H, 4 * H]),
        },
        {
          [Names.dz]: f(dz, [K, B, 4 * H]),
          [Names.carry(Names.dh)]: f(dhOut, [1, B, H]),
          [Names.carry(Names.dc)]: f(dcOut, [1, B, H]),
        },
      );
      // These rows of z are read by no chunk after this one (the earlier steps come next).
      z.set(dz, t0 * B * 4 * H);
      turn = 1 - turn;
    }
  }

  private async call(key: string, build: () => Uint8Array, feeds: Feeds, fetches: Feeds): Promise<void> {
    let session = this.sessions.get(key);
    if (!session) {
      session = this.ort.InferenceSession.create(build(), {
        intraOpNumThreads: this.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        // No arena: each of a worker's ~10 sessions would keep its own peak allocation. Peak RSS of
        // `synth train` on weather.csv (2 workers) fell from 891 to 748 MB; speed did not change
        // measurably (B = 32, one thread: 4.3–6.1k tokens/s with, 4.9–5.5k without, loaded machine).
        enableCpuMemArena: false,
        // Without a memory pattern onnxruntime allocates each intermediate when it is made and frees
        // it when its last reader is done, instead of one block for the whole plan per run. The
        // trainer alone (2 workers, batch 64 of random windows, AMD EPYC Zen 5) peaked at 336–362 MB
        // with the pattern and 317–323 without, batches 611–729 vs 528–576 ms; in whole runs of
        // synth train the difference was within their ±15 MB and ±10% scatter.
        enableMemPattern: false,
        extra: { session: { intra_op: { allow_spinning: this.threads > 1 ? '0' : '1' } } },
      });
      this.sessions.set(key, session);
    }
    const results = await (await session).run(feeds, fetches);
    // The returned tensors are the binding's copies of `fetches` (outputCopies.ts), freed here.
    this.outputCopies.release(results, fetches);
  }

  /** [t0, t0 + K) step ranges of a window of T steps, in order. */
  private stepChunks(T: number): { t0: number; K: number }[] {
    const chunks: { t0: number; K: number }[] = [];
    for (let t0 = 0; t0 < T; t0 += this.chunk) chunks.push({ t0, K: Math.min(this.chunk, T - t0) });
    return chunks;
  }

  /** Reused scratch arrays, grown (never shrunk) to the largest share seen. */
  private buffer(name: string, length: number): Float32Array {
    let array = this.buffers.get(name);
    if (!array || array.length < length) this.buffers.set(name, (array = new Float32Array(length)));
    return array.length === length ? array : array.subarray(0, length);
  }

  private ensureCapacity(rows: number): void {
    if (rows > this.capacityRows) {
      this.buffers = new Map();
      this.capacityRows = rows;
    }
  }
}
