import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from '../src/errors.js';
import { checkConditions, type ConditionRequest } from '../src/schema/checkCondition.js';
import { buildFieldAutomaton, type FieldAutomaton } from '../src/schema/fieldAutomaton.js';
import { narrowField, satisfies, type FieldCondition } from '../src/schema/fieldCondition.js';
import type { FieldSchema, RecordSchema } from '../src/schema/schema.js';
import { message, option } from '../src/errors.js';

const base = { blankShare: 0, repeats: true, distinct: 0, minLength: 1, maxLength: 20, chars: '' };
const field = (f: Partial<FieldSchema> & Pick<FieldSchema, 'name' | 'kind'>): FieldSchema => ({ ...base, ...f });

const plan = field({ name: 'plan', kind: 'set', values: ['basic', 'pro', 'enterprise', 'free'], distinct: 4 });
const age = field({ name: 'age', kind: 'set', values: ['78', '34', '18', '33', '49', '30', '39', '40'], distinct: 8 });
const score = field({ name: 'score', kind: 'integer', min: -5, max: 120, chars: '-0123456789' });
const spend = field({ name: 'spend', kind: 'decimal', min: 0, max: 1988.6, scale: 2, fixedScale: true, chars: '.0123456789' });
const signup = field({ name: 'signup', kind: 'date', format: 'YYYY-MM-DD', min: '2019-01-01', max: '2024-12-31', chars: '-0123456789' });
const seen = field({ name: 'seen', kind: 'datetime', format: 'YYYY-MM-DD HH:mm', min: '2024-01-01 00:00', max: '2024-03-31 23:59', chars: ' -0123456789:' });
const email = field({ name: 'email', kind: 'text', chars: '.@abcdefghijklmnopqrstuvwxyz', minLength: 5, maxLength: 30, blankShare: 0.2 });
const active = field({ name: 'active', kind: 'boolean', values: ['yes', 'no'] });
const id = field({ name: 'id', kind: 'text', chars: 'C0123456789', key: { format: 'sequence', prefix: 'C', digits: 5, suffix: '', start: 3001 } });
const company = field({ name: 'company', kind: 'set', values: ['Acme Corp', 'Initech'], blankShare: 0.7 });
const schema: RecordSchema = { fields: [id, email, age, plan, score, spend, signup, seen, active, company], closedSetMaxValues: 300 };

const source = message`${option('where')} test`;
const values = (name: string, ...v: (string | number | boolean)[]): ConditionRequest => ({ source, field: name, kind: 'values', values: v });
const range = (name: string, min?: string | number, max?: string | number): ConditionRequest => ({
  source,
  field: name,
  kind: 'range',
  ...(min === undefined ? {} : { min }),
  ...(max === undefined ? {} : { max }),
});
const check = (...requests: ConditionRequest[]): FieldCondition[] => checkConditions(requests, schema);

/** The values of `candidates` the field's automaton accepts, written character by character. */
function admitted(f: FieldSchema, candidates: string[]): string[] {
  const alphabet = [...new Set(candidates.join('') + f.chars)];
  const automaton: FieldAutomaton = buildFieldAutomaton(f, { vocabSize: alphabet.length, idOfChar: (c) => alphabet.indexOf(c) }, false);
  return candidates.filter((text) => {
    let state = 0;
    for (const c of text) {
      state = automaton.next[state * alphabet.length + alphabet.indexOf(c)]!;
      if (state < 0) return false;
    }
    return automaton.accepting[state] === 1;
  });
}

function usageError(run: () => unknown, ...patterns: RegExp[]): string {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assert.ok(UsageError.is(caught), `expected a UsageError, got ${String(caught)}`);
  assert.equal(caught.exitStatus, 2);
  for (const pattern of patterns) assert.match(caught.message, pattern);
  return caught.message;
}

describe('narrowField', () => {
  test('a set keeps only the allowed values, in their original order, and no blank', () => {
    const [condition] = check(values('company', 'Initech'), values('plan', 'free', 'basic'));
    assert.deepEqual(narrowField(company, condition!).values, ['Initech']);
    assert.equal(narrowField(company, condition!).blankShare, 0);
    const narrowed = narrowField(plan, check(values('plan', 'free', 'basic'))[0]!);
    assert.deepEqual(narrowed.values, ['basic', 'free']);
    assert.deepEqual(admitted(narrowed, ['basic', 'pro', 'free', 'enterprise', '']), ['basic', 'free']);
  });

  test('a text field with values becomes a set of those strings', () => {
    const narrowed = narrowField(email, check(values('email', 'ab@c.de', 'x@y.zz'))[0]!);
    assert.equal(narrowed.kind, 'set');
    assert.deepEqual(narrowed.values, ['ab@c.de', 'x@y.zz']);
    assert.deepEqual(admitted(narrowed, ['ab@c.de', 'x@y.zz', 'ab@c.d', '', 'q@q.qq']), ['ab@c.de', 'x@y.zz']);
  });

  test('an integer range narrows min and max, rounded inward', () => {
    const narrowed = narrowField(score, check(range('score', 10.5, 20.9))[0]!);
    assert.equal(narrowed.min, 11);
    assert.equal(narrowed.max, 20);
    const open = narrowField(score, check(range('score', undefined, 7))[0]!);
    assert.deepEqual([open.min, open.max], [-5, 7]);
  });

  test('a decimal range is rounded inward to the field\'s scale', () => {
    const narrowed = narrowField(spend, check(range('spend', '10.551', 10.55 + 1))[0]!);
    assert.equal(narrowed.min, 10.56);
    assert.equal(narrowed.max, 11.55);
  });

  test('a closed set of numbers with a range keeps the values inside it', () => {
    const narrowed = narrowField(age, check(range('age', 30, 39))[0]!);
    assert.deepEqual(narrowed.values, ['34', '33', '30', '39']);
    assert.deepEqual(narrowField(age, check(range('age', '40'))[0]!).values, ['78', '49', '40']);
  });

  test('a date range narrows min and max, and the automaton admits exactly its dates', () => {
    const narrowed = narrowField(signup, check(range('signup', '2024-06-30', '2026-01-01'))[0]!);
    assert.deepEqual([narrowed.min, narrowed.max], ['2024-06-30', '2024-12-31']);
    assert.deepEqual(admitted(narrowed, ['2024-06-29', '2024-06-30', '2024-12-31', '2025-01-01']), ['2024-06-30', '2024-12-31']);
  });

  test('a datetime range given as dates covers whole days', () => {
    const [condition] = check(range('seen', '2024-02-01', '2024-02-29'));
    assert.deepEqual(condition, { field: 7, kind: 'range', min: '2024-02-01 00:00', max: '2024-02-29 23:59' });
    const narrowed = narrowField(seen, condition!);
    assert.deepEqual([narrowed.min, narrowed.max], ['2024-02-01 00:00', '2024-02-29 23:59']);
  });
});

describe('satisfies', () => {
  test('values: exact text, numbers as numbers, never a blank', () => {
    const [p] = check(values('plan', 'pro', 'free'));
    assert.equal(satisfies('pro', plan, p!), true);
    assert.equal(satisfies('basic', plan, p!), false);
    assert.equal(satisfies('', plan, p!), false);
    const [s] = check(values('spend', 12.5));
    assert.deepEqual(s!.kind === 'values' && s!.values, ['12.50']);
    assert.equal(satisfies('12.5', spend, s!), true);
    assert.equal(satisfies('12.51', spend, s!), false);
  });

  test('ranges: numbers, a closed set of numbers and dates, ends inclusive', () => {
    const [a] = check(range('age', 30, 39));
    assert.deepEqual(['29', '30', '39', '40', 'x', ''].map((v) => satisfies(v, age, a!)), [false, true, true, false, false, false]);
    const [d] = check(range('signup', undefined, '2020-02-29'));
    assert.deepEqual(['2020-02-29', '2020-03-01', '2019-01-01', '2020-02-30'].map((v) => satisfies(v, signup, d!)), [true, false, true, false]);
    const [t] = check(range('seen', '2024-02-01'));
    assert.equal(satisfies('2024-01-31 23:59', seen, t!), false);
    assert.equal(satisfies('2024-02-01 00:00', seen, t!), true);
  });
});

describe('checkConditions', () => {
  test('values are given in the field\'s text: booleans in its spelling, ISO dates in its format', () => {
    assert.deepEqual(check(values('active', true)), [{ field: 8, kind: 'values', values: ['yes'] }]);
    const rating: FieldSchema = field({ name: 'rating', kind: 'set', values: ['1.0', '2.5', '3.0'] });
    assert.deepEqual(checkConditions([values('rating', 3, '2.5')], { fields: [rating], closedSetMaxValues: 300 }), [{ field: 0, kind: 'values', values: ['3.0', '2.5'] }]);
    assert.deepEqual(check(range('score', '1', '2'), values('signup', '2020-01-05')), [
      { field: 4, kind: 'range', min: 1, max: 2 },
      { field: 6, kind: 'values', values: ['2020-01-05'] },
    ]);
  });

  test('an unknown field names the fields (and a near spelling)', () => {
    usageError(() => check(values('Plan', 'pro')), /no field "Plan"/, /did you mean "plan"/, /its fields are id, email, age, plan/);
  });

  test('a value a closed set never had lists its values and how many', () => {
    usageError(() => check(values('plan', 'gold')), /^where test: plan has no value "gold"; plan takes one of 4 values: "basic", "pro", "enterprise", "free"$/);
  });

  test('a range on a field that is not numbers or dates', () => {
    usageError(() => check(range('plan', 'a', 'b')), /a range needs a number or date field/, /plan is a set of text values/, /\\\.\\\./);
    usageError(() => check(range('email', 1)), /email is text/);
    usageError(() => check(range('active', 1)), /active is boolean/);
  });

  test('a range with its ends the wrong way round, or not parseable', () => {
    usageError(() => check(range('score', 9, 3)), /the range 9\.\.3 on score is empty: its low end is above its high end/);
    usageError(() => check(range('score', 'ten')), /"ten" is not a number; score takes whole numbers from -5 to 120/);
    usageError(() => check(range('signup', '2024-02-30')), /"2024-02-30" is not a date in the format YYYY-MM-DD/);
    usageError(() => check(range('signup', '2024-03-01', '2024-02-01')), /low end is above its high end/);
  });

  test('a range outside what the field can produce says the field\'s range', () => {
    usageError(() => check(range('age', 80, 99)), /no value of age is within 80\.\.99; age takes 8 values from 18 to 78/);
    usageError(() => check(range('score', 121)), /no value of score is within 121\.\.; score takes whole numbers from -5 to 120/);
    usageError(() => check(range('score', 3.2, 3.8)), /no value of score is within 3\.2\.\.3\.8/);
    usageError(() => check(range('signup', undefined, '2018-12-31')), /signup takes dates \(YYYY-MM-DD\) from 2019-01-01 to 2024-12-31/);
  });

  test('a value outside an integer, decimal or date field\'s range, or not of its type', () => {
    usageError(() => check(values('score', '121')), /score 121 is above the training maximum 120/);
    usageError(() => check(values('score', '1.5')), /score "1\.5" is not an integer/);
    usageError(() => check(values('spend', '3.5')), /spend 3\.5 has 1 decimal places; training always had 2/, /exactly 2 decimal places/);
    usageError(() => check(values('signup', '2025-01-01')), /after the training maximum 2024-12-31/);
    usageError(() => check(values('email', 'A@B.C')), /a character the field never had/);
  });

  test('an empty value, or no values', () => {
    usageError(() => check(values('company', '')), /an empty value for company/, /leave it out/);
    usageError(() => check(values('company')), /no values given for company/);
  });

  test('two conditions on one field must be combined', () => {
    usageError(() => check(range('score', 1), range('score', undefined, 5)), /are both on "score"; combine them into one condition/);
  });

  test('a key column cannot be conditioned', () => {
    usageError(() => check(values('id', 'C00001')), /"id" is a key column/, /drop the condition/);
  });
});
