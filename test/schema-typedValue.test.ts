import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findSchemaProblem } from '../src/schema/checkSchema.js';
import { profileRecords } from '../src/schema/profileRecords.js';
import type { FieldSchema } from '../src/schema/schema.js';
import { compileTypedValues, typedValue, valueTypeOf } from '../src/schema/typedValue.js';

const field = (kind: FieldSchema['kind'], extra: Partial<FieldSchema> = {}): FieldSchema => ({
  name: 'f', kind, blankShare: 0.1, repeats: true, distinct: 2, minLength: 1, maxLength: 30, chars: '', ...extra,
});

describe('typed values (schema/typedValue.ts)', () => {
  test('integers and decimals become numbers; past what a double holds exactly they stay strings', () => {
    assert.equal(typedValue('-42', field('integer')), -42);
    assert.equal(typedValue('9007199254740991', field('integer')), 9007199254740991);
    assert.equal(typedValue('9007199254740993', field('integer')), '9007199254740993');
    assert.equal(typedValue('12.50', field('decimal', { scale: 2 })), 12.5);
    assert.equal(typedValue('123456789012.345', field('decimal', { scale: 3 })), 123456789012.345);
    assert.equal(typedValue('1234567890123.4567', field('decimal', { scale: 4 })), '1234567890123.4567');
  });

  test('a closed set of numbers is numbers; one with a leading zero or a word stays text', () => {
    assert.equal(valueTypeOf(field('set', { values: ['78', '34', '5'] })), 'integer');
    assert.equal(typedValue('34', field('set', { values: ['78', '34'] })), 34);
    assert.equal(valueTypeOf(field('set', { values: ['0.5', '1', '2.25'] })), 'decimal');
    assert.equal(typedValue('2.25', field('set', { values: ['0.5', '2.25'] })), 2.25);
    assert.equal(typedValue('007', field('set', { values: ['007', '12'] })), '007');
    assert.equal(typedValue('pro', field('set', { values: ['pro', '12'] })), 'pro');
  });

  test('booleans follow the field\'s spelling, true first', () => {
    for (const [yes, no] of [['true', 'false'], ['Yes', 'No'], ['Y', 'N'], ['t', 'f']] as const) {
      const f = field('boolean', { values: [yes, no] });
      assert.equal(typedValue(yes, f), true);
      assert.equal(typedValue(no, f), false);
    }
    assert.equal(typedValue('no', field('boolean', { values: ['no'] })), false, 'an edited schema that keeps only the false value');
  });

  test('dates and datetimes become ISO-8601 from the field\'s own format, seconds only when it has them', () => {
    assert.equal(typedValue('31.01.2024', field('date', { format: 'DD.MM.YYYY' })), '2024-01-31');
    assert.equal(typedValue('01/31/2024', field('date', { format: 'MM/DD/YYYY' })), '2024-01-31');
    assert.equal(typedValue('2024/01/31 07:05:09', field('datetime', { format: 'YYYY/MM/DD HH:mm:ss' })), '2024-01-31T07:05:09');
    assert.equal(typedValue('31/01/2024T07:05', field('datetime', { format: 'DD/MM/YYYYTHH:mm' })), '2024-01-31T07:05');
    assert.equal(typedValue('2024-02-30', field('date', { format: 'YYYY-MM-DD' })), '2024-02-30', 'not a calendar date: kept as text');
  });

  test('a blank is null for every kind, free text included; text that does not fit its kind stays as it is', () => {
    for (const kind of ['integer', 'decimal', 'date', 'datetime', 'boolean', 'set', 'text'] as const) {
      assert.equal(typedValue('', field(kind, { values: ['a'], format: 'YYYY-MM-DD' })), null, kind);
    }
    assert.equal(typedValue('4x', field('integer')), '4x');
    assert.equal(typedValue('maybe', field('boolean', { values: ['true', 'false'] })), 'maybe');
    assert.equal(typedValue('say "hi"', field('text')), 'say "hi"');
  });

  test('a record is typed field by field from a profiled schema; without a schema every field stays a string', () => {
    const records = Array.from({ length: 30 }, (_, i) => [String(i), (i / 4).toFixed(2), i % 2 ? 'yes' : 'no', `2024-03-${String((i % 28) + 1).padStart(2, '0')}`, i % 3 ? `n${i}` : '']);
    const schema = profileRecords(records, ['id', 'spend', 'member', 'day', 'note'], { closedSetMaxValues: 0 });
    assert.deepEqual(compileTypedValues(schema)(['7', '1.75', 'yes', '2024-03-08', '']), [7, 1.75, true, '2024-03-08', null]);
    assert.deepEqual(compileTypedValues(schema)(['7', '1.75', 'no', '2024-03-08', 'x', 'extra']), [7, 1.75, false, '2024-03-08', 'x', 'extra']);
    assert.deepEqual(compileTypedValues(undefined)(['7', '']), ['7', '']);
  });
});

describe('a key in an edited schema (checkSchema)', () => {
  const base = { name: 'id', kind: 'text', blankShare: 0, repeats: false, distinct: 3, minLength: 6, maxLength: 6, chars: '0123456789C' };
  test('sequence and uuid keys are accepted', () => {
    assert.equal(findSchemaProblem({ fields: [{ ...base, key: { format: 'sequence', prefix: 'C', digits: 5, suffix: '', start: 3001 } }] }, ['id']), null);
    assert.equal(findSchemaProblem({ fields: [{ ...base, key: { format: 'uuid' } }] }, ['id']), null);
  });
  test('a misspelt key is refused, naming the field and what is wrong', () => {
    assert.equal(findSchemaProblem({ fields: [{ ...base, key: { format: 'serial' } }] }, ['id']), 'fields[0] ("id").key.format: is "serial", expected "sequence" or "uuid" (e.g. { "format": "sequence", "prefix": "C", "digits": 5, "suffix": "", "start": 3001 } or { "format": "uuid" })');
    assert.match(findSchemaProblem({ fields: [{ ...base, key: { format: 'sequence', prefix: 'C', digits: -1, suffix: '', start: 1 } }] }, ['id'])!, /key\.digits: must be a whole number/);
    assert.match(findSchemaProblem({ fields: [{ ...base, key: true }] }, ['id'])!, /key: must be a JSON object/);
  });
});
