import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../src/errors.js';
import { flagName } from '../src/cli/flagName.js';
import { formatFromPath, resolveFormat } from '../src/output/format.js';

test('the format is inferred from the output extension, case-insensitively', () => {
  assert.equal(formatFromPath('out.csv'), 'csv');
  assert.equal(formatFromPath('dir/OUT.CSV'), 'csv');
  assert.equal(formatFromPath('out.jsonl'), 'jsonl');
  assert.equal(formatFromPath('out.ndjson'), 'jsonl');
  assert.equal(formatFromPath('out.txt'), 'text');
  assert.equal(formatFromPath('fixtures/Customers.SQL'), 'sql');
  assert.equal(formatFromPath('out.tsv'), undefined);
  assert.equal(formatFromPath('out'), undefined);
});

test('stdout defaults to text and a file without a known extension too', () => {
  assert.equal(resolveFormat(undefined, undefined), 'text');
  assert.equal(resolveFormat(undefined, '-'), 'text');
  assert.equal(resolveFormat(undefined, 'records.dat'), 'text');
  assert.equal(resolveFormat(undefined, 'records.jsonl'), 'jsonl');
});

test('an explicit --format is used for stdout and for files whose extension agrees or says nothing', () => {
  assert.equal(resolveFormat('csv', undefined), 'csv');
  assert.equal(resolveFormat('jsonl', 'out.jsonl'), 'jsonl');
  assert.equal(resolveFormat('csv', 'out.dat'), 'csv');
});

test('--format contradicting the output extension is a usage error naming both', () => {
  assert.throws(
    () => resolveFormat('csv', 'out.jsonl'),
    (error: unknown) =>
      error instanceof UsageError &&
      error.format(flagName) === '--format csv contradicts -o/--output out.jsonl, whose extension means jsonl; drop --format or change the file name',
  );
});

test('an unknown --format is a usage error listing the accepted ones', () => {
  assert.throws(
    () => resolveFormat('xml', undefined),
    (error: unknown) => error instanceof UsageError && error.format(flagName) === '--format xml is not supported; use one of text, csv, jsonl, sql',
  );
});
