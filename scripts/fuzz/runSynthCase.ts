import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, from dist/scripts/fuzz. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const cliPath = path.join(repoRoot, 'bin', 'synth.js');

export interface RunLimits {
  /** CPU time (all threads) after which a run counts as hung. */
  cpuTimeoutMs: number;
  /** Wall time after which a run counts as hung: catches one blocked without using the CPU. */
  timeoutMs: number;
  maxRssKiB: number;
}

/**
 * 10 s of CPU time rather than of wall time: the cores are shared with other jobs (load averages
 * of 14 per core were seen), which stretched 3-second runs past 10 s of wall time.
 */
export const DEFAULT_LIMITS: RunLimits = { cpuTimeoutMs: 10_000, timeoutMs: 60_000, maxRssKiB: 1024 * 1024 };

/** How one run of the CLI ended, with what the fuzzer watched while it ran. */
export interface RunOutcome {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
  /** Peak resident set size (VmHWM) seen while polling, in KiB. */
  peakRssKiB: number;
  /** CPU time of all its threads, as last polled. */
  cpuMs: number;
  timedOut: boolean;
  overMemory: boolean;
}

/** Output kept per stream; a case that writes more has already shown what it does. */
const MAX_CAPTURE = 1 << 20;
/** VmHWM only grows, so polling it misses at most the growth of the last interval before exit. */
const POLL_MS = 25;

/**
 * Runs the real built CLI (`node bin/synth.js ...`) in a child process, killing it on a hang (past
 * `cpuTimeoutMs` of CPU or `timeoutMs` of wall time) or a peak RSS past `maxRssKiB`. RSS is read from /proc, not capped with
 * --max-old-space-size, because onnxruntime's and wasm's memory lies outside V8's heap.
 */
export function runSynthCase(args: string[], cwd: string, limits: RunLimits = DEFAULT_LIMITS): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < MAX_CAPTURE) stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < MAX_CAPTURE) stderr += d;
    });
    let peakRssKiB = 0;
    let cpuMs = 0;
    let timedOut = false;
    let overMemory = false;
    const poll = setInterval(() => {
      peakRssKiB = Math.max(peakRssKiB, readPeakRssKiB(child.pid));
      cpuMs = Math.max(cpuMs, readCpuMs(child.pid));
      if (peakRssKiB > limits.maxRssKiB && !overMemory) {
        overMemory = true;
        child.kill('SIGKILL');
      }
      if (cpuMs > limits.cpuTimeoutMs && !timedOut) {
        timedOut = true;
        child.kill('SIGKILL');
      }
    }, POLL_MS);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limits.timeoutMs);
    child.on('error', (error) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', () => {
      clearInterval(poll);
      clearTimeout(timer);
    });
    child.on('close', (status, signal) => {
      resolve({ status, signal, stdout, stderr, elapsedMs: Date.now() - started, peakRssKiB, cpuMs, timedOut, overMemory });
    });
  });
}

function readPeakRssKiB(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // exited between polls
  }
}

/** Clock ticks per second of /proc/PID/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function readCpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces: state is [0], utime [11], stime [12].
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
