import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generate, loadModel, UsageError, type GenerateOptions, type SynthRecord } from '../src/index.js';

const drain = async (records: AsyncIterable<SynthRecord>): Promise<SynthRecord[]> => {
  const out: SynthRecord[] = [];
  for await (const record of records) out.push(record);
  return out;
};

/** The UsageError a run with these options ends in, whether thrown at once or on iteration. */
async function refusal(options: GenerateOptions): Promise<UsageError> {
  try {
    await drain(generate({ ...(options.seedRecords ? {} : { lines: 1 }), randomSeed: 1, ...options }));
  } catch (error) {
    assert.ok(UsageError.is(error), `expected a UsageError, got ${String(error)}`);
    assert.equal(error.exitStatus, 2);
    return error;
  }
  return assert.fail('expected the run to be refused');
}

describe('generate({ where, seedRecords }): checked with the API\'s option names', () => {
  test('each form of where is checked against the bundled model\'s schema', async () => {
    const cases: [GenerateOptions['where'], RegExp][] = [
      [{ contry: 'Japan' }, /^where\.contry: the model has no field "contry"; its fields are customer_id,/],
      [{ plan: ['basic', 'gold'] }, /^where\.plan: plan has no value "gold"; plan takes one of 4 values/],
      [{ age: { min: 90 } }, /^where\.age: no value of age is within 90\.\.; age takes 62 values from 18 to 79/],
      [{ signup_date: { min: '2024-06-30', max: '2024-01-01' } }, /^where\.signup_date: the range 2024-06-30\.\.2024-01-01 on signup_date is empty/],
      [{ customer_id: 'C01001' }, /^where\.customer_id: "customer_id" is a key column/],
      [['country=Japan', 'age=1..2'], /^where "age=1\.\.2": no value of age is within 1\.\.2/],
      [['country'], /^where "country": no "=" between the field and its value/],
    ];
    for (const [where, pattern] of cases) {
      const error = await refusal({ where });
      assert.match(error.message, pattern);
      assert.deepEqual(error.options.slice(0, 1), ['where'], 'the message names the option as the API spells it');
    }
  });

  test('malformed where and seedRecords values are refused before the model is read', async () => {
    const cases: [GenerateOptions, RegExp][] = [
      [{ where: 'country=Japan' as never }, /^where must be an object such as \{ country: 'Japan'.* or an array of "FIELD=VALUE" strings, got "country=Japan"$/],
      [{ where: [42] as never }, /^where\[0\] must be a string such as "country=Japan", got number 42$/],
      [{ where: { plan: [] } }, /^where\.plan must list strings, numbers or booleans, and at least one$/],
      [{ where: { age: { from: 30 } } as never }, /^where\.age must be a value, an array of values or a range \{ min, max \}, got an object$/],
      [{ where: { age: { min: [30] } } as never }, /^where\.age range ends must be numbers or date strings, got an array$/],
      [{ seedRecords: [] }, /^seedRecords must be a non-empty array of objects/],
      [{ seedRecords: ['Japan'] as never }, /^seedRecords\[0\] must be an object such as \{ country: 'Japan' \}, got "Japan"$/],
      [{ seedRecords: [{ country: ['Japan'] }] as never }, /^seedRecords\[0\]\.country must be a string, number, boolean or null, got an array$/],
      [{ seedRecords: [{ country: 'Japan' }], seeds: ['C01001,'] }, /^give either seeds or seedRecords, not both$/],
      [{ seedRecords: [{ country: 'Japan' }, { country: 'Canada' }], lines: 3 }, /^lines 3 does not match the 2 seed rows/],
    ];
    for (const [options, pattern] of cases) {
      let caught: unknown;
      try {
        await drain(generate({ model: '/nonexistent/model', ...options }));
      } catch (error) {
        caught = error;
      }
      assert.ok(UsageError.is(caught), `${JSON.stringify(options)}: ${String(caught)}`);
      assert.match(caught.message, pattern);
    }
  });

  test('seedRecords are checked row by row, with a blank or null cell left free', async () => {
    let error = await refusal({ seedRecords: [{ country: 'Japan', plan: null }, { country: 'Japn' }] });
    assert.match(error.message, /^seedRecords\[1\]: country has no value "Japn"/);
    error = await refusal({ seedRecords: [{ country: 'Japan', plann: null }] });
    assert.match(error.message, /^seedRecords\[0\]: the model has no field "plann"; its fields are/);
    error = await refusal({ seedRecords: [{ country: 'Canada' }], where: { country: ['Japan', 'Spain'] } });
    assert.match(error.message, /^seedRecords\[0\]: country "Canada" does not meet where\.country/);
  });

  test('a loaded model\'s generate() checks where the same way', async () => {
    await using model = await loadModel();
    let caught: unknown;
    try {
      await drain(model.generate({ lines: 1, where: { city: { min: 1 } } }));
    } catch (error) {
      caught = error;
    }
    assert.ok(UsageError.is(caught));
    assert.match(caught.message, /^where\.city: a range needs a number or date field, but city is a set of text values/);
  });

  test('well-formed conditions in every form are accepted and the run yields its records', async () => {
    const records = await drain(
      generate({
        lines: 2,
        randomSeed: 1,
        where: { country: 'Japan', plan: ['basic', 'pro'], age: { min: 30, max: 39 }, signup_date: { max: '2024-06-30' }, monthly_spend: { min: 0 } },
      }),
    );
    assert.equal(records.length, 2);
    assert.equal((await drain(generate({ lines: 1, randomSeed: 1, where: ['country=Japan', 'age=30..'] }))).length, 1);
  });
});
