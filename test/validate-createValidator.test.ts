import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatMessage, UsageError } from '../src/errors.js';
import { createValidator, type ValidatorOptions } from '../src/validate/createValidator.js';
import { flagName } from '../src/cli/flagName.js';
import type { GeneratedRecord, Verdict } from '../src/validate/record.js';
import { tempDirectory } from './helpers/tempDirectory.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures-validators/', import.meta.url));
const fixture = (name: string) => path.join(fixtures, name);
const base: ValidatorOptions = { timeoutMs: 1000, enabled: true };
const record = (text: string, fields: string[] = [text], index = 0): GeneratedRecord => ({ index, text, fields });
/** A verdict with its reason as synth generate writes it (options as flags). */
function asCli(verdict: Verdict | Promise<Verdict>): Verdict | { valid: false; reason: string } {
  assert.ok(!(verdict instanceof Promise), 'answered synchronously');
  return verdict.valid ? verdict : { valid: false, reason: formatMessage(verdict.reason, flagName) };
}

async function usageErrorOf(options: ValidatorOptions): Promise<string> {
  try {
    await createValidator(options);
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${error}`);
    // As the CLI shows it; the API's wording is the same with option keys (api-errors.test.ts).
    return error.format(flagName);
  }
  assert.fail('expected createValidator to throw');
}

test('without any check every record is accepted synchronously, with no promise', async () => {
  const validate = await createValidator(base);
  const verdict = validate(record('anything'));
  assert.ok(!(verdict instanceof Promise));
  assert.deepEqual(verdict, { valid: true });
});

test('a delimited record with the wrong field count is invalid and says how many fields it has', async () => {
  const validate = await createValidator({ ...base, fieldCount: 3 });
  assert.deepEqual(validate(record('a,b,c', ['a', 'b', 'c'])), { valid: true });
  assert.deepEqual(asCli(validate(record('a,b', ['a', 'b']))), { valid: false, reason: 'has 2 fields, expected 3' });
  assert.deepEqual(asCli(validate(record('a,b,c,d', ['a', 'b', 'c', 'd']))), { valid: false, reason: 'has 4 fields, expected 3' });
});

test('--match accepts records whose text matches and names the pattern when one does not', async () => {
  const validate = await createValidator({ ...base, match: '^[a-z]+,\\d+$' });
  assert.deepEqual(validate(record('bob,42', ['bob', '42'])), { valid: true });
  assert.deepEqual(asCli(validate(record('bob,x', ['bob', 'x']))), { valid: false, reason: 'does not match --match /^[a-z]+,\\d+$/' });
});

test('an invalid --match regex is a usage error naming --match', async () => {
  const message = await usageErrorOf({ ...base, match: '(unclosed' });
  assert.match(message, /^--match "\(unclosed" is not a valid regular expression: /);
});

test('--no-validate accepts everything and does not even load the module', async () => {
  const validate = await createValidator({
    enabled: false, timeoutMs: 1000, fieldCount: 3, match: '^x$', modulePath: fixture('missing.mjs'),
  });
  assert.deepEqual(validate(record('no match', ['one field'])), { valid: true });
});

test('a missing validator module is a usage error naming the path it looked for', async () => {
  const message = await usageErrorOf({ ...base, modulePath: fixture('missing.mjs') });
  assert.equal(message, `--validator ${fixture('missing.mjs')}: no such file (looked for ${fixture('missing.mjs')})`);
});

test('a validator module path is resolved against the current directory', async () => {
  const relative = path.relative(process.cwd(), fixture('missing.mjs'));
  const message = await usageErrorOf({ ...base, modulePath: relative });
  assert.ok(message.startsWith(`--validator ${relative}: no such file`));
  assert.ok(message.includes(`(looked for ${fixture('missing.mjs')})`));
  const validate = await createValidator({ ...base, modulePath: path.relative(process.cwd(), fixture('rejectAll.mjs')) });
  assert.equal((await validate(record('x'))).valid, false);
});

test('a directory given as validator is a usage error', async () => {
  assert.match(await usageErrorOf({ ...base, modulePath: fixtures }), /: is not a file/);
});

test('a validator with a syntax error is a usage error with the first line of the error', async () => {
  const message = await usageErrorOf({ ...base, modulePath: fixture('syntaxError.mjs') });
  assert.match(message, /^--validator .*syntaxError\.mjs: failed to load: SyntaxError: Unexpected token/);
  assert.ok(!message.includes('\n'));
});

test('a validator that throws while loading is a usage error with its message', async () => {
  const dir = await tempDirectory('synth-validator-');
  const file = path.join(dir, 'throwsOnLoad.mjs');
  await writeFile(file, 'throw new Error("needs a config file\\nsecond line");\n');
  assert.equal(await usageErrorOf({ ...base, modulePath: file }), `--validator ${file}: failed to load: Error: needs a config file`);
});

test('a validator without a default export is a usage error saying what to export', async () => {
  const message = await usageErrorOf({ ...base, modulePath: fixture('noDefaultExport.mjs') });
  assert.match(message, /noDefaultExport\.mjs: has no default export; export a function/);
});

test('a validator whose default export is not a function is a usage error naming what it is', async () => {
  const message = await usageErrorOf({ ...base, modulePath: fixture('defaultNotFunction.mjs') });
  assert.match(message, /defaultNotFunction\.mjs: its default export is an object, expected a function/);
});

test('a validator returning false rejects every record', async () => {
  const validate = await createValidator({ ...base, modulePath: fixture('rejectAll.mjs') });
  assert.deepEqual(asCli(await validate(record('x'))), { valid: false, reason: 'rejected by --validator' });
});

test('the user validator receives the record text and its fields', async () => {
  const validate = await createValidator({ ...base, modulePath: fixture('fieldsCheck.mjs') });
  assert.equal((await validate(record('ann,7', ['ann', '7']))).valid, true);
  assert.equal((await validate(record('ann,seven', ['ann', 'seven']))).valid, false);
});

test('an async validator is awaited and its answer used', async () => {
  const validate = await createValidator({ ...base, modulePath: fixture('asyncStartsWithA.mjs') });
  const pending = validate(record('apple'));
  assert.ok(pending instanceof Promise);
  assert.deepEqual(await pending, { valid: true });
  assert.equal((await validate(record('banana'))).valid, false);
});

test('a validator that throws or rejects makes the record invalid with the thrown message as reason', async () => {
  const validate = await createValidator({ ...base, modulePath: fixture('throws.mjs') });
  assert.deepEqual(await validate(record('good')), { valid: true });
  assert.deepEqual(asCli(await validate(record('bad one'))), { valid: false, reason: 'no "bad" allowed: bad one' });
  assert.deepEqual(asCli(await validate(record('worse one'))), { valid: false, reason: 'async no: worse one' });
});

test('a validator returning a non-boolean makes the record invalid naming the type', async () => {
  const validate = await createValidator({ ...base, modulePath: fixture('returnsNumber.mjs') });
  assert.deepEqual(asCli(await validate(record('abc'))), { valid: false, reason: 'validator returned a number, expected true or false' });
});

test('a validator that never settles makes the record invalid after the timeout, naming the flag', async () => {
  const validate = await createValidator({ ...base, timeoutMs: 50, modulePath: fixture('neverSettles.mjs') });
  const started = performance.now();
  const verdict = await validate(record('x'));
  const elapsedMs = performance.now() - started;
  assert.deepEqual(asCli(verdict), {
    valid: false,
    reason: 'validator did not settle within 50 ms (raise --validator-timeout if it needs longer)',
  });
  assert.ok(elapsedMs >= 45 && elapsedMs < 1000, `timed out after ${elapsedMs} ms`);
});

test('a settled async validator leaves no timer behind', async () => {
  const validate = await createValidator({ ...base, timeoutMs: 60_000, modulePath: fixture('asyncStartsWithA.mjs') });
  const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
  const before = timers();
  await validate(record('apple'));
  // A pending 60 s timer would show up as an active resource and keep the process alive.
  assert.equal(timers(), before);
});

test('built-in checks run before the user module, which never sees a record they rejected', async () => {
  const dir = await tempDirectory('synth-validator-');
  const file = path.join(dir, 'recordsCalls.mjs');
  await writeFile(file, 'export const seen = [];\nexport default (text) => { seen.push(text); return true; };\n');
  const validate = await createValidator({ ...base, fieldCount: 2, match: 'z', modulePath: file });
  const verdicts: Verdict[] = [];
  for (const r of [record('a', ['a']), record('a,b', ['a', 'b']), record('z,z', ['z', 'z'])]) verdicts.push(await validate(r));
  assert.deepEqual(verdicts.map((v) => v.valid), [false, false, true]);
  const { seen } = await import(file);
  assert.deepEqual(seen, ['z,z']);
});

test('a timeout that is not a positive number is a usage error naming --validator-timeout', async () => {
  for (const timeoutMs of [0, -5, Number.NaN, Infinity]) {
    assert.match(await usageErrorOf({ ...base, timeoutMs }), /^--validator-timeout must be a positive number/);
  }
});
