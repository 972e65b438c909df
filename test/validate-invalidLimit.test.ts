import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMessage, UsageError } from '../src/errors.js';
import { flagName } from '../src/cli/flagName.js';
import { describeInvalidLimit, parseInvalidLimit, resolveInvalidLimit } from '../src/validate/invalidLimit.js';

test('--max-invalid reads a count or a share of --lines', () => {
  assert.equal(parseInvalidLimit('0'), 0);
  assert.equal(parseInvalidLimit('250'), 250);
  assert.equal(parseInvalidLimit('5%'), '5%');
  assert.equal(parseInvalidLimit('0.5%'), '0.5%');
  for (const bad of ['-1', '0.5', '1e99', 'NaN', '5 %', '%', '10001%', '1000000001']) {
    assert.throws(() => parseInvalidLimit(bad), (e: unknown) => e instanceof UsageError && /a whole number from 0 to 1000000000, or a share of --lines such as 5%/.test(e.format(flagName)), bad);
  }
});

test('a share is of the valid records wanted, rounded up', () => {
  assert.equal(resolveInvalidLimit('5%', 1000), 50);
  assert.equal(resolveInvalidLimit('10%', 1000), 100);
  assert.equal(resolveInvalidLimit('0.5%', 1001), 6);
  assert.equal(resolveInvalidLimit('0%', 1_000_000), 0);
  assert.equal(resolveInvalidLimit(7, 1_000_000), 7);
});

test('the default scales with the run: 10% of --lines, at least 1000', () => {
  assert.equal(resolveInvalidLimit(undefined, 5), 1000);
  assert.equal(resolveInvalidLimit(undefined, 10_000), 1000);
  assert.equal(resolveInvalidLimit(undefined, 200_000), 20_000);
  assert.equal(resolveInvalidLimit(undefined, 1_000_000), 100_000);
  assert.equal(formatMessage(describeInvalidLimit(undefined, 100_000, 1_000_000), flagName), '100000 (the default: 10% of --lines 1000000, at least 1000)');
  assert.equal(formatMessage(describeInvalidLimit('5%', 50, 1000), flagName), '50 (5% of --lines 1000)');
});
