import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { assertNoStackTrace, assertOneLineError } from './helpers/cliAssertions.js';
import { runSynth } from './helpers/cliProcess.js';
import { writeRandomModel } from './helpers/randomModel.js';
import { cliPath } from './helpers/runCli.js';

let work: string;
let model: string;

before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'synth-rel-load-'));
  model = await writeRandomModel({ dir: path.join(work, 'model'), records: [['alice', '42', 'paris'], ['bob', '7', 'oslo, norway']], header: ['name', 'age', 'city'], embeddingDim: 4, lstmUnits: [8], maxChars: 40, seed: 13 });
});

after(() => rm(work, { recursive: true, force: true }));

describe('many runs at once', () => {
  test('ten runs of synth generate in parallel on one model directory all succeed with the same output', async () => {
    const args = ['generate', '--model', model, '--lines', '200', '--random-seed', '2024', '--max-invalid', '100000'];
    const results = await Promise.all(Array.from({ length: 10 }, () => runSynth(args, { timeoutMs: 120_000 })));
    for (const r of results) assert.equal(r.status, 0, r.stderr);
    assert.equal(results[0]!.stdout.split('\n').length, 201);
    for (const r of results) assert.equal(r.stdout, results[0]!.stdout);
  });
});

/**
 * Flags of `synth generate`. With `bad` 0 every value is one the flag accepts (the run may still
 * be refused for a combination, e.g. a start string too long for --max-chars); with `bad` 1 each
 * flag sometimes takes an invalid spelling and rare troublemakers (unknown characters, missing
 * directories, an unknown flag) appear.
 */
function generateFlags(bad: 0 | 1) {
  const flagValue = (valid: fc.Arbitrary<string>, invalid: string[]) =>
    fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 20, arbitrary: valid }, { weight: 3 * bad, arbitrary: fc.constantFrom(...invalid) });
  const int = (min: number, max: number) => fc.integer({ min, max }).map(String);
  const rarely = <T>(common: T[], rare: T[]) => fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...common) }, { weight: bad, arbitrary: fc.constantFrom(...rare) });
  // Mostly characters of the model's vocabulary and CSV syntax; sometimes ones it never saw.
  const seedText = fc.string({ unit: rarely([...'alice bo7,'], [...'"xZé']), maxLength: 8 });
  return fc.record({
    lines: flagValue(int(1, 20), ['0', '-3', '2.5', 'abc', '1e2', '', '99999999999']),
    temperature: flagValue(fc.double({ min: 0, max: 5, noNaN: true }).map(String), ['-1', 'NaN', '101', 'warm', '', 'Infinity']),
    'max-chars': flagValue(int(5, 200), ['0', '-1', '1.5', '1000001']),
    'max-invalid': flagValue(int(0, 50), ['-1', 'many', '0.5']),
    'random-seed': flagValue(fc.integer({ min: 0, max: 2 ** 32 - 1 }).map(String), ['-1', '4294967296', '1.5', 'seed']),
    'batch-size': flagValue(int(1, 64), ['0', '4097', '-2']),
    workers: flagValue(int(1, 3), ['0', '257', 'x']),
    backend: flagValue(rarely(['auto', 'onnx', 'wasm'], ['tensorflow']), ['gpu', '']),
    format: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: flagValue(fc.constantFrom('text', 'csv', 'jsonl'), ['xml', '']) }),
    output: fc.option(rarely(['out.csv', 'out.jsonl', 'out.txt', 'out.dat', '-'], ['missing-dir/out.csv']), { nil: undefined }),
    'invalid-output': fc.option(rarely(['rejected.jsonl'], ['missing-dir/rejected.jsonl', 'out.csv', '-']), { nil: undefined, freq: 3 }),
    'validator-timeout': flagValue(int(1, 5000), ['0', '-5', 'soon']),
    match: flagValue(fc.constantFrom('a', '^b', 'o.*o', '\\d'), ['(', '[a-', '*']),
    seeds: fc.oneof({ weight: 4, arbitrary: fc.array(seedText, { maxLength: 1 }) }, { weight: 1, arbitrary: fc.array(seedText, { minLength: 2, maxLength: 3 }) }),
    switches: fc.subarray(['--no-validate', '--no-validate', '--stats', '-q', '--verbose']).chain((s) =>
      fc.oneof({ weight: 12, arbitrary: fc.constant(s) }, { weight: bad, arbitrary: fc.constant([...s, '--no-such-flag']) })),
  });
}

type GenerateFlags = ReturnType<typeof generateFlags> extends fc.Arbitrary<infer T> ? T : never;

function toArgs(flags: GenerateFlags, dir: string): string[] {
  const args = ['generate', '--model', model];
  for (const name of ['lines', 'temperature', 'max-chars', 'max-invalid', 'random-seed', 'batch-size', 'workers', 'backend', 'format', 'validator-timeout', 'match'] as const) {
    if (flags[name] !== undefined) args.push(`--${name}=${flags[name]}`);
  }
  for (const name of ['output', 'invalid-output'] as const) {
    const value = flags[name];
    if (value !== undefined) args.push(`--${name}=${value === '-' ? '-' : path.join(dir, value)}`);
  }
  for (const seed of flags.seeds) args.push(`--seed=${seed}`);
  args.push(...flags.switches);
  // Small runs only: without --lines a run would ask for 1000 records.
  if (flags.lines === undefined && flags.seeds.length <= 1) args.push('--lines=5');
  return args;
}

describe('any combination of generate flags works or is a one-line usage error', () => {
  test('exit 0, 2 (one line, no stack trace) or 4 (budget) — never 1, never a crash', { timeout: 240_000 }, async (t) => {
    let run = 0;
    const seen = new Map<number, number>();
    const reasons = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof(generateFlags(0), generateFlags(1)), async (flags) => {
        const dir = await mkdtemp(path.join(work, `run-${run++}-`));
        const args = toArgs(flags, dir);
        const r = await runSynth(args, { timeoutMs: 60_000 });
        seen.set(r.status ?? -1, (seen.get(r.status ?? -1) ?? 0) + 1);
        if (r.status !== 0) reasons.set(r.stderr.slice(0, 60), (reasons.get(r.stderr.slice(0, 60)) ?? 0) + 1);
        const context = `synth ${args.join(' ')}\nstatus ${r.status} signal ${r.signal}\nstderr: ${r.stderr}`;
        assert.ok(r.status === 0 || r.status === 2 || r.status === 4, context);
        if (flags.switches.includes('--verbose')) {
          // --verbose adds the cause's stack after the error line (main.ts): asked-for detail, not a crash.
          if (r.status === 2) assert.match(r.stderr, /^synth: error: [^\n]+\n/, context);
        } else {
          assertNoStackTrace(r);
          if (r.status === 2) assertOneLineError(r, 2);
        }
        if (r.status === 4) assert.match(r.stderr, /rejected, more than --max-invalid/, context);
        if (r.status === 0 && flags.output === undefined && flags.lines !== undefined && /^\d+$/.test(flags.lines)) {
          assert.equal(r.stdout.split('\n').length - 1 >= Number(flags.lines), true, context);
        }
        await rm(dir, { recursive: true, force: true });
      }),
      { numRuns: Number(process.env.SYNTH_PROPERTY_RUNS ?? 40) },
    );
    t.diagnostic(`exit statuses seen: ${JSON.stringify(Object.fromEntries(seen))}`);
    if (process.env.SYNTH_PROPERTY_VERBOSE) for (const [reason, n] of reasons) t.diagnostic(`${n} x ${reason}`);
  });
});

/** Runs the CLI with stdout on /dev/null under GNU time; its peak resident set size in MiB. */
async function peakRssMiB(args: string[]): Promise<{ peakMiB: number; elapsedMs: number; status: number | null }> {
  const report = path.join(work, `time-${Date.now()}.txt`);
  const devNull = openSync('/dev/null', 'w');
  const started = Date.now();
  try {
    const status = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('/usr/bin/time', ['-f', '%M', '-o', report, process.execPath, cliPath, ...args], { stdio: ['ignore', devNull, 'inherit'] });
      child.on('error', reject);
      child.on('close', resolve);
    });
    const kib = Number((await readFile(report, 'utf8')).trim().split('\n').at(-1));
    return { peakMiB: Math.round(kib / 1024), elapsedMs: Date.now() - started, status };
  } finally {
    closeSync(devNull);
  }
}

describe('one million records with memory flat (SYNTH_LOAD_TESTS=1)', { skip: process.env.SYNTH_LOAD_TESTS !== '1' && 'slow: set SYNTH_LOAD_TESTS=1' }, () => {
  const base = () => ['generate', '--model', model, '--random-seed', '1', '--no-validate', '--quiet'];

  test('to stdout (/dev/null) and to a file, peak RSS of 1,000,000 records within 1.3x of 100,000', { skip: !existsSync('/usr/bin/time') && 'needs GNU time (apt-get install time)', timeout: 900_000 }, async (t) => {
    const out = path.join(work, 'million.csv');
    const small = await peakRssMiB([...base(), '--lines', '100000']);
    const toNull = await peakRssMiB([...base(), '--lines', '1000000']);
    const toFile = await peakRssMiB([...base(), '--lines', '1000000', '-o', out]);
    const lines = (await readFile(out, 'utf8')).split('\n').length - 2; // header, final line end
    t.diagnostic(`100,000 records to /dev/null: peak RSS ${small.peakMiB} MiB, ${small.elapsedMs} ms`);
    t.diagnostic(`1,000,000 records to /dev/null: peak RSS ${toNull.peakMiB} MiB, ${toNull.elapsedMs} ms`);
    t.diagnostic(`1,000,000 records to a file: peak RSS ${toFile.peakMiB} MiB, ${toFile.elapsedMs} ms, ${(await stat(out)).size} bytes`);
    for (const r of [small, toNull, toFile]) assert.equal(r.status, 0);
    assert.equal(lines, 1_000_000);
    assert.ok(toNull.peakMiB <= small.peakMiB * 1.3, `stdout: ${toNull.peakMiB} MiB vs ${small.peakMiB} MiB`);
    assert.ok(toFile.peakMiB <= small.peakMiB * 1.3, `file: ${toFile.peakMiB} MiB vs ${small.peakMiB} MiB`);
  });
});
