import type * as Ort from 'onnxruntime-node';
import type { OrtModule } from '../../onnx/loadOrt.js';
import { OutputCopies } from './outputCopies.js';

export type Feeds = Record<string, Ort.Tensor>;

/**
 * The training graphs' onnxruntime sessions, each built on first use and kept (a graph per layer
 * width, chunk length and dropout choice), and the tensors that wrap the caller's arrays: runs
 * write into the arrays given as fetches, so no output is allocated per run.
 */
export class GraphSessions {
  private readonly sessions = new Map<string, Promise<Ort.InferenceSession>>();
  constructor(
    private readonly ort: OrtModule,
    private readonly threads: number,
    private readonly outputCopies = new OutputCopies(),
  ) {}

  // Arrow properties, so callers may take them off the object (`const { floats } = sessions`).
  readonly floats = (data: Float32Array, dims: readonly number[]): Ort.Tensor => new this.ort.Tensor('float32', data, dims);
  readonly ints = (data: Int32Array, dims: readonly number[]): Ort.Tensor => new this.ort.Tensor('int32', data, dims);
  readonly bytes = (data: Uint8Array, dims: readonly number[]): Ort.Tensor => new this.ort.Tensor('uint8', data, dims);

  /** Runs the graph `build` makes (once per `key`), its outputs written into `fetches`' arrays. */
  async run(key: string, build: () => Uint8Array, feeds: Feeds, fetches: Feeds): Promise<void> {
    let session = this.sessions.get(key);
    if (!session) {
      session = this.ort.InferenceSession.create(build(), {
        intraOpNumThreads: this.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        // No arena: each of a worker's ~10 sessions would keep its own peak allocation (on
        // weather.csv, 2 workers, peak RSS of synth train 748 MB without against 891 with; speed the same).
        enableCpuMemArena: false,
        // Without a memory pattern onnxruntime allocates each intermediate when it is made and frees
        // it after its last reader, instead of one block for the whole plan per run: a lower peak
        // (the trainer alone, 2 workers, batch 64: ~320 MB against ~350) at the same speed.
        enableMemPattern: false,
        extra: { session: { intra_op: { allow_spinning: this.threads > 1 ? '0' : '1' } } },
      });
      this.sessions.set(key, session);
    }
    const results = await (await session).run(feeds, fetches);
    // The returned tensors are the binding's copies of `fetches` (outputCopies.ts), freed here.
    this.outputCopies.release(results, fetches);
  }

  async release(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    for (const session of sessions) await (await session).release();
  }
}
