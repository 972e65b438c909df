/**
 * Run as `node apiProcessEffects.js train|train-tuned|evaluate DIR` by api-side-effects.test.ts: a
 * fresh process per case, since V8 flags once set stay set. Prints one JSON line of what the host
 * process can observe afterwards.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import vm from 'node:vm';
import { evaluate, train } from '../../src/index.js';

const [mode, dir] = process.argv.slice(2) as [string, string];
const rows = Array.from({ length: 80 }, (_, i) => ({ color: ['red', 'green', 'blue'][i % 3]!, size: String(i % 5) }));

if (mode === 'evaluate') {
  await writeFile(path.join(dir, 'colors.csv'), `color,size\n${rows.map((r) => `${r.color},${r.size}`).join('\n')}\n`);
  const warnings: string[] = [];
  const report = await evaluate({ data: rows, model: path.join(dir, 'model'), lines: 20, randomSeed: 1, onWarning: (line) => warnings.push(line) });
  process.stdout.write(`${JSON.stringify({ warnings, score: report.score !== undefined })}\n`);
} else {
  const small = { embeddingDim: 8, lstmUnits: [16], epochs: 1, sequenceLength: 10, batchSize: 8, randomSeed: 1, workers: 1 };
  await train({ records: rows, out: path.join(dir, 'model'), backend: 'onnx', ...small, processTuning: mode === 'train-tuned' });
  // Flags a context picks up when it is made: --expose-gc adds gc(), --harmony-rab-gsab-transfer ArrayBuffer.prototype.transfer.
  const fresh = (code: string) => vm.runInNewContext(code) as string;
  process.stdout.write(`${JSON.stringify({ gc: fresh('typeof gc'), transfer: fresh('typeof ArrayBuffer.prototype.transfer') })}\n`);
}
