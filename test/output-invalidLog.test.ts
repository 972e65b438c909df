import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../src/errors.js';
import { invalidLine, openInvalidLog } from '../src/output/invalidLog.js';

test('an invalid record is logged as one JSON line with index, text, fields and reason', () => {
  const line = invalidLine({ index: 7, text: 'a,"b\nc"', fields: ['a', 'b\nc'] }, 'has 2 fields, expected 3');
  assert.equal(line, '{"index":7,"text":"a,\\"b\\nc\\"","fields":["a","b\\nc"],"reason":"has 2 fields, expected 3"}\n');
});

test('the invalid log file holds every rejected record in order after close', async () => {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'synth-invalid-')), 'rejected.jsonl');
  const log = await openInvalidLog(file);
  await log.write({ index: 3, text: 'x', fields: ['x'] }, 'rejected by --validator');
  await log.write({ index: 9, text: 'y', fields: ['y'] }, 'validator returned a number, expected true or false');
  await log.close();
  const lines = (await readFile(file, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines, [
    { index: 3, text: 'x', fields: ['x'], reason: 'rejected by --validator' },
    { index: 9, text: 'y', fields: ['y'], reason: 'validator returned a number, expected true or false' },
  ]);
});

test('an invalid log in a missing directory is a usage error naming --invalid-output', async () => {
  const file = path.join(tmpdir(), 'synth-no-such-dir', 'rejected.jsonl');
  await assert.rejects(openInvalidLog(file), (error: unknown) => error instanceof UsageError && error.message.startsWith(`--invalid-output ${file}: directory`));
});

test('a full disk makes the invalid log reject instead of hanging', { timeout: 5000 }, async () => {
  const log = await openInvalidLog('/dev/full');
  let failure: unknown;
  try {
    for (let i = 0; i < 100; i++) await log.write({ index: i, text: 'x', fields: ['x'] }, 'no');
    await log.close();
  } catch (error) {
    failure = error;
  }
  assert.match(String(failure), /cannot write to \/dev\/full: no space left on device \(ENOSPC\)/);
});
