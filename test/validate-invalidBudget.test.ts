import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BudgetError, ExitStatus, UsageError } from '../src/errors.js';
import { flagName } from '../src/cli/flagName.js';
import { InvalidBudget } from '../src/validate/invalidBudget.js';

test('the budget allows exactly --max-invalid rejections and throws on the next one', () => {
  const budget = new InvalidBudget(2);
  budget.reject(0);
  budget.reject(1);
  assert.equal(budget.count, 2);
  assert.throws(
    () => budget.reject(5),
    (error: unknown) =>
      error instanceof BudgetError &&
      error.exitStatus === ExitStatus.budget &&
      error.valid === 5 &&
      error.invalid === 3 &&
      error.format(flagName) ===
        '3 records were rejected, more than --max-invalid 2; 5 valid records were written. Loosen the validator or raise --max-invalid.',
  );
});

test('a budget of zero throws on the first rejection, with singular wording', () => {
  const budget = new InvalidBudget(0);
  assert.throws(
    () => budget.reject(1),
    (error: unknown) =>
      error instanceof BudgetError &&
      error.format(flagName) === '1 record was rejected, more than --max-invalid 0; 1 valid record was written. Loosen the validator or raise --max-invalid.' &&
      error.message === '1 record was rejected, more than maxInvalid 0; 1 valid record was written. Loosen the validator or raise maxInvalid.',
  );
});

test('a negative or fractional --max-invalid is a usage error', () => {
  for (const max of [-1, 1.5, Number.NaN]) {
    assert.throws(() => new InvalidBudget(max), (error: unknown) => error instanceof UsageError && /^maxInvalid must be/.test(error.message) && error.options[0] === 'maxInvalid');
  }
});
