import { parseArgs } from 'node:util';
import { FUZZ_KINDS, findKind } from './kinds/index.js';
import { reproduceCommand, runFuzz, type CaseResult, type KindSummary } from './runFuzz.js';

/**
 * `npm run fuzz -- --seed N --count N --kind K`: mutated inputs through the real CLI. Prints the
 * endings per kind on stdout and every failing case with its replay; exit 1 if any case failed.
 */
const USAGE = `usage: npm run fuzz -- [--seed N] [--count N] [--kind K[,K...]] [--case I] [--jobs 1|2] [--failures DIR]
  --seed N      seed of the run (default 1); case I of a kind is the same for the same seed
  --count N     cases per kind (default 100)
  --kind K      kinds to run (default all): ${FUZZ_KINDS.map((k) => k.name).join(', ')}
  --case I      run the cases from number I (with --count 1: replay one case)
  --jobs N      CLI children at a time (default 1; the cores are shared)
  --failures D  where failing cases are saved with their inputs (default fuzz-failures)
kinds:
${FUZZ_KINDS.map((k) => `  ${k.name.padEnd(12)} ${k.summary}`).join('\n')}`;

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    count: { type: 'string' },
    kind: { type: 'string', multiple: true },
    case: { type: 'string' },
    jobs: { type: 'string', default: '1' },
    failures: { type: 'string', default: 'fuzz-failures' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const seed = wholeNumber('--seed', values.seed, 2 ** 32 - 1);
const firstCase = values.case === undefined ? 0 : wholeNumber('--case', values.case, Number.MAX_SAFE_INTEGER);
const count = wholeNumber('--count', values.count ?? (values.case === undefined ? '100' : '1'), 10_000_000);
const jobs = wholeNumber('--jobs', values.jobs, 2);
const names = (values.kind ?? []).flatMap((k) => k.split(','));
const kinds = names.length === 0 ? FUZZ_KINDS : names.map((name) => findKind(name) ?? usageError(`--kind ${name} is not one of ${FUZZ_KINDS.map((k) => k.name).join(', ')}`));

let done = 0;
const summaries = await runFuzz({
  seed,
  kinds,
  count,
  firstCase,
  jobs: Math.max(1, jobs),
  failuresDir: values.failures,
  onCase(result) {
    done++;
    if (!result.verdict.ok) process.stderr.write(`FAIL ${describeFailure(seed, result)}\n`);
    else if (done % 50 === 0) process.stderr.write(`... ${done} cases\n`);
  },
});
console.log(formatSummary(seed, summaries));
process.exitCode = summaries.some((s) => s.failures.length > 0) ? 1 : 0;

function formatSummary(seed: number, summaries: KindSummary[]): string {
  const endings = [...new Set(summaries.flatMap((s) => Object.keys(s.byEnding)))].sort();
  const rows = summaries.map((s) => [
    s.kind,
    String(s.cases),
    ...endings.map((e) => String(s.byEnding[e] ?? 0)),
    String(s.failures.length),
    (s.cases / (s.elapsedMs / 1000)).toFixed(2),
  ]);
  const header = ['kind', 'cases', ...endings.map((e) => (/^\d+$/.test(e) ? `exit ${e}` : e)), 'failed', 'cases/s'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const failures = summaries.flatMap((s) => s.failures).map((f) => `  ${describeFailure(seed, f)}`);
  return [`seed ${seed}`, line(header), ...rows.map(line), ...(failures.length ? ['failures:', ...failures] : [])].join('\n');
}

function describeFailure(seed: number, result: CaseResult): string {
  const problem = result.verdict.ok ? '' : result.verdict.problem;
  return `${result.kind} case ${result.index}: ${problem}\n    input: ${result.fuzzCase.description}\n    replay: ${reproduceCommand(seed, result.kind, result.index)}${result.savedTo ? `\n    saved: ${result.savedTo}/case.json` : ''}`;
}

function wholeNumber(flag: string, value: string, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > max) usageError(`${flag} expects a whole number from 0 to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

function usageError(message: string): never {
  process.stderr.write(`fuzz: ${message}\n${USAGE}\n`);
  process.exit(2);
}
