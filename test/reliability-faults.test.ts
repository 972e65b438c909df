import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { loadModelDirectory } from '../src/model/loadModelDirectory.js';
import { assertOneLineError } from './helpers/cliAssertions.js';
import { runSynth, startSynth, waitUntil } from './helpers/cliProcess.js';
import { writeRandomModel } from './helpers/randomModel.js';
import { tfjsNodeInstalled } from './helpers/tfjsNode.js';
import { unprivilegedUnavailable } from './helpers/unprivileged.js';
import { cliPath, runShell } from './helpers/runCli.js';
import { fileBeingWritten, temporarySiblingsOf } from './helpers/outputFiles.js';

// Faults from outside (signals, closed streams, full disks, dying threads, a native backend that
// will not load) end a run loudly and leave nothing half-done.

let work: string;
let model: string;
let trainingData: string;

const failOnnx = ['--import', new URL('./helpers/failOnnxImport.js', import.meta.url).href];
const crashWorkers = ['--import', new URL('./helpers/crashWorkerThreads.js', import.meta.url).href];
const HEADER = ['name', 'age', 'city'];

before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'synth-rel-faults-'));
  model = await writeRandomModel({ dir: path.join(work, 'model'), records: [['alice', '42', 'paris'], ['bob', '7', 'oslo, norway']], header: HEADER, embeddingDim: 4, lstmUnits: [8], seed: 8 });
  // Enough rows that an epoch of the tiny network takes a few hundred milliseconds.
  trainingData = path.join(work, 'people.csv');
  const rows = Array.from({ length: 600 }, (_, i) => `n${(i * 7919) % 997},${(i * 31) % 90},c${(i * 13) % 50}`);
  await writeFile(trainingData, ['name,age,city', ...rows].join('\n') + '\n');
});

after(() => rm(work, { recursive: true, force: true }));

const sh = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
const synthCommand = (args: string[]) => [process.execPath, cliPath, ...args].map(sh).join(' ');
/** Whole records in a CSV file being written (a quoted field may hold a newline, so lines are not records). */
async function countRecords(file: string): Promise<number> {
  const text = await readFile(await fileBeingWritten(file), 'utf8').catch(() => '');
  const whole = text.slice(0, text.lastIndexOf('\n') + 1);
  try {
    return Math.max(0, (parse(whole) as string[][]).length - 1);
  } catch {
    return 0; // the last newline fell inside a quoted field: look again on the next poll
  }
}

/** A long generate run into a CSV file: every record must pass validation, and the budget never runs out. */
const longCsvRun = (out: string, workers: string, extra: string[] = []) =>
  ['generate', '--model', model, '--lines', '100000000', '--max-invalid', '1000000000', '--random-seed', '77', '--workers', workers, '-o', out, ...extra];

/** Strict CSV parse: throws on a half row, a ragged row or an open quote. */
function parseWholeRows(text: string): string[][] {
  assert.ok(text.endsWith('\n'), 'the file ends with a full line');
  return parse(text) as string[][];
}

describe('SIGINT and SIGTERM during generate flush whole records and exit 130 / 143', () => {
  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    for (const workers of ['1', '2']) {
      test(`${signal} with --workers ${workers}: the CSV file holds the first records of the run, whole`, async (t) => {
        const out = path.join(work, `${signal}-${workers}.csv`);
        const run = startSynth(longCsvRun(out, workers));
        await waitUntil(async () => (await countRecords(out)) >= 300, 'the file has 300 records');
        run.child.kill(signal);
        const result = await run.result;
        t.diagnostic(assertOneLineError({ ...result, stdout: '' }, status, new RegExp(`^synth: error: interrupted by ${signal}$`)));
        const text = await readFile(out, 'utf8');
        const rows = parseWholeRows(text);
        assert.deepEqual(rows[0], HEADER);
        assert.ok(rows.length - 1 >= 300, `the records written before the signal are kept (${rows.length - 1} of at least 300)`);
        assert.ok(rows.every((row) => row.length === 3), 'every row is whole');
        // The same seed asked for exactly that many records gives the same bytes: nothing lost or reordered.
        const replay = path.join(work, `${signal}-${workers}-replay.csv`);
        const again = await runSynth([...longCsvRun(replay, workers)].map((a) => (a === '100000000' ? String(rows.length - 1) : a)));
        assert.equal(again.status, 0, again.stderr);
        assert.equal(text, await readFile(replay, 'utf8'));
      });
    }
  }

  test('a signal during start-up ends the run before the output file is touched', async () => {
    const out = path.join(work, 'startup.csv');
    await writeFile(out, 'keep me\n');
    // The validator announces that it has started loading (synth's signal handlers are installed
    // by then) and takes seconds to finish: the signal lands in start-up however slowly the
    // process started, instead of at a fixed time that a busy machine may not have reached.
    const loading = path.join(work, 'validator-loading');
    const slow = path.join(work, 'slow-to-load.mjs');
    await writeFile(
      slow,
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(loading)}, '');\nawait new Promise((resolve) => setTimeout(resolve, 3000));\nexport default () => true;\n`,
    );
    const run = startSynth(['generate', '--model', model, '--lines', '1', '--validator', slow, '-o', out]);
    await waitUntil(() => existsSync(loading), 'the validator to start loading');
    run.child.kill('SIGINT');
    const result = await run.result;
    assert.equal(result.status, 130, result.stderr);
    assert.equal(await readFile(out, 'utf8'), 'keep me\n');
  });
});

describe('a signal during training keeps the best model or none, never a half-written directory', () => {
  const TRAIN = ['--embedding-dim', '8', '--lstm-units', '8', '--sequence-length', '10', '--batch-size', '4', '--epochs', '10000', '--backend', 'wasm', '--no-score'];

  /** Entries next to --out other than the data file and the model itself: leftovers of a staged write. */
  async function leftovers(dir: string): Promise<string[]> {
    return (await readdir(dir)).filter((name) => /\.(tmp|old)-/.test(name));
  }

  async function trainAndSignal(name: string, when: { first: RegExp; signal: NodeJS.Signals; second?: RegExp }, extra: string[] = []) {
    const dir = await mkdtemp(path.join(work, `train-${name}-`));
    const out = path.join(dir, 'model');
    return { dir, out, ...(await signalTraining(out, when, extra)) };
  }

  async function signalTraining(out: string, when: { first: RegExp; signal: NodeJS.Signals; second?: RegExp }, extra: string[] = []) {
    const run = startSynth(['train', '--input', trainingData, '--out', out, ...TRAIN, ...extra]);
    let sent = 0;
    run.child.stderr!.on('data', () => {
      const text = run.stderr();
      if (sent === 0 && when.first.test(text)) {
        sent = 1;
        run.child.kill(when.signal);
      } else if (sent === 1 && when.second?.test(text)) {
        sent = 2;
        run.child.kill(when.signal);
      }
    });
    const result = await run.result;
    return { result, sent };
  }

  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    test(`${signal} after an epoch saves that model whole, with nothing else left next to --out`, async () => {
      const { dir, out, result } = await trainAndSignal(signal, { first: /epoch 1\//, signal });
      assert.equal(result.status, status, result.stderr);
      assert.match(result.stderr, /interrupted: keeping the best model \(epoch \d+\)/);
      const loaded = await loadModelDirectory(out);
      assert.equal(loaded.manifest.training.metrics.stoppedBy, 'interrupted');
      assert.deepEqual(await leftovers(dir), []);
    });
  }

  test('SIGINT while the saved model is being scored skips the score, keeps the model and exits 130', async () => {
    const dir = await mkdtemp(path.join(work, 'train-score-'));
    const out = path.join(dir, 'model');
    const scored = TRAIN.filter((a) => a !== '--no-score').map((a) => (a === '10000' ? '1' : a));
    const run = startSynth(['train', '--input', trainingData, '--out', out, ...scored]);
    let sent = false;
    run.child.stderr!.on('data', () => {
      if (!sent && run.stderr().includes('saved the model')) sent = run.child.kill('SIGINT');
    });
    const result = await run.result;
    assert.equal(result.status, 130, result.stderr);
    assert.doesNotMatch(result.stderr, /quality score/);
    await loadModelDirectory(out);
    assert.deepEqual(await leftovers(dir), []);
  });

  test('SIGINT before the first epoch ends saves no model and leaves nothing', async () => {
    const { dir, result } = await trainAndSignal('early', { first: /training on/, signal: 'SIGINT' });
    assert.equal(result.status, 130, result.stderr);
    assert.deepEqual(await readdir(dir), [], 'no model directory, no temporary directory');
  });

  test('a second SIGINT while the model is being saved exits at once and leaves no temporary directory', async () => {
    const { dir, out, result, sent } = await trainAndSignal('double', { first: /epoch 1\//, signal: 'SIGINT', second: /keeping the best model/ });
    assert.equal(sent, 2);
    assert.equal(result.status, 130, result.stderr);
    assert.deepEqual(await leftovers(dir), []);
    // Either the save finished before the second signal or it never appeared: never half a model.
    if (await stat(out).catch(() => null)) await loadModelDirectory(out);
  });

  test('a second SIGINT while --overwrite replaces a model leaves the old or the new model, whole', async () => {
    const dir = await mkdtemp(path.join(work, 'train-overwrite-'));
    const out = path.join(dir, 'model');
    const first = await signalTraining(out, { first: /epoch 1\//, signal: 'SIGINT' });
    assert.equal(first.result.status, 130, first.result.stderr);
    const { result, sent } = await signalTraining(out, { first: /epoch 1\//, signal: 'SIGINT', second: /keeping the best model/ }, ['--overwrite']);
    assert.equal(sent, 2);
    assert.equal(result.status, 130, result.stderr);
    assert.deepEqual(await leftovers(dir), []);
    await loadModelDirectory(out);
  });
});

describe('closed streams', () => {
  for (const workers of ['1', '2']) {
    test(`stdout closed early (| head -1) with --workers ${workers}: quiet exit 0`, async () => {
      const r = await runShell(`${synthCommand(['generate', '--model', model, '--lines', '1000000', '--no-validate', '--workers', workers])} | head -1`, { timeoutMs: 30_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.equal(r.stdout.split('\n').length, 2);
    });
  }

  test('stderr closed (2>&-): records still come, and the exit status still tells', async () => {
    const ok = await runShell(`${synthCommand(['generate', '--model', model, '--lines', '50', '--no-validate', '--stats', '--workers', '1'])} 2>&-`);
    assert.equal(ok.status, 0);
    assert.equal(ok.stdout.split('\n').length, 51);
    const bad = await runShell(`${synthCommand(['generate', '--model', path.join(work, 'no-model')])} 2>&-`);
    assert.equal(bad.status, 3);
  });

  test('a stderr pipe whose reader has gone: no crash, records intact, statuses kept', async () => {
    for (const [args, status, lines] of [
      [['generate', '--model', model, '--lines', '500', '--no-validate', '--stats', '--workers', '2'], 0, 500],
      [['generate', '--model', path.join(work, 'no-model')], 3, 0],
      [['generate', '--model', model, '--lines', '-1'], 2, 0],
    ] as const) {
      const run = startSynth([...args]);
      run.child.stderr!.destroy(); // the reader goes away before synth writes anything there
      const result = await run.result;
      assert.equal(result.status, status, args.join(' '));
      assert.equal(result.stdout.split('\n').length - 1, lines);
    }
  });
});

describe('a full disk is a clear error, non-zero exit, no hang', () => {
  test('-o /dev/full', async (t) => {
    const r = await runSynth(['generate', '--model', model, '--lines', '1000', '--no-validate', '-o', '/dev/full'], { timeoutMs: 30_000 });
    t.diagnostic(assertOneLineError(r, 1, /^synth: error: cannot write to \/dev\/full: no space left on device \(ENOSPC\)$/));
  });

  test('stdout redirected to /dev/full', async (t) => {
    const r = await runShell(`${synthCommand(['generate', '--model', model, '--lines', '1000', '--no-validate'])} > /dev/full`, { timeoutMs: 30_000 });
    t.diagnostic(assertOneLineError(r, 1, /^synth: error: cannot write to stdout: no space left on device \(ENOSPC\)$/));
  });

  test('--invalid-output /dev/full', async (t) => {
    const rejectAll = path.join(work, 'reject-all.mjs');
    await writeFile(rejectAll, 'export default () => false;\n');
    const r = await runSynth(['generate', '--model', model, '--lines', '10', '--validator', rejectAll, '--max-invalid', '100000', '--invalid-output', '/dev/full', '-o', path.join(work, 'valid.csv')], { timeoutMs: 30_000 });
    t.diagnostic(assertOneLineError(r, 1, /cannot write to \/dev\/full: no space left on device \(ENOSPC\)/));
  });

  test('a file size limit (ulimit -f): EFBIG, not death by SIGXFSZ', async (t) => {
    const out = path.join(work, 'limited.csv');
    const r = await runShell(`ulimit -f 16; ${synthCommand(['generate', '--model', model, '--lines', '100000', '--no-validate', '-o', out])}`, { timeoutMs: 30_000 });
    t.diagnostic(assertOneLineError(r, 1, new RegExp(`cannot write to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: file too large \\(a file size limit was reached\\) \\(EFBIG\\)`)));
    // A failed run keeps the previous file (here none): the 16 KiB it wrote were never renamed into place.
    await assert.rejects(stat(out));
    assert.deepEqual(await temporarySiblingsOf(out), []);
  });

  describe('a small tmpfs (skipped where mounting is not permitted)', () => {
    let mount: string | undefined;
    before(async () => {
      const dir = path.join(work, 'small-disk');
      await mkdir(dir);
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
        mount = dir;
      } catch {
        mount = undefined;
      }
    });
    after(() => {
      if (mount) execFileSync('umount', [mount]);
    });

    test('generate fills it: ENOSPC naming the file', async (t) => {
      if (!mount) return t.skip('mount -t tmpfs is not permitted here');
      const out = path.join(mount, 'out.csv');
      const r = await runSynth(['generate', '--model', model, '--lines', '100000', '--no-validate', '-o', out], { timeoutMs: 30_000 });
      t.diagnostic(assertOneLineError(r, 1, new RegExp(`cannot write to ${out}: no space left on device \\(ENOSPC\\)`)));
      assert.deepEqual(await readdir(mount), [], 'no partial file, no temporary file');
    });

    test('train cannot save its model there: ENOSPC naming the directory, no temporary directory left', async (t) => {
      if (!mount) return t.skip('mount -t tmpfs is not permitted here');
      const out = path.join(mount, 'model');
      const r = await runSynth(['train', '--input', trainingData, '--out', out, '--embedding-dim', '8', '--lstm-units', '64', '--sequence-length', '10', '--batch-size', '32', '--epochs', '1', '--backend', 'wasm', '--no-score', '-q'], { timeoutMs: 60_000 });
      t.diagnostic(assertOneLineError(r, 1, new RegExp(`cannot write to the model directory ${out}: no space left on device \\(ENOSPC\\)`)));
      assert.deepEqual(await readdir(mount), []);
    });
  });
});

describe('a worker thread that dies ends the run with an error naming it, no hang', () => {
  for (const how of ['throw', 'exit'] as const) {
    test(`a worker that ${how === 'throw' ? 'throws' : 'exits'} mid-run`, async (t) => {
      const out = path.join(work, `worker-${how}.csv`);
      const r = await runSynth(longCsvRun(out, '2'), { nodeArgs: crashWorkers, env: { SYNTH_TEST_CRASH_HOW: how, SYNTH_TEST_CRASH_AFTER_MS: '400' }, timeoutMs: 30_000 });
      const message = how === 'throw' ? /generation worker [01] failed: worker thread \d+ crashed \(injected by the test\)/ : /generation worker [01] stopped unexpectedly \(exit code 7\)/;
      assert.equal(r.signal, null, r.stderr);
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stderr.split('\n').length, 2, r.stderr);
      assert.match(r.stderr, message);
      t.diagnostic(r.stderr.trim());
      // exit 1 is a failed run: the file is not put in place (the previous one, here none, stays).
      await assert.rejects(stat(out));
      assert.deepEqual(await temporarySiblingsOf(out), []);
    });
  }

  test('a worker that dies while starting: no output, error naming it', async (t) => {
    const r = await runSynth(['generate', '--model', model, '--lines', '10', '--workers', '2'], { nodeArgs: crashWorkers, env: { SYNTH_TEST_CRASH_HOW: 'throw', SYNTH_TEST_CRASH_AFTER_MS: '0' }, timeoutMs: 30_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /generation worker [01] failed: worker thread \d+ crashed/);
    t.diagnostic(r.stderr.trim());
  });
});

describe('compute backends that cannot load', () => {
  let wasmRecords: string | undefined;
  const fallbackArgs = () => ['generate', '--model', model, '--lines', '20', '--random-seed', '5', '--no-validate'];
  for (const workers of ['1', '2']) {
    test(`onnxruntime failing to load under --backend auto (--workers ${workers}) falls back with exactly one warning line`, async (t) => {
      const r = await runSynth([...fallbackArgs(), '--workers', workers], { nodeArgs: failOnnx });
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stderr.split('\n');
      assert.equal(lines.length, 2, r.stderr);
      assert.match(lines[0]!, /^synth: note: onnx unavailable \(.*injected by the test.*\); using the wasm backend\. For the native backend: .*npm install onnxruntime-node@1\b/);
      t.diagnostic(lines[0]!);
      // Worker count never changes the records, so one wasm run is the reference for both.
      wasmRecords ??= (await runSynth([...fallbackArgs(), '--workers', '1', '--backend', 'wasm'])).stdout;
      assert.equal(r.stdout, wasmRecords, 'the records are those of the wasm backend');
      assert.equal(r.stdout.split('\n').length, 21);
    });
  }

  test('--backend onnx named explicitly when it cannot load is a usage error (exit 2)', async (t) => {
    for (const workers of ['1', '2']) {
      const r = await runSynth(['generate', '--model', model, '--lines', '2', '--workers', workers, '--backend', 'onnx'], { nodeArgs: failOnnx });
      t.diagnostic(assertOneLineError(r, 2, /^synth: error: --backend onnx cannot start here: .*injected by the test.*; choose another --backend, or auto/));
    }
  });

  test('--backend tensorflow without @tensorflow/tfjs-node installed is a usage error (exit 2)', { skip: tfjsNodeInstalled && 'tfjs-node is installed here' }, async (t) => {
    for (const workers of ['1', '2']) {
      const r = await runSynth(['generate', '--model', model, '--lines', '2', '--workers', workers, '--backend', 'tensorflow']);
      t.diagnostic(assertOneLineError(r, 2, /^synth: error: --backend tensorflow cannot start here: .*@tensorflow\/tfjs-node.*; choose another --backend, or auto/));
    }
  });
  test(
    'synth train --backend tensorflow without @tensorflow/tfjs-node installed is a usage error (exit 2)',
    { skip: tfjsNodeInstalled && 'tfjs-node is installed here' },
    async (t) => {
      const out = path.join(work, 'tf-model');
      const r = await runSynth(['train', '--input', trainingData, '--out', out, '--backend', 'tensorflow', '--epochs', '1', '--embedding-dim', '8', '--lstm-units', '8', '-q']);
      t.diagnostic(r.stderr.trim());
      assertOneLineError(r, 2, /--backend tensorflow/, /@tensorflow\/tfjs-node/);
      await assert.rejects(stat(out));
    },
  );

  test(
    '--backend cpu says nothing on stderr beyond synth\'s own lines',
    {},
    async (t) => {
      const r = await runSynth(['generate', '--model', model, '--lines', '2', '--random-seed', '1', '--workers', '2', '--backend', 'cpu']);
      t.diagnostic(JSON.stringify(r.stderr));
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
    },
  );
  test(
    'a HOME that cannot be written (CI as an unprivileged user) adds nothing to stderr',
    { skip: unprivilegedUnavailable() },
    async (t) => {
      // Another user's read-only directory: not writable by this user, nor by root without CAP_DAC_*.
      const home = path.join(work, 'unwritable-home');
      await mkdir(home, { recursive: true });
      if (process.getuid?.() === 0) await chown(home, 65534, 65534);
      await chmod(home, 0o555);
      // Run in `work`: onnxruntime's bundled telemetry, unable to keep its cache under HOME, writes
      // a session file named `:memory:.ses` into the working directory, which would be the checkout.
      const r = await runSynth(['generate', '--model', model, '--lines', '2', '--random-seed', '1', '--workers', '1'], { unprivileged: true, env: { HOME: home }, cwd: work });
      t.diagnostic(JSON.stringify(r.stderr));
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
    },
  );
});
