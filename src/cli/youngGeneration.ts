import v8 from 'node:v8';

/**
 * Imported by bin/synth.js for `synth train` before any other module runs, for its side effect:
 * V8 grows the young generation no further than its starting size by doubling (for the main
 * thread and every worker). Why: reading a big table grew the main thread's young generation to
 * its 16 MB maximum, and V8 never shrinks it again, so training carried ~14 MB of nursery it no
 * longer used (forced full or memory-reducing collections did not give it back). V8 reads
 * --semi-space-growth-factor at each growth step, so it works at run time, where
 * --max-semi-space-size only sizes isolates made later — but only this early: set when
 * trainModel started, after the CLI's modules had loaded, the young generation still reached
 * 16 MB. Not set for generate, whose main thread handles every record.
 */
function keepYoungGenerationSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

keepYoungGenerationSmall();
// A worker thread's start sets V8's flags again, the growth factor back to its default for this
// thread too (Node 20: after `new Worker`, this thread's young generation grew to 32 MB in the
// quality score; set again once the worker is online, it stayed at 2 MB). Set again each time.
process.on('worker', (worker) => worker.once('online', keepYoungGenerationSmall));
