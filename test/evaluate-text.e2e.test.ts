import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from './helpers/runCli.js';
import { writeRandomModel } from './helpers/randomModel.js';
import { tempDirectory } from './helpers/tempDirectory.js';

const WORDS = ['amber', 'bright', 'cedar', 'dune', 'ember', 'fable', 'garnet', 'harbor', 'island', 'jasper', 'kestrel', 'lantern'];
const lines = Array.from({ length: 240 }, (_, i) => `${WORDS[i % WORDS.length]}${WORDS[(i * 7 + 3) % WORDS.length]}`);

async function textData(): Promise<{ dir: string; dataPath: string }> {
  const dir = await tempDirectory('synth-text-eval-');
  const dataPath = path.join(dir, 'words.txt');
  await writeFile(dataPath, `${lines.join('\n')}\n`);
  return { dir, dataPath };
}

test('synth evaluate scores a plain-text model on the text measures, beside the n-gram baseline', async () => {
  const { dir, dataPath } = await textData();
  const modelDir = await writeRandomModel({ records: lines.map((line) => [line]), delimited: false, dir: path.join(dir, 'model'), maxChars: 80 });
  const reportPath = path.join(dir, 'report.json');
  const result = await runCli(['evaluate', '--model', modelDir, '--data', dataPath, '--lines', '200', '--random-seed', '5', '--report', reportPath]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^synthetic records +\d+ +0\.\d{3} +0\.\d{3} /m);
  assert.match(result.stderr, /^character 3-gram model \(baseline\) +200 +0\.\d{3} +0\.\d{3} /m);
  assert.match(result.stderr, /^3-grams \(1 − TV of the top\) /m);
  assert.match(result.stderr, /^baselines +n-gram \d+\.\d \(same formula\)$/m);
  const report = JSON.parse(await readFile(reportPath, 'utf8'));
  assert.equal(report.recordKind, 'text');
  assert.deepEqual(report.synthesizers.map((row: { id: string }) => row.id), ['synthetic', 'characterNgram', 'heldOut']);
  const [score] = /^score +(\d+\.\d) \/ 100/m.exec(result.stderr)!.slice(1);
  assert.ok(Number(score) > 0, `a text model scores something: ${score}`);
  assert.equal(Number(score), report.score.value);
  // random weights are far from the words; the 3-gram model and new real lines are not
  const [model, ngram, ceiling] = report.synthesizers;
  assert.ok(ngram.score.value > model.score.value && ceiling.score.value > 80, JSON.stringify(report.synthesizers.map((row: { score: { value: number } }) => row.score.value)));
});

test("synth train's closing line on plain text names the text measures and the n-gram baseline", async () => {
  const { dir, dataPath } = await textData();
  const tiny = ['--embedding-dim', '8', '--lstm-units', '16', '--epochs', '1', '--sequence-length', '16', '--batch-size', '16', '--random-seed', '1', '--backend', 'wasm'];
  const result = await runCli(['train', '--input', dataPath, '--out', path.join(dir, 'model'), ...tiny], { timeoutMs: 300_000 });
  assert.equal(result.status, 0, result.stderr);
  const line = result.stderr.split('\n').find((l) => l.startsWith('synth: quality score'));
  assert.ok(line, result.stderr);
  assert.match(line, /^synth: quality score \d+\.\d \/ 100 vs best baseline \d+\.\d \(n-gram\) \(record length \d\.\d{3}, character n-grams \d\.\d{3}, valid \d+\.\d%, exact copies/);
  const [, model] = /quality score (\d+\.\d)/.exec(line)!;
  assert.ok(Number(model) > 0, line);
});
