/**
 * The onnx step kernel alone on the reference model (vocab 100, embedding 256, LSTM [256, 256]):
 * manual gates vs onnxruntime's LSTM operator, the folded first-layer table, int8, batch sizes
 * and thread counts. Rounds interleave the variants; medians are printed.
 * Run: npm run build && node dist/bench/kernel-bench.js [rounds]
 */
import { createOnnxKernel, type OnnxKernelOptions } from '../src/engine/kernels/onnx/onnxKernel.js';
import { benchWeights } from './benchModel.js';
import { kernelThroughput } from './kernelThroughput.js';
import { median } from './runCli.js';

const rounds = Number(process.argv[2] ?? 3);
const weights = benchWeights(100);

const variants: [string, OnnxKernelOptions][] = [];
for (const batchSize of [64, 256]) {
  variants.push(
    [`b${batchSize} t1 lstm-op`, { batchSize, threads: 1, cell: 'lstm-op', projectEmbedding: false }],
    [`b${batchSize} t1 gates`, { batchSize, threads: 1, cell: 'gates', projectEmbedding: false }],
    [`b${batchSize} t1 gates+table`, { batchSize, threads: 1 }],
    [`b${batchSize} t1 gates+table int8`, { batchSize, threads: 1, quantize: true }],
    [`b${batchSize} t2 gates+table`, { batchSize, threads: 2 }],
  );
}
const kernels = await Promise.all(variants.map(([, options]) => createOnnxKernel(weights, options)));
const results = variants.map((): number[] => []);
for (let round = 0; round < rounds; round++) {
  for (let i = 0; i < kernels.length; i++) results[i]!.push(await kernelThroughput(kernels[i]!, true, 1500));
}
console.log(`onnx kernel with in-graph sampling, median of ${rounds} rounds of 1.5 s: row-steps/s`);
variants.forEach(([name], i) => console.log(`${name.padEnd(24)} ${median(results[i]!).toFixed(0).padStart(8)}   (${results[i]!.map((v) => v.toFixed(0)).join(', ')})`));
for (const kernel of kernels) await kernel.dispose();
