import v8 from 'node:v8';
import type * as Ort from 'onnxruntime-node';
import { collectGarbage } from '../../memory/collectGarbage.js';

/** ArrayBuffer.prototype.transfer (ES2024; in Node 20 behind a V8 flag, see allowTransferInNewThreads). */
type Transferable = ArrayBuffer & { transfer?(newLength: number): ArrayBuffer };

/** Whether this thread's context has ArrayBuffer.prototype.transfer. */
function transferAvailable(): boolean {
  return typeof (ArrayBuffer.prototype as Transferable).transfer === 'function';
}

/**
 * Makes ArrayBuffer.prototype.transfer exist in threads started after this call, where Node lacks
 * it: Node 20's V8 (11.3) has it behind --harmony-rab-gsab-transfer, which a context picks up only
 * when it is made (the calling thread's context is not changed). Newer Nodes have it natively and
 * are left alone, so no flag V8 may no longer know is set. Call before starting training workers.
 */
export function allowTransferInNewThreads(): void {
  if (!transferAvailable()) v8.setFlagsFromString('--harmony-rab-gsab-transfer');
}

/**
 * onnxruntime-node (1.30) copies every output of a run into a fresh ArrayBuffer, even when the
 * caller passed the output's array as a fetch (inference_session_wrap.cc: OrtValueToNapiValue), so
 * the training graphs' results come back twice and the copies are garbage at once (~55 MB per pass
 * of 16 rows at the default shape). V8 frees an ArrayBuffer's memory only when it collects the
 * ArrayBuffer, so the copies lived on among onnxruntime's own temporaries in the worker's malloc
 * heap, and the holes they left grew it.
 *
 * Where ArrayBuffer.prototype.transfer exists, `release` frees each copy at once (transfer(0)
 * detaches it and drops its memory), at the same speed. Elsewhere (a thread whose context was made
 * before allowTransferInNewThreads), a young-generation collection every `thresholdBytes` of copies
 * frees them while they are young; collecting after every run instead was slower.
 */
export class OutputCopies {
  private pendingBytes = 0;
  private readonly transfer = transferAvailable();

  /** `collect` false: never force a collection (it needs --expose-gc, a process-wide flag); V8 frees the copies in its own time. */
  constructor(
    private readonly thresholdBytes = 4e6,
    private readonly collect = true,
  ) {}

  /** Frees (or counts towards a collection) the binding's copies in `results` of a run given `fetches`. */
  release(results: Record<string, Ort.Tensor>, fetches: Record<string, Ort.Tensor>): void {
    let bytes = 0;
    for (const [name, tensor] of Object.entries(results)) {
      const buffer = (tensor.data as Float32Array).buffer as Transferable;
      // A binding that hands back the fetch's own memory must not have it detached.
      if (buffer === (fetches[name]?.data as Float32Array | undefined)?.buffer || !(buffer instanceof ArrayBuffer)) continue;
      if (this.transfer) buffer.transfer!(0);
      else bytes += buffer.byteLength;
    }
    if (!this.collect) return;
    this.pendingBytes += bytes;
    if (this.pendingBytes < this.thresholdBytes) return;
    this.pendingBytes = 0;
    collectGarbage(true);
  }
}
