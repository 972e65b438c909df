/**
 * `npm run bench`: whole-process throughput of `synth generate` per backend, batch size and worker
 * count on a model of the reference architecture, against a gretel-style naive loop measured in
 * the same run; time to first record; peak RSS for a million records. Prints a table and writes
 * bench/results/latest.json. Options: --runs N (default 3), --quick (one run, shorter), --no-rss.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultModelDir } from '../src/cli/defaultModel.js';
import { loadModelDirectory } from '../src/model/loadModelDirectory.js';
import { writeBenchModel } from './benchModel.js';
import { runNaiveBaseline, type NaiveResult } from './naiveBaseline.js';
import { median, REPO_ROOT, runSynth, type CliRun } from './runCli.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const runs = Number(argv[argv.indexOf('--runs') + 1] || 0) || (quick ? 1 : 3);
const MAX_CHARS = 64;
const RSS_MAX_CHARS = Number(argv[argv.indexOf('--rss-max-chars') + 1] || 0) || 8;
const RSS_LINES = quick ? 100_000 : 1_000_000;
/** Records per throughput run, sized for a few seconds each. */
const LINES: Record<string, number> = { onnx: quick ? 4000 : 20000, wasm: quick ? 600 : 2000 };

interface Config {
  name: string;
  backend: string;
  args: string[];
}

const configs: Config[] = [
  { name: 'default flags', backend: 'auto', args: [] },
  ...['onnx', 'wasm'].flatMap((backend) =>
    [64, 256].flatMap((batch) =>
      [1, 2].map((workers) => ({
        name: `${backend} b${batch} w${workers}`,
        backend,
        args: ['--backend', backend, '--batch-size', String(batch), '--workers', String(workers)],
      })),
    ),
  ),
];

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function generateArgs(model: string, config: Config): string[] {
  const lines = LINES[config.backend === 'auto' ? 'onnx' : config.backend]!;
  return ['generate', '--model', model, '--lines', String(lines), '--max-chars', String(MAX_CHARS), '--no-validate', '--random-seed', '1', '--stats', '-o', '/dev/null', ...config.args];
}

function checked(run: CliRun): CliRun {
  if (run.exitCode !== 0) throw new Error(`${run.command} exited with ${run.exitCode}:\n${run.stderr}`);
  return run;
}

const started = performance.now();
const loadAtStart = os.loadavg();
const modelDir = await writeBenchModel();
const model = await loadModelDirectory(modelDir);
log(`bench model (embedding 256, LSTM [256, 256], vocab ${model.manifest.architecture.vocabSize}) in ${modelDir}`);

// Rounds interleave every configuration, so a slow spell on this shared machine hits all alike
// and the ratios of one round compare like with like.
const throughput = new Map<string, CliRun[]>(configs.map((c) => [c.name, []]));
const naive: NaiveResult[] = [];
for (let round = 0; round < runs; round++) {
  for (const config of configs) {
    const run = checked(await runSynth(generateArgs(modelDir, config)));
    throughput.get(config.name)!.push(run);
    log(`round ${round + 1}: ${config.name}: ${run.stats?.tokensPerSecond ?? '?'} tokens/s (${run.stats?.backend})`);
  }
  const baseline = await runNaiveBaseline(model.weights, model.manifest.architecture, {
    batchSize: 64,
    maxChars: MAX_CHARS,
    endOfRecord: model.manifest.tokenizer.endOfRecord,
    minMs: quick ? 2000 : 5000,
  });
  naive.push(baseline);
  log(`round ${round + 1}: naive baseline: ${baseline.tokensPerSecond.toFixed(0)} tokens/s`);
}

// Constrained vs unconstrained sampling on the bundled model with its own schema. Records end on
// their own (no --max-chars), so records/s counts whole records; --no-validate keeps the
// comparison to sampling alone (the masks still apply: they follow --schema, not validation).
const maskConfigs = ['onnx b64 w1', 'onnx b64 w2', 'wasm b64 w1'].flatMap((name) =>
  ['off', 'strict'].map((mode) => {
    const [backend, batch, workers] = name.split(' ');
    return {
      name: `${mode === 'off' ? 'unconstrained' : 'constrained'} ${name}`,
      args: ['--backend', backend!, '--batch-size', batch!.slice(1), '--workers', workers!.slice(1), '--schema', mode],
      lines: backend === 'onnx' ? LINES.onnx! : LINES.wasm!,
    };
  }),
);
const maskRuns = new Map<string, CliRun[]>(maskConfigs.map((c) => [c.name, []]));
// Each pair runs unconstrained first in even rounds and constrained first in odd ones: in one
// run with a fixed order constrained w1 read 88% of unconstrained in all three rounds, while 12
// runs alternating the order (ABBA) read 105%, so the order was worth a point or ten here.
const maskRounds = Math.max(runs, 4);
for (let round = 0; round < maskRounds; round++) {
  const ordered = round % 2 === 0 ? maskConfigs : maskConfigs.flatMap((_, i) => (i % 2 === 0 ? [maskConfigs[i + 1]!, maskConfigs[i]!] : []));
  for (const config of ordered) {
    const run = checked(
      await runSynth(['generate', '--model', defaultModelDir(), '--lines', String(config.lines), '--no-validate', '--random-seed', '1', '--stats', '-o', '/dev/null', ...config.args]),
    );
    maskRuns.get(config.name)!.push(run);
    log(`round ${round + 1}: ${config.name}: ${run.stats?.tokensPerSecond ?? '?'} tokens/s, ${run.stats?.recordsPerSecond ?? '?'} records/s`);
  }
}
const maskRows = maskConfigs.map((config) => {
  const list = maskRuns.get(config.name)!;
  return {
    name: config.name,
    command: list[0]!.command,
    tokensPerSecond: median(list.map((r) => r.stats!.tokensPerSecond)),
    recordsPerSecond: median(list.map((r) => r.stats!.recordsPerSecond)),
    runs: list.map((r) => r.stats!.tokensPerSecond),
  };
});

const defaultModel = existsSync(path.join(defaultModelDir(), 'synth.json')) ? defaultModelDir() : modelDir;
const firstRecord: CliRun[] = [];
for (let i = 0; i < Math.max(5, runs); i++) {
  firstRecord.push(checked(await runSynth(['generate', '--model', defaultModel, '--lines', '10', '--random-seed', '1'])));
}
log(`time to first record: ${median(firstRecord.map((r) => r.firstOutputMs ?? NaN)).toFixed(0)} ms`);

let rss: CliRun | null = null;
if (!argv.includes('--no-rss')) {
  rss = checked(
    await runSynth(['generate', '--model', modelDir, '--lines', String(RSS_LINES), '--max-chars', String(RSS_MAX_CHARS), '--no-validate', '--random-seed', '1', '--stats', '-o', '/dev/null'], {
      measureRss: true,
    }),
  );
  log(`peak RSS for ${RSS_LINES} records: ${rss.maxRssKb} kB`);
}

// ---- summary -----------------------------------------------------------------------------
const rows = configs.map((config) => {
  const list = throughput.get(config.name)!;
  const tokens = list.map((r) => r.stats!.tokensPerSecond);
  return {
    name: config.name,
    backend: list[0]!.stats!.backend,
    command: list[0]!.command,
    tokensPerSecond: median(tokens),
    recordsPerSecond: median(list.map((r) => r.stats!.recordsPerSecond)),
    wallTokensPerSecond: median(list.map((r) => (r.stats!.tokens * 1000) / r.wallMs)),
    runs: tokens,
  };
});
const naiveMedian = median(naive.map((n) => n.tokensPerSecond));
// Ratio within each round (same minutes, same machine state), then the median over rounds.
const defaultRatio = median(throughput.get('default flags')!.map((r, i) => r.stats!.tokensPerSecond / naive[i]!.tokensPerSecond));
const fp32LimitTokensPerSecond = 150_000;

const table = [
  'configuration        backend  tokens/s  records/s  wall tokens/s  runs (tokens/s)',
  ...rows.map(
    (r) =>
      `${r.name.padEnd(20)} ${r.backend.padEnd(8)} ${r.tokensPerSecond.toFixed(0).padStart(8)} ${r.recordsPerSecond.toFixed(0).padStart(10)} ${r.wallTokensPerSecond.toFixed(0).padStart(14)}  ${r.runs.join(', ')}`,
  ),
  `${'naive (gretel-style)'.padEnd(20)} ${naive[0]!.backend.padEnd(8)} ${naiveMedian.toFixed(0).padStart(8)} ${''.padStart(10)} ${''.padStart(14)}  ${naive.map((n) => n.tokensPerSecond.toFixed(0)).join(', ')}`,
  '',
  '',
  'default model, customers schema  tokens/s  records/s  runs (tokens/s)',
  ...maskRows.map((r) => `${r.name.padEnd(32)} ${r.tokensPerSecond.toFixed(0).padStart(8)} ${r.recordsPerSecond.toFixed(0).padStart(10)}  ${r.runs.join(', ')}`),
  ...maskRows.filter((_, i) => i % 2 === 1).map((r, i) => `${r.name}: ${((100 * r.tokensPerSecond) / maskRows[2 * i]!.tokensPerSecond).toFixed(0)}% of unconstrained tokens/s, ${((100 * r.recordsPerSecond) / maskRows[2 * i]!.recordsPerSecond).toFixed(0)}% records/s`),
  '',
  `default flags vs naive, same round, median: ${defaultRatio.toFixed(1)}x`,
  `default flags vs fp32 limit (~${fp32LimitTokensPerSecond} tokens/s): ${((100 * rows[0]!.tokensPerSecond) / fp32LimitTokensPerSecond).toFixed(0)}%`,
  `time to first record (--lines 10, ${defaultModel === modelDir ? 'bench model: no default model found' : 'default model'}): ` +
    `first output ${median(firstRecord.map((r) => r.firstOutputMs ?? NaN)).toFixed(0)} ms, process ${median(firstRecord.map((r) => r.wallMs)).toFixed(0)} ms (median of ${firstRecord.length})`,
  `machine: ${os.availableParallelism()} cores, load average ${loadAtStart.map((l) => l.toFixed(1)).join(' ')} at start, ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at end (other processes share the cores)`,
  rss ? `peak RSS, ${RSS_LINES} records (--max-chars ${RSS_MAX_CHARS}) to /dev/null: ${(rss.maxRssKb! / 1024).toFixed(0)} MB in ${(rss.wallMs / 1000).toFixed(0)} s` : 'peak RSS: skipped',
];
console.log(table.join('\n'));

const results = {
  date: new Date().toISOString(),
  machine: { cpu: os.cpus()[0]?.model, cores: os.availableParallelism(), node: process.version, loadAverageAtStart: loadAtStart, loadAverageAtEnd: os.loadavg() },
  settings: { runs, maxChars: MAX_CHARS, lines: LINES, quick },
  throughput: rows,
  constrained: maskRows,
  naive: { median: naiveMedian, runs: naive },
  ratios: { defaultFlagsOverNaive: defaultRatio },
  timeToFirstRecord: {
    model: defaultModel,
    command: firstRecord[0]!.command,
    firstOutputMs: firstRecord.map((r) => r.firstOutputMs),
    wallMs: firstRecord.map((r) => r.wallMs),
  },
  peakRss: rss && { command: rss.command, maxRssKb: rss.maxRssKb, wallMs: rss.wallMs, stats: rss.stats },
  benchSeconds: (performance.now() - started) / 1000,
};
await mkdir(path.join(REPO_ROOT, 'bench/results'), { recursive: true });
await writeFile(path.join(REPO_ROOT, 'bench/results/latest.json'), `${JSON.stringify(results, null, 2)}\n`);
await rm(path.dirname(modelDir), { recursive: true, force: true });
log(`wrote bench/results/latest.json (${results.benchSeconds.toFixed(0)} s)`);
