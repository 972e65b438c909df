import { createState, type StepKernel } from '../src/engine/kernels/kernel.js';
import { sampleToken } from '../src/engine/sampler.js';

/**
 * Row-steps per second of a kernel alone over `durationMs`: temperature-1 sampling, in the graph
 * when `fused` (stepSample), else step() + the JS sampler, feeding each row its own sample back.
 */
export async function kernelThroughput(kernel: StepKernel, fused: boolean, durationMs: number): Promise<number> {
  const B = kernel.batchSize;
  const V = kernel.vocabSize;
  const state = createState(kernel.units, B);
  const tokens = new Int32Array(B);
  const uniforms = new Float32Array(B);
  let steps = 0;
  const run = async (): Promise<void> => {
    for (let r = 0; r < B; r++) uniforms[r] = ((steps * 131 + r * 71) % 997) / 997;
    if (fused) {
      tokens.set(await kernel.stepSample!(tokens, state, uniforms, 1));
    } else {
      const logits = await kernel.step(tokens, state);
      for (let r = 0; r < B; r++) tokens[r] = sampleToken(logits, r * V, V, 1, uniforms[r]!);
    }
    steps++;
  };
  await run(); // first run plans memory; not timed
  steps = 0;
  const started = performance.now();
  while (performance.now() - started < durationMs) await run();
  return (steps * B * 1000) / (performance.now() - started);
}
