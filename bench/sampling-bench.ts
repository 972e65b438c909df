/**
 * In-graph sampling (stepSample) against step() + JS sampleToken on the onnx kernel, at several
 * vocabulary sizes, on the reference shape otherwise (embedding 256, LSTM [256, 256]).
 * Run: npm run build && node dist/bench/sampling-bench.js [batch] [threads]
 */
import { createState } from '../src/engine/kernels/kernel.js';
import { createOnnxKernel } from '../src/engine/kernels/onnxKernel.js';
import { sampleToken } from '../src/engine/sampler.js';
import { randomWeights } from '../test/helpers/randomModel.js';

const batch = Number(process.argv[2] ?? 256);
const threads = Number(process.argv[3] ?? 1);
const STEPS_BUDGET_MS = 3000;

async function measure(vocab: number, fused: boolean): Promise<number> {
  const weights = randomWeights(vocab, 256, [256, 256], 3);
  const kernel = await createOnnxKernel(weights, { batchSize: batch, threads, sampling: fused });
  const state = createState(kernel.units, batch);
  const tokens = new Int32Array(batch);
  const uniforms = new Float32Array(batch);
  let steps = 0;
  const start = performance.now();
  while (performance.now() - start < STEPS_BUDGET_MS) {
    for (let r = 0; r < batch; r++) uniforms[r] = ((steps * 131 + r * 71) % 997) / 997;
    if (fused) {
      const sampled = await kernel.stepSample!(tokens, state, uniforms, 1);
      tokens.set(sampled);
    } else {
      const logits = await kernel.step(tokens, state);
      for (let r = 0; r < batch; r++) tokens[r] = sampleToken(logits, r * vocab, vocab, 1, uniforms[r]!);
    }
    steps++;
  }
  const seconds = (performance.now() - start) / 1000;
  await kernel.dispose();
  return (steps * batch) / seconds;
}

console.log(`batch ${batch}, threads ${threads}: tokens/s`);
console.log('vocab\tstep+JS\tstepSample\tratio');
for (const vocab of [100, 2000, 20000]) {
  const js = await measure(vocab, false);
  const graph = await measure(vocab, true);
  console.log(`${vocab}\t${js.toFixed(0)}\t${graph.toFixed(0)}\t${(graph / js).toFixed(2)}`);
}
