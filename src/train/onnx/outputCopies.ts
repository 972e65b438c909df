import { collectGarbage } from '../collectGarbage.js';

/**
 * onnxruntime-node (1.30) copies every output of a run into a fresh ArrayBuffer, even when the
 * caller passed the output's array as a fetch (inference_session_wrap.cc: OrtValueToNapiValue), so
 * the training graphs' results come back twice and the copies are garbage at once: ~55 MB per pass
 * of 16 rows at the default shape. V8 frees an ArrayBuffer's memory only when the ArrayBuffer is
 * collected, and it starts a collection for external memory only ~64 MB past the last one, so each
 * worker carried up to ~60 MB of dead copies (and malloc kept the pages). A young-generation
 * collection every `thresholdBytes` of copies frees them while they are still young. RSS of synth
 * train on the 30 MB table while training: ~430 MB before, ~400 collecting every 16 MB, ~385 every
 * 4 MB or every run (one run's copies are up to 6.5 MB), and after training 300–320 against ~400.
 */
export class OutputCopies {
  private pendingBytes = 0;
  /** A minor collection costs ~0.2 ms; every 4 MB is ~10 per pass of ~25 runs (0.3–1 s). */
  constructor(private readonly thresholdBytes = 4e6) {}

  /** Counts a run's dropped output copies and collects them once enough are pending. */
  dropped(bytes: number): void {
    this.pendingBytes += bytes;
    if (this.pendingBytes < this.thresholdBytes) return;
    this.pendingBytes = 0;
    collectGarbage(true);
  }
}
