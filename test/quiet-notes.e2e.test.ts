import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runSynth } from './helpers/cliProcess.js';
import { runCli } from './helpers/runCli.js';
import { tfjsNodeInstalled } from './helpers/tfjsNode.js';


describe('quiet by default: optional backends the user did not ask for', () => {
  let work: string;
  let input: string;
  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'synth-quiet-'));
    input = path.join(work, 'words.txt');
    await writeFile(input, Array.from({ length: 40 }, (_, i) => ['alpha', 'beta', 'gamma', 'delta'][i % 4]).join('\n'));
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const trainArgs = (out: string) => ['train', '--input', input, '--out', path.join(work, out), '--epochs', '1', '--embedding-dim', '4', '--lstm-units', '8', '--sequence-length', '8', '--no-score', '--random-seed', '1'];

  // onnxruntime made unloadable, so auto falls back to the TensorFlow.js trainer, whose backend
  // choice is where the tfjs-node note would come from.
  const failOnnx = { nodeArgs: ['--import', new URL('./helpers/failOnnxImport.js', import.meta.url).href] };

  test('synth train says nothing about @tensorflow/tfjs-node unless --verbose', { skip: tfjsNodeInstalled && 'tfjs-node loads here: there is no note to hide' }, async () => {
    const quiet = await runSynth(trainArgs('a'), failOnnx);
    assert.equal(quiet.status, 0, quiet.stderr);
    assert.doesNotMatch(quiet.stderr, /tfjs-node/);
    const verbose = await runSynth([...trainArgs('b'), '--verbose'], failOnnx);
    assert.equal(verbose.status, 0, verbose.stderr);
    assert.match(verbose.stderr, /note: @tensorflow\/tfjs-node is not available .*; using the wasm backend/);
  });

  test('synth doctor lists every backend, whether it loads here, and what auto takes', async () => {
    const r = await runCli(['doctor'], { timeoutMs: 180_000 });
    assert.equal(r.status, 0, r.stderr);
    for (const backend of ['onnx', 'onnx-int8', 'tensorflow', 'wasm', 'cpu']) assert.match(r.stdout, new RegExp(`^${backend} +(ok \\(\\d+ ms|unavailable: )`, 'm'));
    assert.match(r.stdout, /^onnx +ok/m, 'onnxruntime-node is installed in this repository');
    assert.match(r.stdout, /^--backend auto uses: onnx$/m);
    if (!tfjsNodeInstalled) assert.match(r.stdout, /^tensorflow +unavailable: .*tfjs-node/m);
  });
});
