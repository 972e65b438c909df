/**
 * Quality of the onnx-int8 kernel against fp32 onnx on a model directory: both kernels read the
 * same token streams (sampled from fp32 at temperature 1, records restarting at end-of-record),
 * each carrying its own state, and at every step we compare what they would emit.
 * Run: npm run build && node dist/bench/quantization-check.js [modelDir] [steps]
 */
import { createState } from '../src/engine/kernels/kernel.js';
import { createOnnxKernel } from '../src/engine/kernels/onnx/onnxKernel.js';
import { argmax, sampleToken } from '../src/engine/sampler.js';
import { candidateStream } from '../src/engine/rng.js';
import { defaultModelDir } from '../src/cli/defaultModel.js';
import { loadModelDirectory } from '../src/model/loadModelDirectory.js';

const dir = process.argv[2] ?? defaultModelDir();
const steps = Number(process.argv[3] ?? 300);
const B = 64;

const { weights, manifest } = await loadModelDirectory(dir);
const V = weights.vocabSize;
const eor = manifest.tokenizer.endOfRecord;
const fp32 = await createOnnxKernel(weights, { batchSize: B, threads: 1, sampling: false });
const int8 = await createOnnxKernel(weights, { batchSize: B, threads: 1, sampling: false, quantize: true });
const state32 = createState(fp32.units, B);
const state8 = createState(int8.units, B);
const streams = Array.from({ length: B }, (_, r) => candidateStream(1, r));
const tokens = new Int32Array(B).fill(eor);

let compared = 0;
let sampledSame = 0;
let argmaxSame = 0;
let klSum = 0;
let maxLogitDifference = 0;
for (let t = 0; t < steps; t++) {
  const a = (await fp32.step(tokens, state32)).slice();
  const b = await int8.step(tokens, state8);
  for (let r = 0; r < B; r++) {
    const u = streams[r]!();
    const o = r * V;
    const next = sampleToken(a, o, V, 1, u);
    compared++;
    if (sampleToken(b, o, V, 1, u) === next) sampledSame++;
    if (argmax(a, o, V) === argmax(b, o, V)) argmaxSame++;
    klSum += klDivergence(a.subarray(o, o + V), b.subarray(o, o + V));
    for (let v = 0; v < V; v++) maxLogitDifference = Math.max(maxLogitDifference, Math.abs(a[o + v]! - b[o + v]!));
    tokens[r] = next;
    if (next === eor) for (const s of [state32, state8]) s.forEach((array, i) => array.fill(0, r * fp32.units[i >> 1]!, (r + 1) * fp32.units[i >> 1]!));
  }
}
await fp32.dispose();
await int8.dispose();
console.log(
  JSON.stringify({
    model: dir,
    steps,
    batch: B,
    comparedTokens: compared,
    sampledTokenAgreement: sampledSame / compared,
    argmaxAgreement: argmaxSame / compared,
    meanKlNats: klSum / compared,
    maxLogitDifference,
  }),
);

/** KL(p || q) of softmax(a) and softmax(b), in nats. */
function klDivergence(a: Float32Array, b: Float32Array): number {
  const logSoftmax = (x: Float32Array): Float64Array => {
    const max = Math.max(...x);
    const lse = Math.log(x.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
    return Float64Array.from(x, (v) => v - lse);
  };
  const la = logSoftmax(a);
  const lb = logSoftmax(b);
  let kl = 0;
  for (let i = 0; i < la.length; i++) kl += Math.exp(la[i]!) * (la[i]! - lb[i]!);
  return kl;
}
