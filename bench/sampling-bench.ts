/**
 * In-graph sampling (stepSample) against step() + JS sampleToken on the onnx kernel at vocabulary
 * sizes 100, 2,000 and 20,000, the reference shape otherwise (embedding 256, LSTM [256, 256]).
 * Rounds interleave the variants; medians are printed.
 * Run: npm run build && node dist/bench/sampling-bench.js [batch] [threads] [rounds]
 */
import { createOnnxKernel } from '../src/engine/kernels/onnx/onnxKernel.js';
import { randomWeights } from '../test/helpers/randomModel.js';
import { kernelThroughput } from './kernelThroughput.js';
import { median } from './runCli.js';

const batch = Number(process.argv[2] ?? 256);
const threads = Number(process.argv[3] ?? 1);
const rounds = Number(process.argv[4] ?? 3);

console.log(`onnx kernel, batch ${batch}, ${threads} thread(s), median of ${rounds} rounds of 2 s: row-steps/s`);
console.log('vocab\tstep+JS\tstepSample\tratio');
for (const vocab of [100, 2000, 20000]) {
  const weights = randomWeights(vocab, 256, [256, 256], 3);
  const js = await createOnnxKernel(weights, { batchSize: batch, threads, sampling: false });
  const graph = await createOnnxKernel(weights, { batchSize: batch, threads, sampling: true });
  const results: [number[], number[]] = [[], []];
  for (let round = 0; round < rounds; round++) {
    results[0].push(await kernelThroughput(js, false, 2000));
    results[1].push(await kernelThroughput(graph, true, 2000));
  }
  const [a, b] = results.map(median) as [number, number];
  console.log(`${vocab}\t${a.toFixed(0)}\t${b.toFixed(0)}\t${(b / a).toFixed(2)}`);
  await js.dispose();
  await graph.dispose();
}
