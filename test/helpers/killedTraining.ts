import { spawn, spawnSync } from 'node:child_process';
import { cp, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadModelDirectory } from '../../src/model/loadModelDirectory.js';
import { sha256 } from '../../src/model/checksum.js';
import { cliPath } from './runCli.js';

/** The smallest training run that still writes a real model: about a second of CPU. */
export const TINY_TRAIN = ['--embedding-dim', '8', '--lstm-units', '12', '--sequence-length', '16', '--batch-size', '2', '--epochs', '1', '--no-score', '--backend', 'wasm', '-q'];

export async function writeTinyCsv(file: string): Promise<void> {
  await writeFile(file, ['a,b', ...Array.from({ length: 30 }, (_, i) => `x${i % 5},y${i % 3}`)].join('\n') + '\n');
}

export interface TrainRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Why strace cannot kill a run here (absent, or ptrace not permitted), or undefined when it can. */
export function straceUnavailable(): string | undefined {
  const probe = spawnSync('strace', ['-qq', '-e', 'trace=none', 'true'], { encoding: 'utf8' });
  if (probe.error) return 'strace is not installed; install it with `apt-get install -y strace` (scripts/setup-test-services.sh does)';
  if (probe.status !== 0) return `strace cannot trace here (${probe.stderr.trim().split('\n')[0]}); ptrace is not permitted`;
  return undefined;
}

/**
 * `synth train` killed with SIGKILL on entry to the `nth` call of one of `syscalls` (before it takes
 * effect), counted on the main thread, where synth makes every rename, fsync and unlink of a model
 * write. A run that makes fewer such calls finishes normally.
 */
export function trainKilledAtSyscall(args: string[], syscalls: string, nth: number, cwd: string): Promise<TrainRun> {
  return run('strace', ['-qq', '-o', '/dev/null', '-e', `inject=${syscalls}:signal=KILL:when=${nth}`, process.execPath, cliPath, 'train', ...args], cwd);
}

/** `synth train` killed with SIGKILL `afterMs` after it started (or finished on its own before). */
export function trainKilledAfter(args: string[], afterMs: number, cwd: string): Promise<TrainRun> {
  return run(process.execPath, [cliPath, 'train', ...args], cwd, afterMs);
}

function run(file: string, args: string[], cwd: string, killAfterMs?: number): Promise<TrainRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      // Under strace the child is strace, which reports a tracee killed by a signal as 128 + signal.
      resolve({ status, signal: signal ?? (status === 137 ? 'SIGKILL' : null), stderr });
    });
  });
}

/** What a model directory holds for synth: absent, or the sha256 of the weights it loads (all files verified). */
export async function modelState(dir: string): Promise<'absent' | string> {
  const exists = await readdir(dir).then(() => true, () => false);
  if (!exists) return 'absent';
  const { weights } = await loadModelDirectory(dir);
  const arrays = [weights.embedding, ...weights.lstm.flatMap((l) => [l.kernel, l.recurrentKernel, l.bias]), weights.denseKernel, weights.denseBias];
  return sha256(Buffer.concat(arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
}

/** Replaces `dir` with a copy of `source` (the state a kill run starts from). */
export async function resetTo(source: string | undefined, dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  for (const name of await readdir(path.dirname(dir))) {
    if (name.startsWith(`${path.basename(dir)}.`)) await rm(path.join(path.dirname(dir), name), { recursive: true, force: true });
  }
  if (source) await cp(source, dir, { recursive: true });
}

/** Names in `dir` and the siblings of `dir` (OUT.tmp-*, OUT.old-*), for checking what a run left. */
export async function leftovers(dir: string): Promise<{ files: string[]; siblings: string[] }> {
  const files = await readdir(dir).catch(() => []);
  const siblings = (await readdir(path.dirname(dir))).filter((name) => name.startsWith(`${path.basename(dir)}.`));
  return { files: files.sort(), siblings };
}
