import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ModelWeights } from '../src/model/manifest.js';
import { writeModelDirectory } from '../src/model/writeModelDirectory.js';
import { loadTf } from '../src/tfjs/backend.js';
import { CharTokenizer } from '../src/tokenizer/charTokenizer.js';
import { randomWeights } from '../test/helpers/randomModel.js';

/** The reference architecture of issue 3: embedding 256, LSTM [256, 256], ~100 characters. */
export const BENCH_ARCHITECTURE = { embeddingDim: 256, lstmUnits: [256, 256] } as const;

/** Printable ASCII plus a few accented letters: 99 characters, 100 tokens with end-of-record. */
const CHARACTERS = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), 'é', 'è', 'ü', 'ß'];

/**
 * Weights of the reference shape, random but scaled like Glorot initialisation so gates are not
 * saturated and records end at a plausible rate (end-of-record is one token among 100).
 */
export function benchWeights(vocabSize: number): ModelWeights {
  const [u1, u2] = BENCH_ARCHITECTURE.lstmUnits;
  const weights = randomWeights(vocabSize, BENCH_ARCHITECTURE.embeddingDim, [u1, u2], 11);
  const scale = (a: Float32Array, by: number) => a.forEach((v, i) => (a[i] = v * by));
  for (const layer of weights.lstm) {
    scale(layer.kernel, 0.25);
    scale(layer.recurrentKernel, 0.25);
  }
  scale(weights.denseKernel, 0.2);
  return weights;
}

/** Writes the bench model directory (plain-text records) to a fresh temporary directory. */
export async function writeBenchModel(): Promise<string> {
  const tokenizer = CharTokenizer.fromRecords([[CHARACTERS.join('')]], false);
  const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'synth-bench-')), 'model');
  const { tf } = await loadTf('wasm');
  await writeModelDirectory(
    tf,
    dir,
    {
      architecture: { kind: 'char-lstm', vocabSize: tokenizer.vocabSize, ...BENCH_ARCHITECTURE, lstmUnits: [...BENCH_ARCHITECTURE.lstmUnits], dropout: 0.2 },
      tokenizer: tokenizer.spec,
      records: { kind: 'text' },
      generation: { maxChars: 64 },
      training: { settings: { random: true, purpose: 'benchmark' }, metrics: {} },
    },
    benchWeights(tokenizer.vocabSize),
    { overwrite: false },
  );
  return dir;
}
