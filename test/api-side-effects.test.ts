import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { runCommand, type CliResult } from './helpers/runCli.js';

const script = fileURLToPath(new URL('./helpers/apiProcessEffects.js', import.meta.url));
const failOnnx = new URL('./helpers/failOnnxImport.js', import.meta.url).href;

/** Runs the API in a fresh Node process (a V8 flag, once set, stays set) and returns what it printed. */
function inFreshProcess(args: string[], nodeArgs: string[] = []): Promise<CliResult> {
  return runCommand(process.execPath, [...nodeArgs, script, ...args]);
}

describe('the API leaves the host process alone unless asked', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'synth-api-effects-'));
  });
  after(() => rm(work, { recursive: true, force: true }));

  test('train() sets no V8 flags and forces no collection by default; processTuning: true does both', async () => {
    const plain = await inFreshProcess(['train', path.join(work, 'plain')]);
    assert.equal(plain.status, 0, plain.stderr);
    assert.deepEqual(JSON.parse(plain.stdout), { gc: 'undefined', transfer: 'undefined' });
    const tuned = await inFreshProcess(['train-tuned', path.join(work, 'tuned')]);
    assert.equal(tuned.status, 0, tuned.stderr);
    // On Node 20 the transfer method exists only behind the flag the tuned trainer sets.
    assert.deepEqual(JSON.parse(tuned.stdout), { gc: 'function', transfer: 'function' });
  });

  test('evaluate() hands its warnings to onWarning and writes nothing to the host\'s stderr', async () => {
    const dir = path.join(work, 'plain');
    // With onnxruntime-node failing to load, generation falls back to wasm and says so once.
    const run = await inFreshProcess(['evaluate', dir], ['--import', failOnnx]);
    assert.equal(run.status, 0, run.stderr);
    const { warnings, score } = JSON.parse(run.stdout) as { warnings: string[]; score: boolean };
    assert.equal(score, true);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /onnx unavailable .*using the wasm backend/);
    assert.equal(run.stderr, '');
  });
});
