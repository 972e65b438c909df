import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GenerateStats } from '../src/generate/generateStats.js';

/** The repository root (this file runs from dist/bench/). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SYNTH_BIN = path.join(REPO_ROOT, 'bin/synth.js');

/** The `stats: {json}` line that `synth generate --stats` prints on stderr. */
export type CliStats = GenerateStats;

export interface CliRun {
  command: string;
  exitCode: number | null;
  /** Whole process, spawn to exit. */
  wallMs: number;
  /** Spawn to the first byte on stdout (records), if any. */
  firstOutputMs: number | null;
  stats: CliStats | null;
  /** From /usr/bin/time -v, when measured. */
  maxRssKb: number | null;
  stderr: string;
}

const TIME_BIN = '/usr/bin/time';

/**
 * Runs `node bin/synth.js <args>` as a whole process and measures it from the outside.
 * With `measureRss`, runs it under /usr/bin/time -v and reads "Maximum resident set size".
 */
export function runSynth(args: string[], options: { measureRss?: boolean } = {}): Promise<CliRun> {
  const useTime = options.measureRss === true && existsSync(TIME_BIN);
  const argv = useTime ? [TIME_BIN, '-v', process.execPath, SYNTH_BIN, ...args] : [process.execPath, SYNTH_BIN, ...args];
  const command = ['synth', ...args].join(' ');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstOutputMs: number | null = null;
    const child = spawn(argv[0]!, argv.slice(1), { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', () => {
      firstOutputMs ??= performance.now() - started;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const wallMs = performance.now() - started;
      const statsLine = /^stats: (\{.*\})$/m.exec(stderr);
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      resolve({
        command,
        exitCode,
        wallMs,
        firstOutputMs,
        stats: statsLine ? (JSON.parse(statsLine[1]!) as CliStats) : null,
        maxRssKb: rss ? Number(rss[1]) : null,
        stderr,
      });
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
