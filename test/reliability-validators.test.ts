import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertOneLineError } from './helpers/cliAssertions.js';
import { runSynth } from './helpers/cliProcess.js';
import { writeRandomModel } from './helpers/randomModel.js';

// A --validator module that cannot be used is a usage error at start (exit 2, before any output);
// one that misbehaves on a record makes that record invalid, with the reason in --invalid-output.

let work: string;
let model: string;

before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'synth-rel-validators-'));
  // A text model, and a roomy --max-chars below, so only the validator rejects records.
  model = await writeRandomModel({ dir: path.join(work, 'model'), delimited: false, records: [['hello world'], ['foo bar']], embeddingDim: 4, lstmUnits: [8], seed: 5 });
});

after(() => rm(work, { recursive: true, force: true }));

async function validatorModule(name: string, source: string): Promise<string> {
  const file = path.join(work, name);
  await writeFile(file, source);
  return file;
}

const generate = (validator: string, flags: string[] = []) =>
  runSynth(['generate', '--model', model, '--random-seed', '3', '--workers', '1', '--max-chars', '2000', '--validator', validator, ...flags], { timeoutMs: 30_000 });

interface InvalidLine {
  index: number;
  text: string;
  fields: string[];
  reason: string;
}

async function invalidLog(file: string): Promise<InvalidLine[]> {
  return (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as InvalidLine);
}

describe('a validator module that cannot be used is a usage error at start', () => {
  const cases: [string, string | null, RegExp][] = [
    ['does not exist', null, /--validator .*missing\.mjs: no such file \(looked for .*missing\.mjs\)/],
    ['has a syntax error', 'export default (text) => text ===;\n', /--validator .*: failed to load: SyntaxError: Unexpected token/],
    ['throws while loading', 'throw new Error("no config file");\nexport default () => true;\n', /--validator .*: failed to load: Error: no config file/],
    ['imports a package that is not installed', 'import "no-such-package-synth-test";\nexport default () => true;\n', /--validator .*: failed to load: Error: Cannot find package 'no-such-package-synth-test'/],
    ['has no default export', 'export function validate() { return true; }\n', /--validator .*: has no default export; export a function: export default \(text, fields\) => true or false/],
    ['exports something other than a function', 'export default { validate: () => true };\n', /--validator .*: its default export is an object, expected a function/],
  ];
  for (const [what, source, message] of cases) {
    test(`a module that ${what}`, async (t) => {
      const file = source === null ? path.join(work, 'missing.mjs') : await validatorModule(`${what.replace(/\W+/g, '-')}.mjs`, source);
      const out = path.join(work, `out-${what.replace(/\W+/g, '-')}.txt`);
      t.diagnostic(assertOneLineError(await generate(file, ['--lines', '2', '-o', out]), 2, message));
      await assert.rejects(readFile(out), 'no output file is created');
    });
  }

  test('a directory given as the module', async (t) => {
    const dir = path.join(work, 'a-directory');
    await mkdir(dir, { recursive: true });
    t.diagnostic(assertOneLineError(await generate(dir, ['--lines', '2']), 2, /--validator .*a-directory: is not a file; give the path of a JavaScript module/));
  });
});

describe('a validator that misbehaves on a record makes it invalid, with the reason recorded', () => {
  test('results other than true or false: each such record is invalid and says what came back', async (t) => {
    const file = await validatorModule('returns-odd-things.mjs', `
      const answers = [1, undefined, 'true', null, [true], Promise.resolve('yes')];
      let n = 0;
      export default () => (n < answers.length ? answers[n++] : true);
    `);
    const log = path.join(work, 'odd.jsonl');
    const result = await generate(file, ['--lines', '3', '--invalid-output', log]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.split('\n').length, 4, 'three valid records');
    const reasons = (await invalidLog(log)).map((l) => l.reason);
    t.diagnostic(reasons[0]!);
    assert.deepEqual(reasons, ['number', 'undefined', 'string', 'null', 'an array', 'string'].map((type) =>
      `validator returned ${type === 'undefined' || type === 'null' || type === 'an array' ? type : `a ${type}`}, expected true or false`));
  });

  test('throws: the thrown message is the reason, and a throw without one still gets a reason', async (t) => {
    const file = await validatorModule('throws.mjs', `
      let n = 0;
      export default () => {
        n++;
        if (n === 1) throw new Error('phone number has letters');
        if (n === 2) throw 'plain string thrown';
        if (n === 3) throw new TypeError();
        if (n === 4) throw 42;
        return true;
      };
    `);
    const log = path.join(work, 'throws.jsonl');
    const result = await generate(file, ['--lines', '2', '--invalid-output', log]);
    assert.equal(result.status, 0, result.stderr);
    const reasons = (await invalidLog(log)).map((l) => l.reason);
    t.diagnostic(reasons.join(' | '));
    assert.deepEqual(reasons, ['phone number has letters', 'plain string thrown', 'validator threw TypeError without a message', 'validator threw a number']);
  });

  test('a rejected promise: the rejection is the reason', async (t) => {
    const file = await validatorModule('rejects.mjs', `
      let n = 0;
      export default async () => {
        n++;
        if (n === 1) throw new Error('lookup service said no');
        if (n === 2) return Promise.reject();
        return true;
      };
    `);
    const log = path.join(work, 'rejects.jsonl');
    const result = await generate(file, ['--lines', '2', '--invalid-output', log]);
    assert.equal(result.status, 0, result.stderr);
    const reasons = (await invalidLog(log)).map((l) => l.reason);
    t.diagnostic(reasons.join(' | '));
    assert.deepEqual(reasons, ['lookup service said no', 'validator threw undefined']);
  });

  test('a promise that never settles times out per record (--validator-timeout) and the run goes on', async (t) => {
    const file = await validatorModule('hangs-twice.mjs', `
      let n = 0;
      export default () => (++n <= 2 ? new Promise(() => {}) : true);
    `);
    const log = path.join(work, 'hangs.jsonl');
    const started = Date.now();
    const result = await generate(file, ['--lines', '2', '--validator-timeout', '150', '--invalid-output', log]);
    const elapsedMs = Date.now() - started;
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.split('\n').length, 3);
    const lines = await invalidLog(log);
    t.diagnostic(lines[0]!.reason);
    assert.deepEqual(lines.map((l) => [l.index, l.reason]), [0, 1].map((i) => [i, 'validator did not settle within 150 ms (raise --validator-timeout if it needs longer)']));
    assert.ok(elapsedMs < 15_000, `finished in ${elapsedMs} ms`);
  });

  test('a validator that never settles for any record ends with exit 4 after --max-invalid, without hanging', async (t) => {
    const file = await validatorModule('hangs-always.mjs', 'export default () => new Promise(() => {});\n');
    const log = path.join(work, 'hangs-always.jsonl');
    const result = await generate(file, ['--lines', '5', '--validator-timeout', '50', '--max-invalid', '3', '--invalid-output', log]);
    t.diagnostic(assertOneLineError(result, 4, /4 records were rejected, more than --max-invalid 3; 0 valid records were written/));
    assert.equal((await invalidLog(log)).length, 4);
  });

  test('invalid and valid records partition the candidates in index order', async () => {
    const file = await validatorModule('every-other.mjs', 'let n = 0;\nexport default () => n++ % 2 === 1;\n');
    const log = path.join(work, 'every-other.jsonl');
    const result = await generate(file, ['--lines', '4', '--format', 'jsonl', '--invalid-output', log]);
    assert.equal(result.status, 0, result.stderr);
    const invalid = await invalidLog(log);
    assert.deepEqual(invalid.map((l) => l.index), [0, 2, 4, 6]);
    assert.ok(invalid.every((l) => l.reason === 'rejected by --validator'));
    // Replayed without the validator, the odd candidates are exactly the valid output.
    const all = await runSynth(['generate', '--model', model, '--random-seed', '3', '--workers', '1', '--max-chars', '2000', '--lines', '8', '--format', 'jsonl']);
    const texts = all.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { text: string }).text);
    assert.deepEqual(result.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { text: string }).text), [1, 3, 5, 7].map((i) => texts[i]));
    assert.deepEqual(invalid.map((l) => l.text), [0, 2, 4, 6].map((i) => texts[i]));
  });
});
