import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countValues, ksStatistic } from '../src/evaluate/metrics/distance.js';
import { exactCopyShare, recordKeySet } from '../src/evaluate/privacy/exactCopies.js';
import { dayOf, inferFieldKind, readColumn, parseNumber, valueShape } from '../src/evaluate/metrics/fieldKind.js';
import { recordLength } from '../src/evaluate/metrics/recordLength.js';
import { splitHeldOut } from '../src/evaluate/splitHeldOut.js';
import { columnDistribution } from '../src/evaluate/columnDistribution.js';

test('the KS statistic is the largest gap between the empirical CDFs', () => {
  // CDFs after 1: 1/3 vs 0; after 2: 2/3 vs 1/3; after 3: 1 vs 2/3; after 4: 1 vs 1 -> 1/3
  assert.ok(Math.abs(ksStatistic([1, 2, 3], [2, 3, 4]) - 1 / 3) < 1e-12);
  assert.equal(ksStatistic([1, 2, 3], [3, 1, 2]), 0);
  assert.equal(ksStatistic([1, 2], [10, 20, 30]), 1);
  // Ties step together: [1,1,2] vs [1,2,2] -> after 1: 2/3 vs 1/3 -> 1/3
  assert.ok(Math.abs(ksStatistic([1, 1, 2], [1, 2, 2]) - 1 / 3) < 1e-12);
  // -Infinity stands for a missing value: a quarter missing on one side only -> 0.25
  assert.equal(ksStatistic([-Infinity, 1, 2, 3], [1, 1, 2, 3]), 0.25);
  assert.equal(ksStatistic([], [1]), 1);
});

test('a field is numeric when almost every non-empty value is a number', () => {
  assert.equal(inferFieldKind(['1', '2.5', '-3e2', '', ' 4 ']), 'numeric');
  const mostlyNumbers = [...Array.from({ length: 99 }, (_, i) => String(i)), 'n/a'];
  assert.equal(inferFieldKind(mostlyNumbers), 'numeric');
  const tooManyWords = [...Array.from({ length: 90 }, (_, i) => String(i)), ...Array(10).fill('n/a')];
  assert.notEqual(inferFieldKind(tooManyWords), 'numeric');
  assert.equal(parseNumber('Infinity'), undefined);
  assert.equal(parseNumber(' '), undefined);
});

test('a few repeated words are categorical, unique strings are compared by shape', () => {
  assert.equal(inferFieldKind(['red', 'blue', 'red', 'green', 'blue']), 'categorical');
  const emails = Array.from({ length: 200 }, (_, i) => `user${i}@example.com`);
  assert.equal(inferFieldKind(emails), 'shape');
  assert.equal(valueShape('Jane.Doe42@example.com'), 'Aa.Aa9@a.a');
  assert.equal(valueShape('  Été 2024\t'), ' Aa 9 ');
});

test('plots of unique text show the mix of value shapes', () => {
  const real = Array.from({ length: 200 }, (_, i) => `user${i}@example.com`);
  const otherShape = Array.from({ length: 200 }, (_, i) => `${i} Main Street`);
  const plot = columnDistribution({ kind: 'shape' }, real, otherShape);
  assert.ok(plot.kind === 'bars');
  assert.deepEqual(plot.labels, ['a9@a.a', '(other)']);
  assert.deepEqual(plot.real, [1, 0]);
  assert.deepEqual(plot.synthetic, [0, 1]);
});

test('categorical plots keep the real top 20 and pool the rest into "other"', () => {
  const common = Array.from({ length: 10 }, (_, i) => `c${i}`);
  const real = [...common.flatMap((v) => [v, v, v, v, v, v]), ...Array.from({ length: 40 }, (_, i) => `r${i}`)];
  const synthetic = [...common.flatMap((v) => [v, v, v, v, v, v]), ...Array.from({ length: 40 }, (_, i) => `new${i}`)];
  const plot = columnDistribution({ kind: 'categorical' }, real, synthetic);
  assert.ok(plot.kind === 'bars');
  assert.equal(plot.labels.length, 21);
  assert.equal(plot.labels.at(-1), '(other)');
  // 30 rare real values are outside the top 20 (0.3); all 40 invented ones are "other" (0.4)
  assert.ok(Math.abs(plot.real.at(-1)! - 0.3) < 1e-12 && Math.abs(plot.synthetic.at(-1)! - 0.4) < 1e-12);
});

test('numeric plots count blanks apart from the bins', () => {
  const real = Array.from({ length: 100 }, (_, i) => String(i));
  const withBlanks = real.map((v, i) => (i % 5 === 0 ? '' : v));
  const plot = columnDistribution({ kind: 'numeric' }, real, withBlanks);
  assert.equal(plot.kind, 'histogram');
  assert.equal(plot.nonNumeric?.synthetic, 0.2);
});

test('ISO dates and the schema date formats are a datetime field, read as days since 1970', () => {
  assert.equal(inferFieldKind(['2019-03-04', '2021-11-09', '', '2020-01-01T10:00:00Z']), 'datetime');
  assert.equal(dayOf('1970-01-02'), 1);
  assert.equal(dayOf('1970-01-01T12:00:00Z'), 0.5);
  assert.equal(dayOf('04/03/2019'), undefined);
  // A column the schema reads as dates is compared as dates, in the format the schema would pick.
  assert.deepEqual(readColumn(['03/14/2024', '12/01/2023', '']), { kind: 'datetime', dateFormat: 'MM/DD/YYYY' });
  assert.deepEqual(readColumn(['14/03/2024', '01/12/2023']), { kind: 'datetime', dateFormat: 'DD/MM/YYYY' });
  assert.equal(dayOf('01/02/1970', 'DD/MM/YYYY'), 31);
  assert.equal(dayOf('1970-01-01 12:00', 'YYYY-MM-DD HH:mm'), 0.5);
  assert.equal(dayOf('02/30/2024', 'MM/DD/YYYY'), undefined);
  assert.equal(dayOf('2019-13-45'), undefined);
});

test('exact copies need every field to match', () => {
  const reference = recordKeySet([['a', '1'], ['b', '2']]);
  assert.equal(exactCopyShare([['a', '1'], ['a', '2'], ['b', '2'], ['a,1']], reference), 0.5);
  // A field border is part of the identity: ["a,b"] is not ["a", "b"].
  assert.equal(exactCopyShare([['a,1']], recordKeySet([['a', '1']])), 0);
  assert.equal(exactCopyShare([], reference), 0);
});

test('record length counts characters of the fields and one per separator', () => {
  assert.equal(recordLength(['ab', 'c', '']), 5);
  assert.equal(recordLength(['😀x']), 2);
});

test('the held-out split is seeded, disjoint and 20 percent', () => {
  const records = Array.from({ length: 50 }, (_, i) => i);
  const first = splitHeldOut(records);
  assert.deepEqual(splitHeldOut(records), first);
  assert.equal(first.heldOut.length, 10);
  assert.deepEqual([...first.training, ...first.heldOut].sort((a, b) => a - b), records);
  assert.notDeepEqual(first.heldOut, records.slice(40), 'the split is shuffled, not the file tail');
  assert.equal(splitHeldOut([1]).heldOut.length, 0);
});

test('counting values counts each occurrence', () => {
  assert.deepEqual([...countValues(['a', 'b', 'a'])], [['a', 2], ['b', 1]]);
});
