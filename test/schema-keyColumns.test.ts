import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkManifest } from '../src/model/checkManifest.js';
import { findSchemaProblem } from '../src/schema/checkSchema.js';
import { createMaskRows } from '../src/schema/maskRows.js';
import { advanceCursor, compileConstraint, startCursor } from '../src/schema/recordConstraint.js';
import { CharTokenizer } from '../src/tokenizer/charTokenizer.js';
import { detectKey } from '../src/schema/keyColumns.js';
import { profileRecords } from '../src/schema/profileRecords.js';
import { planKeys, uuidOf } from '../src/generate/keyValues.js';
import { apiOptionName, formatMessage, UsageError } from '../src/errors.js';
import { flagName } from '../src/cli/flagName.js';
import type { FieldSchema, KeySpec, RecordSchema } from '../src/schema/schema.js';

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('key column detection', () => {
  it('takes a fixed-format code (C + zero-padded digits) for a key that counts on above its maximum', () => {
    const values = range(1, 3000).map((n) => `C${String(n).padStart(5, '0')}`);
    assert.deepEqual(detectKey(values), { format: 'sequence', prefix: 'C', digits: 5, suffix: '', start: 3001 });
  });

  it('takes an integer sequence (no leading zeros, any width) for a plain-integer key', () => {
    const values = range(7, 1500).map(String).reverse();
    assert.deepEqual(detectKey(values), { format: 'sequence', prefix: '', digits: 0, suffix: '', start: 1501 });
  });

  it('keeps a suffix and a half-filled range (every other number)', () => {
    const values = range(1, 200).map((n) => `INV-${2 * n}/EU`);
    assert.deepEqual(detectKey(values), { format: 'sequence', prefix: 'INV-', digits: 0, suffix: '/EU', start: 401 });
  });

  it('takes UUIDs for a uuid key, upper case when every one was', () => {
    const lower = range(1, 50).map((r) => uuidOf(9, r, false));
    assert.deepEqual(detectKey(lower), { format: 'uuid' });
    assert.deepEqual(detectKey(lower.map((u) => u.toUpperCase())), { format: 'uuid', uppercase: true });
  });

  it('does not take a sparse five-digit code (zip-code-like: digits that carry meaning) for a key', () => {
    // 2,000 distinct codes spread over 00501-99950: density 0.02.
    const values = range(0, 1999).map((i) => String(501 + Math.floor((i * 99449) / 2000)).padStart(5, '0'));
    assert.equal(new Set(values).size, values.length);
    assert.equal(detectKey(values), undefined);
  });

  it('does not take a column with a repeat or a blank, mixed prefixes, or padded codes of two widths', () => {
    const ids = range(1, 100).map((n) => `C${String(n).padStart(4, '0')}`);
    assert.equal(detectKey([...ids, ids[5]!]), undefined, 'a repeat');
    assert.equal(detectKey([...ids.slice(1), '']), undefined, 'a blank');
    assert.equal(detectKey([...ids.slice(1), 'D0001']), undefined, 'another prefix');
    assert.equal(detectKey([...ids.slice(1), 'C00001']), undefined, 'padded to 5 among 4');
    assert.equal(detectKey(['2020-01-01', '2020-01-02']), undefined, 'dates: two digit runs');
    assert.equal(detectKey(['1.5', '2.5']), undefined, 'decimals');
  });

  it('marks keys in the profile of whole records, and never a closed set or a column with blanks', () => {
    const records = range(1, 60).map((n) => [`u${String(n).padStart(3, '0')}`, String(n % 3), n % 7 === 0 ? '' : String(1000 + n)]);
    const schema = profileRecords(records, ['id', 'group', 'code']);
    assert.deepEqual(schema.fields[0]!.key, { format: 'sequence', prefix: 'u', digits: 3, suffix: '', start: 61 });
    assert.equal(schema.fields[1]!.key, undefined);
    assert.equal(schema.fields[2]!.key, undefined);
    assert.equal(profileRecords(records, ['id', 'group', 'code'], { keys: false }).fields[0]!.key, undefined);
  });
});

function schemaWithKey(key: KeySpec): RecordSchema {
  const field: FieldSchema = { name: 'customer_id', kind: 'text', blankShare: 0, repeats: false, distinct: 3000, minLength: 6, maxLength: 6, chars: '0123456789C', key };
  return { fields: [field, { name: 'x', kind: 'text', blankShare: 0, repeats: true, distinct: 2, minLength: 1, maxLength: 1, chars: 'ab' }], closedSetMaxValues: 300 };
}

function keysOf(key: KeySpec, total: number, numbers: number[], seed = 1): { values: string[]; warnings: string[] } {
  const warnings: string[] = [];
  const fill = planKeys(schemaWithKey(key), { total }, seed, (warning) => warnings.push(formatMessage(warning, apiOptionName)))!;
  const values = numbers.map((r) => {
    const fields = ['', 'a'];
    fill(fields, r);
    assert.equal(fields[1], 'a', 'other fields untouched');
    return fields[0]!;
  });
  return { values, warnings };
}

describe('fresh key values', () => {
  const code: KeySpec = { format: 'sequence', prefix: 'C', digits: 5, suffix: '', start: 3001 };

  it('value r is start + r at the learned width, with no warning when the run fits', () => {
    const { values, warnings } = keysOf(code, 20_000, [0, 1, 19_999]);
    assert.deepEqual(values, ['C03001', 'C03002', 'C23000']);
    assert.deepEqual(warnings, []);
  });

  it('a run the width cannot hold grows by a digit for the whole run and says so once', () => {
    const { values, warnings } = keysOf(code, 1_000_000, [0, 999_999]);
    assert.deepEqual(values, ['C0003001', 'C1003000']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /key field "customer_id": 5 digits hold 96,999 fresh values, fewer than the run's 1,000,000; its keys have 7 digits/);
  });

  it('fixedWidth stops the run before it starts, saying how many fresh values the width holds', () => {
    assert.throws(
      () => keysOf({ ...code, fixedWidth: true }, 100_000, [0]),
      (error: UsageError) => {
        assert.equal(error.name, 'UsageError');
        // API callers read their option keys; the CLI renders its flags.
        assert.match(error.message, /^lines 100000: key field "customer_id" .* holds 96,999 fresh values \(C03001 to C99999\)/);
        assert.deepEqual(error.options, ['lines', 'schemaFile']);
        assert.match(error.format(flagName), /^--lines 100000: .* in the --schema-file so it may grow/);
        return true;
      },
    );
    assert.deepEqual(keysOf({ ...code, fixedWidth: true }, 96_999, [96_998]).values, ['C99999']);
  });

  it('a plain-integer key never needs to grow', () => {
    const { values, warnings } = keysOf({ format: 'sequence', prefix: '', digits: 0, suffix: '', start: 99_999 }, 10, [0, 1]);
    assert.deepEqual(values, ['99999', '100000']);
    assert.deepEqual(warnings, []);
  });

  it('UUID keys are version 4, a function of (random seed, r), and distinct', () => {
    const { values } = keysOf({ format: 'uuid' }, 5000, range(0, 4999), 7);
    for (const v of values.slice(0, 50)) assert.match(v, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(new Set(values).size, values.length);
    assert.deepEqual(keysOf({ format: 'uuid' }, 5000, [3], 7).values, [values[3]]);
    assert.notEqual(keysOf({ format: 'uuid' }, 5000, [3], 8).values[0], values[3]);
  });
});

describe('key in a schema file', () => {
  const check = (key: unknown) => findSchemaProblem({ ...schemaWithKey(code()), fields: [{ ...schemaWithKey(code()).fields[0], key }, schemaWithKey(code()).fields[1]] }, ['customer_id', 'x']);
  function code(): KeySpec {
    return { format: 'sequence', prefix: 'C', digits: 5, suffix: '', start: 3001 };
  }

  it('accepts a sequence, a uuid, and no key', () => {
    assert.equal(check(code()), null);
    assert.equal(check({ format: 'uuid' }), null);
    assert.equal(check(undefined), null);
  });

  it('names the field and the bad part of a key', () => {
    assert.match(check({ format: 'serial' })!, /^fields\[0\] \("customer_id"\)\.key\.format: is "serial", expected "sequence" or "uuid"/);
    assert.match(check({ ...code(), digits: -1 })!, /\.key\.digits: must be a whole number from 0/);
    assert.match(check({ ...code(), start: 1.5 })!, /\.key\.start: must be a whole number/);
    assert.match(check({ ...code(), digits: 0, fixedWidth: true })!, /\.key\.fixedWidth: needs key\.digits above 0/);
    assert.match(check('C')!, /\.key: must be a JSON object/);
  });
});

describe('a key learned as blank', () => {
  const records = range(1, 40).map((n) => [`C${String(n).padStart(3, '0')}`, n % 2 ? 'ab' : 'ba']);
  const schema = profileRecords(records, ['id', 'x']);
  const tokenizer = CharTokenizer.fromCharacters('C0123456789ab', 2, true, [], undefined, [0]);

  it('is encoded as nothing, in training records and in start strings alike', () => {
    const sep = tokenizer.separatorAfter(0);
    assert.deepEqual(tokenizer.encodeRecord(['C007', 'ab']), [sep, tokenizer.idOfChar('a'), tokenizer.idOfChar('b'), tokenizer.endOfRecord]);
    assert.deepEqual(tokenizer.encodeStart(['C007', 'a']).prefix, [sep, tokenizer.idOfChar('a')]);
    assert.deepEqual(tokenizer.decodeFields([sep, tokenizer.idOfChar('b')!]), ['', 'b']);
    assert.deepEqual(tokenizer.spec.blankFields, [0]);
  });

  it('has a mask that allows only its closing separator; a key the model writes keeps its own mask', () => {
    assert.ok(schema.fields[0]!.key);
    const row = createMaskRows(compileConstraint(schema, tokenizer)).rowOf(startCursor(compileConstraint(schema, tokenizer).sequence));
    assert.deepEqual([...row].flatMap((m, id) => (m === 0 ? [id] : [])), [tokenizer.separatorAfter(0)]);
    const writing = CharTokenizer.fromCharacters('C0123456789ab', 2, true);
    const own = createMaskRows(compileConstraint(schema, writing)).rowOf(startCursor(compileConstraint(schema, writing).sequence));
    assert.deepEqual([...own].flatMap((m, id) => (m === 0 ? [writing.spec.vocab[id]] : [])), [...'0123456789C'], 'the text field\'s characters');
    const cursor = startCursor(compileConstraint(schema, tokenizer).sequence);
    advanceCursor(compileConstraint(schema, tokenizer), cursor, tokenizer.separatorAfter(0));
    assert.equal(cursor.field, 1);
  });

  it('is listed in synth.json as tokenizer.blankFields, checked against the header', () => {
    const manifest = (blankFields: unknown) => ({
      format: 'synth-model',
      version: 2,
      architecture: { kind: 'char-lstm', vocabSize: tokenizer.vocabSize, embeddingDim: 4, lstmUnits: [4], dropout: 0 },
      tokenizer: { ...tokenizer.spec, blankFields },
      records: { kind: 'delimited', delimiter: ',', header: ['id', 'x'] },
      generation: { maxChars: 10 },
      training: {},
      weights: [{ path: 'w', bytes: 1, sha256: '0'.repeat(64) }],
      schema,
    });
    assert.doesNotThrow(() => checkManifest(manifest([0]), 'synth.json'));
    assert.throws(() => checkManifest(manifest([2]), 'synth.json'), /synth\.json: field "tokenizer\.blankFields" must list distinct field indices \(0-1\)/);
    assert.throws(() => checkManifest(manifest([0, 0]), 'synth.json'), /tokenizer\.blankFields/);
  });
});
