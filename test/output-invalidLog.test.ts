import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { createInvalidLog, invalidLine } from '../src/output/invalidLog.js';
import { openOutput } from '../src/output/openOutput.js';
import { option } from '../src/errors.js';
import { tempDirectory } from './helpers/tempDirectory.js';

test('an invalid record is logged as one JSON line with index, text, fields and reason', () => {
  const line = invalidLine({ index: 7, text: 'a,"b\nc"', fields: ['a', 'b\nc'] }, 'has 2 fields, expected 3');
  assert.equal(line, '{"index":7,"text":"a,\\"b\\nc\\"","fields":["a","b\\nc"],"reason":"has 2 fields, expected 3"}\n');
});

test('the invalid log file holds every rejected record in order once ended and closed', async () => {
  const file = path.join(await tempDirectory('synth-invalid-'), 'rejected.jsonl');
  const output = await openOutput(file, option('invalidOutput'));
  const log = createInvalidLog(output.stream, output.name);
  await log.write({ index: 3, text: 'x', fields: ['x'] }, 'rejected by --validator');
  await log.write({ index: 9, text: 'y', fields: ['y'] }, 'validator returned a number, expected true or false');
  await log.end();
  await output.close();
  const lines = (await readFile(file, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines, [
    { index: 3, text: 'x', fields: ['x'], reason: 'rejected by --validator' },
    { index: 9, text: 'y', fields: ['y'], reason: 'validator returned a number, expected true or false' },
  ]);
});

test('a full disk makes the invalid log reject, naming the file, instead of hanging', { timeout: 5000 }, async () => {
  const output = await openOutput('/dev/full', option('invalidOutput'));
  const log = createInvalidLog(output.stream, output.name);
  let failure: unknown;
  try {
    for (let i = 0; i < 100; i++) await log.write({ index: i, text: 'x', fields: ['x'] }, 'no');
    await log.end();
  } catch (error) {
    failure = error;
  }
  assert.match(String(failure), /cannot write to \/dev\/full: no space left on device \(ENOSPC\)/);
  await assert.rejects(output.close(), /ENOSPC/);
});
