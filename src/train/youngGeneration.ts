import v8 from 'node:v8';

/**
 * Keeps V8's young generation at the size it has now for the rest of the process (for every
 * isolate: the main thread's and the workers' started later). Why: reading a big table grows the
 * main thread's young generation from 2 to its 16 MB maximum, and V8 never shrinks it again, so
 * training carried ~14 MB of nursery it no longer used (forced full or memory-reducing collections
 * did not give it back). V8 reads --semi-space-growth-factor at each growth step, so it takes
 * effect at run time, where --max-semi-space-size only sizes isolates made afterwards.
 * Measured: synth train on the 30 MB table (AMD EPYC Zen 5, 2 cores, three interleaved rounds)
 * peaked at 317–333 MB against 331–339; npm run bench:read read the table at the same speed
 * (3.1–4.5 s against 3.2–4.0 s, three rounds) and peaked at 143 MB against 167–170.
 */
export function keepYoungGenerationSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}
