import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  BackendError,
  evaluate,
  BudgetError,
  ExitStatus,
  generate,
  InternalError,
  InterruptedError,
  loadModel,
  ModelError,
  SynthError,
  train,
  UsageError,
  type SynthRecord,
} from '../src/index.js';
import { runCli } from './helpers/runCli.js';

const drain = async (records: AsyncIterable<SynthRecord>): Promise<void> => {
  for await (const _ of records);
};
const rejection = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => assert.fail('expected a rejection'), (e: unknown) => e);

describe('errors of the API', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'synth-api-errors-'));
  });
  after(() => rm(work, { recursive: true, force: true }));

  test('every error class is exported, a SynthError with its own code and exit status', () => {
    const cases: [SynthError, string, number][] = [
      [new UsageError('u'), 'ERR_SYNTH_USAGE', ExitStatus.usage],
      [new ModelError('m'), 'ERR_SYNTH_MODEL', ExitStatus.model],
      [new BudgetError('b', 1, 2), 'ERR_SYNTH_BUDGET', ExitStatus.budget],
      [new InterruptedError('SIGTERM'), 'ERR_SYNTH_INTERRUPTED', ExitStatus.terminated],
      [new InternalError('i'), 'ERR_SYNTH_INTERNAL', ExitStatus.internal],
      [new BackendError('x', 'onnx'), 'ERR_SYNTH_BACKEND', ExitStatus.usage],
    ];
    for (const [error, code, status] of cases) {
      assert.ok(error instanceof SynthError && error instanceof Error);
      assert.equal(error.code, code);
      assert.equal(error.exitStatus, status);
      assert.equal(error.name, error.constructor.name);
    }
  });

  test('is() recognises errors from another copy of the module, where instanceof does not', async () => {
    // A query string loads errors.js a second time: other classes, as in another realm or a second installed copy.
    const other = (await import(`../src/errors.js?copy=${Date.now()}`)) as typeof import('../src/errors.js');
    const foreign = new other.UsageError('from elsewhere');
    assert.equal(foreign instanceof UsageError, false);
    assert.equal(UsageError.is(foreign), true);
    assert.equal(SynthError.is(foreign), true);
    assert.equal(ModelError.is(foreign), false);
    assert.equal(other.ModelError.is(new ModelError('here')), true);
    assert.equal(UsageError.is(new Error('plain')), false);
    assert.equal(UsageError.is({ code: 'ERR_SYNTH_USAGE' }), false, 'a look-alike object without the marker is not one');
  });

  test('wrapping keeps the cause', () => {
    const cause = new Error('native failure');
    assert.equal(new InternalError('wrapped', { cause }).cause, cause);
    assert.equal(new UsageError('wrapped', { cause }).cause, cause);
    assert.equal(new BackendError('wrapped', 'wasm', { cause }).cause, cause);
  });

  test('a backend that cannot start is a BackendError wrapping its own error, naming the option as the API does', async () => {
    // tfjs-node is an optional dependency that is not installed here.
    const error = await rejection(drain(generate({ lines: 2, backend: 'tensorflow', workers: 1 })));
    assert.ok(error instanceof BackendError, String(error));
    assert.equal(error.backend, 'tensorflow');
    assert.equal(error.exitStatus, ExitStatus.usage);
    assert.ok(error.cause instanceof Error, 'the backend\'s own error is the cause');
    assert.match(error.message, /^backend tensorflow cannot start here: .*; choose another backend, or auto/);
    const input = path.join(work, 'lines.txt');
    await writeFile(input, 'one\ntwo\nthree\n');
    const trainError = await rejection(train({ input, out: path.join(work, 'never'), backend: 'tensorflow', epochs: 1 }));
    assert.ok(BackendError.is(trainError), String(trainError));
    assert.match((trainError as BackendError).message, /^backend tensorflow cannot start here/);
  });

  test('a usage error names the API option to an API caller and the flag to a CLI user, from one message', async () => {
    const error = await rejection(drain(generate({ lines: 3, seeds: ['C09001,Mary,'], maxChars: 3 })));
    assert.ok(error instanceof UsageError);
    assert.equal(error.message, 'maxChars 3 leaves no room after a start string of 3 characters; raise maxChars');
    assert.deepEqual(error.options, ['maxChars', 'maxChars']);
    const cli = await runCli(['generate', '--lines', '3', '--seed', 'C09001,Mary,', '--max-chars', '3']);
    assert.equal(cli.status, ExitStatus.usage);
    assert.equal(cli.stderr, 'synth: error: --max-chars 3 leaves no room after a start string of 3 characters; raise --max-chars\n');
  });

  test('option checks, budgets and inputs speak the API\'s names', async () => {
    // Started one at a time: a rejection nobody awaits yet would count as unhandled.
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => drain(generate({ batchSize: 0 })), /^batchSize must be a whole number from 1 to 4096, got 0$/],
      [() => drain(generate({ maxInvalid: -1 as never })), /^maxInvalid must be a whole number of records/],
      [() => drain(generate({ validatorTimeoutMs: 0 })), /^validatorTimeoutMs must be a positive number/],
      [() => drain(generate({ match: '(' })), /^match "\(" is not a valid regular expression/],
      [() => drain(generate({ shard: '3/2' })), /^shard 3\/2: expected I\/N/],
      [() => drain(generate({ lines: 2, randomSeed: 1, match: '^never$', maxInvalid: 0 })), /more than maxInvalid 0; .*raise maxInvalid\.$/],
      [() => train({ input: path.join(work, 'missing.csv'), out: path.join(work, 'm') }), /^input .*missing\.csv does not exist/],
      [() => train({ out: path.join(work, 'm') }), /^give either input \(a file\) or records \(records in memory\), not neither$/],
      [() => train({ input: 'x.csv', out: path.join(work, 'm'), epochs: 0 }), /^epochs must be a whole number from 1 to 100000, got 0$/],
      [() => train({ input: 'x.csv', out: path.join(work, 'm'), lstmUnits: [] }), /^lstmUnits must be 'auto' or list 1 to 8 layer sizes/],
      [() => train({ input: 'x.csv', out: path.join(work, 'm'), dropout: 2 }), /^dropout must be 'auto' or a number from 0 to 0\.9, got 2$/],
      [() => evaluate({ data: 'x.csv', lines: 0 }), /^lines must be a whole number from 1 to 1000000, got 0$/],
    ];
    for (const [start, pattern] of cases) {
      const error = await rejection(start());
      assert.ok(SynthError.is(error), String(error));
      assert.match((error as Error).message, pattern);
      assert.doesNotMatch((error as Error).message, /--/);
    }
  });

  test('loadModel of a missing directory is a ModelError', async () => {
    const error = await rejection(loadModel(path.join(work, 'no-model')));
    assert.ok(ModelError.is(error));
    assert.equal((error as ModelError).exitStatus, ExitStatus.model);
  });
});
