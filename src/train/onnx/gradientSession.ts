import type * as Ort from 'onnxruntime-node';
import { buildTrainGraph, TrainNames, weightShapes } from './trainGraph.js';

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
  /** Per layer [T*B*H], scaled (inverted dropout); null without dropout. */
  masks: Float32Array[] | null;
}

/**
 * Runs the training graph (trainGraph.ts) on onnxruntime: one session per window length and kind
 * (gradients with or without dropout, loss only), built on first use and kept; weights are fed
 * on every run, so they can change between runs without a rebuild.
 */
export class GradientSession {
  private readonly sessions = new Map<string, Promise<Ort.InferenceSession>>();
  private readonly names: string[];
  private readonly dims: number[][];

  constructor(
    private readonly ort: OrtModule,
    private readonly shape: NetworkShape,
    private readonly threads: number,
  ) {
    this.names = TrainNames.weights(shape.units.length);
    this.dims = weightShapes(shape);
  }

  /**
   * The summed loss of the share; with `grads` (arrays in weightArrays order), also writes the
   * gradient of (summed loss · scale) into them.
   */
  async run(weights: Float32Array[], inputs: StepInputs, grads: Float32Array[] | null, scale = 0): Promise<number> {
    const { ort } = this;
    const T = inputs.steps;
    const B = inputs.batchSize;
    const dropout = grads !== null && inputs.masks !== null;
    const session = await this.session(T, grads !== null, dropout);
    const feeds: Record<string, Ort.Tensor> = {
      [TrainNames.ids]: new ort.Tensor('int32', inputs.ids, [T, B]),
      [TrainNames.targets]: new ort.Tensor('int32', inputs.targets, [T, B]),
      [TrainNames.keep]: new ort.Tensor('float32', inputs.keep, [T, B, 1]),
    };
    this.names.forEach((name, k) => (feeds[name] = new ort.Tensor('float32', weights[k]!, this.dims[k]!)));
    if (grads) feeds[TrainNames.scale] = new ort.Tensor('float32', new Float32Array([scale]), [1]);
    if (dropout) this.shape.units.forEach((H, l) => (feeds[TrainNames.mask(l)] = new ort.Tensor('float32', inputs.masks![l]!, [T, B, H])));
    const loss = new Float32Array(1);
    const fetches: Record<string, Ort.Tensor> = { [TrainNames.lossSum]: new ort.Tensor('float32', loss, []) };
    if (grads) this.names.forEach((name, k) => (fetches[TrainNames.gradient(name)] = new ort.Tensor('float32', grads[k]!, this.dims[k]!)));
    await session.run(feeds, fetches);
    return loss[0]!;
  }

  async release(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    for (const session of sessions) await (await session).release();
  }

  private session(steps: number, gradients: boolean, dropout: boolean): Promise<Ort.InferenceSession> {
    const key = `${steps}/${gradients}/${dropout}`;
    let session = this.sessions.get(key);
    if (!session) {
      const model = buildTrainGraph({ ...this.shape, steps, gradients, dropout });
      session = this.ort.InferenceSession.create(model, {
        intraOpNumThreads: this.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        enableCpuMemArena: true,
        enableMemPattern: true,
        extra: { session: { intra_op: { allow_spinning: this.threads > 1 ? '0' : '1' } } },
      });
      this.sessions.set(key, session);
    }
    return session;
  }
}
