import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, runSynth } from './runCli.js';

/**
 * `npm run bench:quality`: the quality issue's table. For each public table, `synth train` with
 * default flags under a time limit, then `synth evaluate` of its records next to the simple
 * synthesizers (independent columns, Gaussian copula) and the held-out real part (the ceiling),
 * all scored with SDMetrics' Column Shapes / Column Pair Trends and the report's overall score.
 * Sequential on purpose: two trainings at once would each get half the machine.
 *
 * Environment: QUALITY_MINUTES (training limit, default 10), QUALITY_TABLES (comma-separated
 * names below, default all), QUALITY_LINES (records evaluated, default 2000), QUALITY_SEED (1).
 */
const TABLES: Record<string, string> = {
  customers: 'fixtures/customers.csv',
  weather: 'fixtures/public/weather.csv',
  cars: 'fixtures/public/cars.csv',
  birdstrikes: 'fixtures/public/birdstrikes.csv',
  airports: 'fixtures/public/airports.csv',
};

const minutes = Number(process.env.QUALITY_MINUTES ?? 10);
const lines = Number(process.env.QUALITY_LINES ?? 2000);
const seed = Number(process.env.QUALITY_SEED ?? 1);
const names = (process.env.QUALITY_TABLES ?? Object.keys(TABLES).join(',')).split(',').map((n) => n.trim());
for (const name of names) if (!TABLES[name]) throw new Error(`QUALITY_TABLES: unknown table ${name}; known: ${Object.keys(TABLES).join(', ')}`);

interface SynthesizerRow {
  id: string;
  label: string;
  columnShapes: number | null;
  columnPairTrends: number | null;
  score: { value: number };
}

interface TableResult {
  table: string;
  input: string;
  trainingMinutes: number;
  epochs: number;
  bestEpoch: number;
  stoppedBy: string;
  rows: { id: string; label: string; shapes: number | null; pairTrends: number | null; score: number }[];
}

const fixed = (value: number | null, digits: number): string => (value === null ? '—' : value.toFixed(digits));

function renderTable(result: TableResult): string {
  const header = `\n${result.table} (${result.input}): ${result.trainingMinutes.toFixed(1)} minutes, ${result.epochs} epochs (best ${result.bestEpoch}), stopped by ${result.stoppedBy}\n\n`;
  const rows = result.rows.map((r) => `| ${r.label} | ${fixed(r.shapes, 3)} | ${fixed(r.pairTrends, 3)} | ${fixed(r.score, 1)} |`);
  return `${header}| synthesizer | Column Shapes | Column Pair Trends | overall |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n`;
}

const work = path.join(os.tmpdir(), `synth-quality-${process.pid}`);
await mkdir(work, { recursive: true });
const results: TableResult[] = [];
try {
  for (const name of names) {
    const input = TABLES[name]!;
    const modelDir = path.join(work, name);
    const reportPath = path.join(work, `${name}.json`);
    process.stderr.write(`${name}: training (at most ${minutes} minutes)...\n`);
    const train = await runSynth(['train', '--input', input, '--out', modelDir, '--max-minutes', String(minutes), '--random-seed', String(seed), '--no-score', '--quiet']);
    if (train.exitCode !== 0) throw new Error(`synth train on ${input} failed (${train.exitCode}): ${train.stderr}`);
    const evaluate = await runSynth(['evaluate', '--model', modelDir, '--data', input, '--lines', String(lines), '--random-seed', String(seed), '--report', reportPath]);
    if (evaluate.exitCode !== 0) throw new Error(`synth evaluate on ${input} failed (${evaluate.exitCode}): ${evaluate.stderr}`);
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as { synthesizers: SynthesizerRow[] };
    const manifest = JSON.parse(await readFile(path.join(modelDir, 'synth.json'), 'utf8')) as { training: { metrics: Record<string, number | string> } };
    const metrics = manifest.training.metrics;
    results.push({
      table: name,
      input,
      trainingMinutes: Number(metrics.trainingSeconds) / 60,
      epochs: Number(metrics.epochs),
      bestEpoch: Number(metrics.bestEpoch),
      stoppedBy: String(metrics.stoppedBy),
      rows: report.synthesizers.map((s) => ({ id: s.id, label: s.label, shapes: s.columnShapes, pairTrends: s.columnPairTrends, score: s.score.value })),
    });
    process.stdout.write(renderTable(results[results.length - 1]!));
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

const summary = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), loadAverage: os.loadavg()[0], minutes, lines, seed, results };
await writeFile(path.join(REPO_ROOT, 'bench/results/quality-tables.json'), `${JSON.stringify(summary, null, 2)}\n`);
process.stdout.write(`\n${JSON.stringify(summary)}\n`);
