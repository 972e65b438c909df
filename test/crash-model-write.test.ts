import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runSynth } from './helpers/cliProcess.js';
import {
  TINY_TRAIN,
  leftovers,
  modelState,
  resetTo,
  straceUnavailable,
  trainKilledAfter,
  trainKilledAtSyscall,
  writeTinyCsv,
} from './helpers/killedTraining.js';

// synth train killed with SIGKILL at each rename and unlink of its model write, and at a few random
// moments, leaves --out holding the old model or the new one, whole (every file verified by
// loadModelDirectory); the next run cleans up after it. scripts/crash-kill-moments.ts kills at each
// fsync and at 50 more random moments. writeModelDirectory.ts argues why, step by step.

const skip = straceUnavailable();
let work: string;
let input: string;
let out: string;
let oldModel: string;
let oldState: string;
let newState: string;

const trainArgs = (seed: number, overwrite = true): string[] => ['--input', input, '--out', out, ...TINY_TRAIN, '--random-seed', String(seed), ...(overwrite ? ['--overwrite'] : [])];

before(async () => {
  if (skip) return;
  work = await mkdtemp(path.join(os.tmpdir(), 'synth-crash-'));
  input = path.join(work, 'data.csv');
  out = path.join(work, 'model');
  await writeTinyCsv(input);
  oldModel = path.join(work, 'old-model');
  const first = await runSynth(['train', '--input', input, '--out', oldModel, ...TINY_TRAIN, '--random-seed', '3']);
  assert.equal(first.status, 0, first.stderr);
  oldState = await modelState(oldModel);
  await resetTo(oldModel, out);
  const second = await trainKilledAfter(trainArgs(5), 120_000, work);
  assert.equal(second.status, 0, second.stderr);
  newState = await modelState(out);
  assert.notEqual(newState, oldState);
});

after(() => (work ? rm(work, { recursive: true, force: true }) : undefined));

/**
 * Kills an overwrite at the 1st, 2nd, ... call of `syscalls` until a run makes fewer calls and
 * finishes; returns the model each kill left ('old' / 'new'), failing on anything else.
 */
async function killAtEach(syscalls: string, from: { state: string; dir: string }): Promise<string[]> {
  const seen: string[] = [];
  for (let nth = 1; nth < 30; nth++) {
    await resetTo(from.dir, out);
    const run = await trainKilledAtSyscall(trainArgs(5), syscalls, nth, work);
    const state = await modelState(out).catch((error: Error) => assert.fail(`killed at ${syscalls} #${nth}: ${error.message}`));
    if (run.signal !== 'SIGKILL') {
      assert.equal(run.status, 0, run.stderr);
      assert.equal(state, newState, `a finished run leaves the new model`);
      return seen;
    }
    assert.ok(state === from.state || state === newState, `killed at ${syscalls} #${nth}: --out holds neither the old model nor the new one`);
    seen.push(state === newState ? 'new' : 'old');
  }
  return assert.fail(`more than 30 calls of ${syscalls}`);
}

describe('synth train --overwrite killed with SIGKILL leaves the old model or the new one', { skip }, () => {
  test('killed at each rename: the old model until synth.json is renamed, the new one after', async (t) => {
    const seen = await killAtEach('rename,renameat,renameat2', { state: oldState, dir: oldModel });
    t.diagnostic(`kills at renames 1-${seen.length} left: ${seen.join(' ')}`);
    // weights-H.bin, model-H.json, synth.json (the switch), model.json.
    assert.deepEqual(seen, ['old', 'old', 'old', 'new']);
  });

  test('killed at each unlink (removing the old files): the new model', async (t) => {
    const unlinks = await killAtEach('unlink,unlinkat', { state: oldState, dir: oldModel });
    t.diagnostic(`kills at unlinks left: ${unlinks.join(' ')}`);
    assert.ok(unlinks.length >= 1 && unlinks.every((s) => s === 'new'), unlinks.join(' '));
  });

  test('killed at random moments', async (t) => {
    // A fixed spread over one run's length (start-up, training and the write); the script runs 50 more.
    const started = Date.now();
    await resetTo(oldModel, out);
    const full = await trainKilledAfter(trainArgs(5), 120_000, work);
    assert.equal(full.status, 0, full.stderr);
    const runMs = Date.now() - started;
    const seen: string[] = [];
    for (const fraction of [0.35, 0.8, 0.97, 1.02]) {
      await resetTo(oldModel, out);
      const run = await trainKilledAfter(trainArgs(5), Math.round(fraction * runMs), work);
      const state = await modelState(out);
      assert.ok(state === oldState || state === newState, `killed after ${Math.round(fraction * runMs)} ms: neither old nor new`);
      seen.push(`${Math.round(fraction * runMs)} ms: ${run.signal ?? `exit ${run.status}`}, ${state === newState ? 'new' : 'old'}`);
    }
    t.diagnostic(seen.join('; '));
  });

  test('the next train --overwrite after a kill succeeds and leaves only the model\'s own files', async () => {
    await resetTo(oldModel, out);
    // Killed at the 2nd rename: weights-H.bin is in place and unnamed, model-H.json a temporary file.
    const killed = await trainKilledAtSyscall(trainArgs(5), 'rename', 2, work);
    assert.equal(killed.signal, 'SIGKILL');
    assert.ok((await leftovers(out)).files.some((name) => name.includes('.tmp-')));
    const next = await runSynth(['train', ...trainArgs(7)]);
    assert.equal(next.status, 0, next.stderr);
    const { files, siblings } = await leftovers(out);
    assert.deepEqual(siblings, []);
    assert.equal(files.length, 4, files.join(' '));
    assert.deepEqual(files.filter((name) => !/^(?:model-[0-9a-f]{16}\.json|weights-[0-9a-f]{16}\.bin)$/.test(name)), ['model.json', 'synth.json']);
    const generated = await runSynth(['generate', '--model', out, '--lines', '2', '--random-seed', '1', '--workers', '1']);
    assert.equal(generated.status, 0, generated.stderr);
    assert.equal(generated.stdout.trim().split('\n').length, 2);
  });
});

describe('synth train into a new --out killed with SIGKILL leaves no model or the whole new one', { skip }, () => {
  test('killed at its one rename: --out is absent; the next run (no --overwrite) removes the staging directory and writes the model', async () => {
    await resetTo(undefined, out);
    const killed = await trainKilledAtSyscall(trainArgs(5, false), 'rename', 1, work);
    assert.equal(killed.signal, 'SIGKILL');
    assert.equal(await modelState(out), 'absent');
    assert.equal((await leftovers(out)).siblings.length, 1, 'the staging directory of the killed run');
    const next = await trainKilledAfter(trainArgs(5, false), 120_000, work);
    assert.equal(next.status, 0, next.stderr);
    assert.equal(await modelState(out), newState);
    assert.deepEqual(await leftovers(out), { files: ['model.json', 'synth.json', 'weights.bin'], siblings: [] });
  });
});
