import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from '../src/errors.js';
import { parseWhere } from '../src/generate/whereConditions.js';
import { flagName } from '../src/cli/flagName.js';

/** The parse without its `source` (a message for errors). */
const parsed = (text: string) => {
  const { source: _source, ...rest } = parseWhere(text);
  return rest;
};

function parseError(text: string): string {
  try {
    parseWhere(text);
  } catch (error) {
    assert.ok(UsageError.is(error));
    return error.format(flagName);
  }
  return assert.fail(`${text} parsed`);
}

describe('parseWhere', () => {
  test('a value, a set, and ranges with either end open', () => {
    assert.deepEqual(parsed('country=Japan'), { field: 'country', kind: 'values', values: ['Japan'] });
    assert.deepEqual(parsed('plan=basic|pro|enterprise'), { field: 'plan', kind: 'values', values: ['basic', 'pro', 'enterprise'] });
    assert.deepEqual(parsed('age=30..39'), { field: 'age', kind: 'range', min: '30', max: '39' });
    assert.deepEqual(parsed('age=30..'), { field: 'age', kind: 'range', min: '30' });
    assert.deepEqual(parsed('age=..39'), { field: 'age', kind: 'range', max: '39' });
    assert.deepEqual(parsed('signup_date=2024-01-01..2024-06-30'), { field: 'signup_date', kind: 'range', min: '2024-01-01', max: '2024-06-30' });
    assert.deepEqual(parsed('t=-5.5..-1'), { field: 't', kind: 'range', min: '-5.5', max: '-1' });
    assert.deepEqual(parsed('d=01.02.2024..05.03.2024'), { field: 'd', kind: 'range', min: '01.02.2024', max: '05.03.2024' });
  });

  test('values keep spaces, commas, single dots and later "=" signs', () => {
    assert.deepEqual(parsed('city=New York, NY'), { field: 'city', kind: 'values', values: ['New York, NY'] });
    assert.deepEqual(parsed('company=Umbrella, Inc.|Acme Corp'), { field: 'company', kind: 'values', values: ['Umbrella, Inc.', 'Acme Corp'] });
    assert.deepEqual(parsed('expr=a=b'), { field: 'expr', kind: 'values', values: ['a=b'] });
  });

  test('a backslash makes |, .., = and itself part of a value or name', () => {
    assert.deepEqual(parsed('company=Smith\\|Jones'), { field: 'company', kind: 'values', values: ['Smith|Jones'] });
    assert.deepEqual(parsed('note=wait\\..|go'), { field: 'note', kind: 'values', values: ['wait..', 'go'] });
    assert.deepEqual(parsed('note=a.\\.b'), { field: 'note', kind: 'values', values: ['a..b'] });
    assert.deepEqual(parsed('a\\=b=1'), { field: 'a=b', kind: 'values', values: ['1'] });
    assert.deepEqual(parsed('dir=C:\\\\x'), { field: 'dir', kind: 'values', values: ['C:\\x'] });
  });

  test('malformed conditions name the flag and the accepted forms', () => {
    const cases: [string, RegExp][] = [
      ['country', /no "=" between the field and its value/],
      ['=Japan', /no field name before "="/],
      ['country=', /no value after "country="/],
      ['plan=basic||pro', /an empty value in the set/],
      ['age=..', /a range needs at least one end/],
      ['age=1..2..3', /more than one "\.\."/],
      ['age=1..2|3', /a range LO\.\.HI cannot also list values/],
      ['x=a\\', /a backslash at the end escapes nothing/],
    ];
    for (const [text, pattern] of cases) {
      const line = parseError(text);
      assert.match(line, pattern, text);
      assert.ok(line.startsWith(`--where ${JSON.stringify(text)}: `), line);
      assert.match(line, /write FIELD=VALUE, FIELD=a\|b\|c or FIELD=LO\.\.HI/);
    }
  });
});
