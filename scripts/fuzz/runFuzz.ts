import { lstatSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeBaseInputs } from './baseInputs.js';
import { classifyOutcome, type Verdict } from './classifyOutcome.js';
import type { BaseInputs, FuzzCase, FuzzKind } from './fuzzCase.js';
import { CaseRandom, kindSeed } from './random.js';
import { DEFAULT_LIMITS, runSynthCase, type RunLimits, type RunOutcome } from './runSynthCase.js';

export interface FuzzRunOptions {
  seed: number;
  kinds: readonly FuzzKind[];
  /** Cases per kind, numbered from `firstCase`; a number, or one per kind name. */
  count: number | ((kind: string) => number);
  firstCase?: number;
  /** Children at a time; the machine's cores are shared, so 1 or 2. */
  jobs?: number;
  /** Where failing cases are saved with their inputs; none saved when absent. */
  failuresDir?: string;
  limits?: RunLimits;
  /** Called after every case, e.g. to show progress. */
  onCase?(result: CaseResult): void;
}

export interface CaseResult {
  kind: string;
  index: number;
  fuzzCase: FuzzCase;
  outcome: RunOutcome;
  verdict: Verdict;
  /** The saved inputs of a failing case. */
  savedTo?: string;
}

export interface KindSummary {
  kind: string;
  cases: number;
  /** Cases by how they ended: an exit status, or "hang", "memory", a signal name. */
  byEnding: Record<string, number>;
  failures: CaseResult[];
  elapsedMs: number;
}

/** How a run is replayed: the same seed, kind and case number rebuild the same inputs. */
export function reproduceCommand(seed: number, kind: string, index: number): string {
  return `npm run fuzz -- --seed ${seed} --kind ${kind} --case ${index}`;
}

/** Runs `count` cases of each kind against the real CLI and summarizes how they ended. */
export async function runFuzz(options: FuzzRunOptions): Promise<KindSummary[]> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'synth-fuzz-'));
  const limits = options.limits ?? DEFAULT_LIMITS;
  try {
    const base = await makeBaseInputs(workDir);
    const summaries: KindSummary[] = [];
    for (const kind of options.kinds) summaries.push(await runKind(kind, base, limits, options));
    return summaries;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function runKind(kind: FuzzKind, base: BaseInputs, limits: RunLimits, options: FuzzRunOptions): Promise<KindSummary> {
  const summary: KindSummary = { kind: kind.name, cases: 0, byEnding: {}, failures: [], elapsedMs: 0 };
  const started = Date.now();
  const first = options.firstCase ?? 0;
  const count = typeof options.count === 'number' ? options.count : options.count(kind.name);
  let next = first;
  const lane = async (): Promise<void> => {
    while (next < first + count) {
      const result = await runCase(kind, next++, base, limits, options);
      summary.cases++;
      const ending = endingOf(result.outcome);
      summary.byEnding[ending] = (summary.byEnding[ending] ?? 0) + 1;
      if (!result.verdict.ok) summary.failures.push(result);
      options.onCase?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs ?? 1, count)) }, lane));
  summary.failures.sort((a, b) => a.index - b.index);
  summary.elapsedMs = Date.now() - started;
  return summary;
}

async function runCase(kind: FuzzKind, index: number, base: BaseInputs, limits: RunLimits, options: FuzzRunOptions): Promise<CaseResult> {
  const caseDir = path.join(base.workDir, kind.name, `case-${index}`);
  await mkdir(caseDir, { recursive: true });
  try {
    let fuzzCase: FuzzCase = { description: '(not built)', args: [], names: [] };
    let outcome: RunOutcome;
    try {
      fuzzCase = await kind.makeCase(new CaseRandom(kindSeed(options.seed, kind.name), index), caseDir, base);
      outcome = await runSynthCase(fuzzCase.args, caseDir, limits);
    } catch (error) {
      // The fuzzer's own bug must not end a run of thousands of cases; it is reported as a failure.
      outcome = { status: null, signal: null, stdout: '', stderr: '', elapsedMs: 0, peakRssKiB: 0, cpuMs: 0, timedOut: false, overMemory: false };
      const problem = `the fuzzer failed on this case: ${(error as Error).stack ?? String(error)}`;
      return { kind: kind.name, index, fuzzCase, outcome, verdict: { ok: false, problem } };
    }
    const verdict = classifyOutcome(outcome, fuzzCase.names, limits.maxRssKiB);
    const result: CaseResult = { kind: kind.name, index, fuzzCase, outcome, verdict };
    if (!verdict.ok && options.failuresDir) result.savedTo = await saveFailure(result, caseDir, base, options);
    return result;
  } finally {
    await rm(caseDir, { recursive: true, force: true });
  }
}

function endingOf(outcome: RunOutcome): string {
  if (outcome.timedOut) return 'hang';
  if (outcome.overMemory) return 'memory';
  return outcome.signal ?? String(outcome.status);
}

/**
 * Copies the case's inputs, and the base models it may name, under `failuresDir`, with a
 * case.json holding the arguments rewritten to the copies and both ways to replay it.
 */
async function saveFailure(result: CaseResult, caseDir: string, base: BaseInputs, options: FuzzRunOptions): Promise<string> {
  const runDir = path.resolve(options.failuresDir!, `seed-${options.seed}`);
  const savedCase = path.join(runDir, `${result.kind}-case-${result.index}`);
  const savedBase = path.join(runDir, 'base');
  await rm(savedCase, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });
  // A FIFO cannot be copied; the replay by seed and case number rebuilds it.
  await cp(caseDir, savedCase, { recursive: true, verbatimSymlinks: true, filter: (source) => !lstatSync(source).isFIFO() });
  for (const name of [base.delimitedModel, base.textModel, base.delimitedData, base.textData]) {
    await cp(name, path.join(savedBase, path.basename(name)), { recursive: true, force: false, errorOnExist: false });
  }
  const args = result.fuzzCase.args.map((a) => a.split(caseDir).join(savedCase).split(base.workDir).join(savedBase));
  await writeFile(
    path.join(savedCase, 'case.json'),
    JSON.stringify(
      {
        kind: result.kind,
        seed: options.seed,
        case: result.index,
        description: result.fuzzCase.description,
        problem: result.verdict.ok ? undefined : result.verdict.problem,
        status: result.outcome.status,
        signal: result.outcome.signal,
        stderr: result.outcome.stderr.slice(0, 4000),
        args,
        replay: reproduceCommand(options.seed, result.kind, result.index),
        replaySaved: `node bin/synth.js ${args.map(shellQuote).join(' ')}`,
      },
      null,
      2,
    ),
  );
  return savedCase;
}

function shellQuote(arg: string): string {
  return /^[\w./=:,%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
