import v8 from 'node:v8';

let done = false;

/**
 * Makes V8 optimize (TurboFan) on the thread that runs the code instead of on its background
 * threads, for isolates created from now on (the training workers). Each background thread that
 * compiles gets a malloc arena of its own, and glibc keeps what the compiler's zones freed there:
 * the trainer alone (2 workers, batch 64, reference shape; AMD EPYC Zen 5) peaked at 318–324 MB
 * with background compiles and 291–298 without (501–539 vs 494–503 ms per batch, three
 * interleaved rounds); synth train on the 30 MB table, one epoch of 3,000 records, four rounds:
 * 362–375 vs 357–366 MB, 13.4–16.3k vs 12.4–16.3k tokens/s (medians 15.3k and 15.8k). The
 * workers optimize a few hot functions once; a run lasts minutes. Process-wide and one-way, like
 * any V8 flag.
 */
export function optimizeOnOwnThread(): void {
  if (done) return;
  v8.setFlagsFromString('--no-concurrent-recompilation');
  done = true;
}
