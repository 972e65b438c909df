import { watch } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { cliPath } from '../test/helpers/runCli.js';
import { TINY_TRAIN, modelState, resetTo, straceUnavailable, trainKilledAfter, trainKilledAtSyscall, writeTinyCsv } from '../test/helpers/killedTraining.js';

/**
 * `node dist/scripts/crash-kill-moments.js [N]`: the longer run of the crash test (npm test kills at
 * each rename and unlink and at 4 fixed moments). Kills `synth train --overwrite` with SIGKILL at
 * each fsync of its model write, at N/2 random moments of the whole run and at N/2 random moments
 * of its write (0-20 ms after its first temporary file appears in --out), and checks after each
 * kill that --out loads as the old model or the new one. N defaults to 50. Exit 1 on any other state.
 */
const moments = Number(process.argv[2] ?? 50);
const work = await mkdtemp(path.join(os.tmpdir(), 'synth-kill-moments-'));
const input = path.join(work, 'data.csv');
const out = path.join(work, 'model');
const oldModel = path.join(work, 'old-model');
await writeTinyCsv(input);
const args = (seed: number, dir = out) => ['--input', input, '--out', dir, ...TINY_TRAIN, '--random-seed', String(seed), '--overwrite'];

let failures = 0;
const tally = new Map<string, number>();
async function check(what: string, killed: boolean, oldState: string, newState: string): Promise<void> {
  let state: string;
  try {
    state = await modelState(out);
  } catch (error) {
    state = `unloadable: ${(error as Error).message}`;
  }
  const verdict = state === oldState ? 'old' : state === newState ? 'new' : state;
  if (verdict !== 'old' && verdict !== 'new') failures++;
  const key = `${killed ? 'killed' : 'finished'} -> ${verdict === 'old' || verdict === 'new' ? verdict : 'NEITHER'}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
  console.log(`${what}: ${killed ? 'killed' : 'finished'}, --out holds ${verdict}`);
}

try {
  const first = await trainKilledAfter(args(3, oldModel), 120_000, work);
  if (first.status !== 0) throw new Error(first.stderr);
  const oldState = await modelState(oldModel);
  await resetTo(oldModel, out);
  const started = Date.now();
  const full = await trainKilledAfter(args(5), 120_000, work);
  const runMs = Date.now() - started;
  if (full.status !== 0) throw new Error(full.stderr);
  const newState = await modelState(out);

  for (let nth = 1; ; nth++) {
    await resetTo(oldModel, out);
    const run = await trainKilledAtSyscall(args(5), 'fsync,fdatasync', nth, work);
    await check(`fsync #${nth}`, run.signal === 'SIGKILL', oldState, newState);
    if (run.signal !== 'SIGKILL') break;
  }
  for (let i = 0; i < Math.ceil(moments / 2); i++) {
    await resetTo(oldModel, out);
    const afterMs = Math.round(Math.random() * 1.1 * runMs);
    const run = await trainKilledAfter(args(5), afterMs, work);
    await check(`whole run, ${afterMs} ms`, run.signal === 'SIGKILL', oldState, newState);
  }
  for (let i = 0; i < Math.floor(moments / 2); i++) {
    await resetTo(oldModel, out);
    const delayMs = Math.round(Math.random() * 20);
    const killed = await killDuringWrite(delayMs);
    await check(`write, ${delayMs} ms after its first temporary file`, killed, oldState, newState);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
console.log([...tally].map(([key, n]) => `${n} ${key}`).join(', '));
console.log(straceUnavailable() ? `(fsync kills skipped: ${straceUnavailable()})` : '');
process.exit(failures === 0 ? 0 : 1);

/** Starts the overwrite and kills it `delayMs` after the first temporary file shows up in --out. */
function killDuringWrite(delayMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'train', ...args(5)], { cwd: work, stdio: 'ignore' });
    const watcher = watch(out, (_event, name) => {
      if (!name?.includes('.tmp-')) return;
      watcher.close();
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('error', reject);
    child.on('close', (_status, signal) => {
      watcher.close();
      resolve(signal === 'SIGKILL');
    });
  });
}
