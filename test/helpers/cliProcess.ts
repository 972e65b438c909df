import { spawn, type ChildProcess } from 'node:child_process';
import { cliPath, repoRoot, type CliResult } from './runCli.js';
import { unprivileged } from './unprivileged.js';

export interface SynthRunOptions {
  cwd?: string;
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Node flags before the script, e.g. ['--import', url] to inject a fault. */
  nodeArgs?: string[];
  /** Run as another user (tests run as root, to whom every directory is writable). */
  uid?: number;
  gid?: number;
  /** Run with file permissions enforced, even as root (see unprivileged.ts). */
  unprivileged?: boolean;
  /** The child is killed with SIGKILL after this long; the result then has signal SIGKILL. */
  timeoutMs?: number;
}

export interface SynthProcess {
  child: ChildProcess;
  /** stderr received so far. */
  stderr(): string;
  /** Settles when the child has exited and its streams are closed. */
  result: Promise<CliResult>;
}

/** Starts the built CLI (`node bin/synth.js ...`) in a child process, for tests that signal it while it runs. */
export function startSynth(args: string[], options: SynthRunOptions = {}): SynthProcess {
  const command = { file: process.execPath, args: [...(options.nodeArgs ?? []), cliPath, ...args] };
  const { file, args: commandArgs } = options.unprivileged ? unprivileged(command.file, command.args) : command;
  const child = spawn(file, commandArgs, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const result = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
  return { child, stderr: () => stderr, result };
}

/** Runs the built CLI to completion with the options runCli lacks (environment, node flags, user). */
export function runSynth(args: string[], options: SynthRunOptions = {}): Promise<CliResult> {
  return startSynth(args, options).result;
}

/** Polls until `condition` holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `tasks` with at most `limit` at a time, keeping the results in order. */
export async function inBatches<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  return results;
}
