import type { StepInputs } from './stepInputs.js';

/**
 * A worker's share of a batch as passes of a few rows each, so the memory of the training graphs
 * (which grows with the rows of a run: workspace.ts's bytesPerRow) stays within a budget
 * whatever the batch size; the worker sums the passes' gradients. Each pass's rows are gathered
 * from the shared, time-major arrays into private ones (onnxruntime-node refuses
 * SharedArrayBuffer tensors), kept from pass to pass and batch to batch: fresh copies would be
 * garbage waiting for V8's external-memory trigger. A pass's arrays are overwritten by the next, so
 * use each before asking for it.
 */
export class SharePasses {
  private readonly arrays = new Map<string, Int32Array | Float32Array | Uint8Array>();

  /** `units`: each LSTM layer's width (the dropout masks are [T, B, units] per layer). */
  constructor(private readonly units: readonly number[]) {}

  /** The share in `passes` passes of nearly equal rows, in row order. */
  *of(share: StepInputs, passes: number): Generator<StepInputs> {
    const B = share.batchSize;
    const count = Math.max(1, Math.min(passes, B));
    for (let k = 0; k < count; k++) {
      const from = Math.floor((k * B) / count);
      const to = Math.floor(((k + 1) * B) / count);
      yield {
        steps: share.steps,
        batchSize: to - from,
        ids: this.gather('ids', share.ids, share.steps, B, 1, from, to),
        targets: this.gather('targets', share.targets, share.steps, B, 1, from, to),
        keep: this.gather('keep', share.keep, share.steps, B, 1, from, to),
        masks: share.masks?.map((mask, l) => this.gather(`mask${l}`, mask, share.steps, B, this.units[l]!, from, to)) ?? null,
        maskScale: share.maskScale,
      };
    }
  }

  /** Rows [from, to) of a time-major [T, B, width] array as a time-major [T, to − from, width] one. */
  private gather<A extends Int32Array | Float32Array | Uint8Array>(name: string, source: A, T: number, B: number, width: number, from: number, to: number): A {
    const rowLength = (to - from) * width;
    let array = this.arrays.get(name) as A | undefined;
    if (!array || array.length < T * rowLength) this.arrays.set(name, (array = new (source.constructor as new (length: number) => A)(T * rowLength)));
    for (let t = 0; t < T; t++) array.set(source.subarray((t * B + from) * width, (t * B + to) * width), t * rowLength);
    return array.subarray(0, T * rowLength) as A;
  }
}
