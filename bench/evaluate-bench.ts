import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { evaluationRandom } from '../src/random/seededRandom.js';
import { REPO_ROOT, runSynth } from './runCli.js';

/**
 * `npm run bench:evaluate`: how long `synth evaluate --synthetic` takes on big inputs (issue 9's
 * bar: 100,000 synthetic records in under 30 s). Two cases: the bundled customers table (11 columns,
 * 3,000 real records) with 100,000 synthetic records resampled from it, and a 30-column table
 * (10 numeric, 15 categorical, 5 unique text; 10,000 real, 100,000 synthetic records), where the
 * 210 contingency and 45 correlation pairs grow as columns². Prints wall and CPU time and the load
 * average: the machine may be shared, so wall time alone says little.
 */
const SYNTHETIC = Number(process.env.EVALUATE_BENCH_RECORDS ?? 100_000);

/** A wide table whose columns all depend on one hidden value, so every pair has a relation to keep. */
function wideTable(rows: number, seed: number): string[][] {
  const random = evaluationRandom(seed);
  const header = Array.from({ length: 30 }, (_, c) => (c < 10 ? `num${c}` : c < 25 ? `cat${c}` : `text${c}`));
  const records = Array.from({ length: rows }, () => {
    const base = random();
    return header.map((_, c) =>
      c < 10 ? (base * 100 * (c + 1) + random() * 50).toFixed(2) : c < 25 ? `v${Math.floor((base * 0.5 + random() * 0.5) * (3 + c * 2))}` : `t${Math.floor(random() * 1e9)}`,
    );
  });
  return [header, ...records];
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'synth-evaluate-bench-'));
  try {
    const [header, ...customers] = parse(await readFile(path.join(REPO_ROOT, 'fixtures/customers.csv'), 'utf8')) as string[][];
    const random = evaluationRandom(1);
    const resampled = Array.from({ length: SYNTHETIC }, () => customers[Math.floor(random() * customers.length)]!);
    const cases = [
      { name: `customers, 11 columns, ${SYNTHETIC} synthetic records`, data: 'fixtures/customers.csv', synthetic: [header!, ...resampled] },
      { name: `30 columns, 10000 real, ${SYNTHETIC} synthetic records`, data: wideTable(10_000, 2), synthetic: wideTable(SYNTHETIC, 3) },
    ];
    for (const [i, c] of cases.entries()) {
      const syntheticPath = path.join(dir, `synthetic-${i}.csv`);
      await writeFile(syntheticPath, stringify(c.synthetic));
      let dataPath = c.data as string;
      if (typeof c.data !== 'string') await writeFile((dataPath = path.join(dir, `real-${i}.csv`)), stringify(c.data));
      const load = os.loadavg()[0]!.toFixed(1);
      const run = await runSynth(['evaluate', '--synthetic', syntheticPath, '--data', dataPath], { measureRss: true });
      if (run.exitCode !== 0) throw new Error(`${run.command} exited ${run.exitCode}: ${run.stderr}`);
      const cpu = (label: string) => Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(run.stderr)?.[1] ?? NaN);
      console.log(
        `${c.name}: wall ${(run.wallMs / 1000).toFixed(1)} s, CPU user ${cpu('User')} s + sys ${cpu('System')} s, ` +
          `max RSS ${run.maxRssKb === null ? '?' : Math.round(run.maxRssKb / 1024)} MB (load average ${load} on ${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? 'CPU'})`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
