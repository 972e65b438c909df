import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeRepeatedTable } from './repeatedTable.js';
import { median, runSynth } from './runCli.js';

/**
 * `npm run bench:memory`: peak memory of `synth train` on a big table, as issue 13 measures it.
 * Makes a CSV of fixtures/customers.csv's rows repeated to BENCH_ROWS rows (default 300,000, about
 * 29 MB) and runs `synth train --input big.csv --out m --max-minutes 0.5 --random-seed 1` (the
 * quality score included) under /usr/bin/time -v, with default flags and with `--workers 1`,
 * interleaved for BENCH_ROUNDS rounds (default 3). Prints each run's maximum resident set size and
 * the medians. The environment passes through (try MALLOC_ARENA_MAX=2). Peaks of identical runs
 * scatter by ±10–20 MB on a shared machine; compare medians of interleaved rounds.
 */
const ROWS = Number(process.env.BENCH_ROWS ?? 300_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONFIGS: { name: string; flags: string[] }[] = [
  { name: 'default flags', flags: [] },
  { name: '--workers 1', flags: ['--workers', '1'] },
];

const dir = await mkdtemp(path.join(os.tmpdir(), 'synth-memory-bench-'));
try {
  const file = await writeRepeatedTable(dir, ROWS, 'big.csv');
  const peaks = new Map<string, number[]>(CONFIGS.map((c) => [c.name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const config of CONFIGS) {
      const out = path.join(dir, `m${round}-${config.flags.join('')}`);
      const run = await runSynth(['train', '--input', file, '--out', out, '--max-minutes', '0.5', '--random-seed', '1', ...config.flags], { measureRss: true });
      if (run.exitCode !== 0) throw new Error(`${run.command} exited ${run.exitCode}: ${run.stderr.trim().split('\n').pop()}`);
      if (run.maxRssKb === null) throw new Error('no peak RSS: this benchmark needs /usr/bin/time (GNU time)');
      peaks.get(config.name)!.push(run.maxRssKb);
      console.log(`round ${round}, ${config.name}: peak RSS ${run.maxRssKb} kB (${(run.wallMs / 1000).toFixed(1)} s)`);
      await rm(out, { recursive: true, force: true });
    }
  }
  console.log(`${ROWS} rows; MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? '(unset)'}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const [name, values] of peaks) console.log(`${name}: median peak RSS ${(median(values) / 1000).toFixed(0)} MB (${values.join(', ')} kB)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
