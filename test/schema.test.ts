import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkManifest } from '../src/model/checkManifest.js';
import { recordProblem } from '../src/schema/checkField.js';
import { findSchemaProblem } from '../src/schema/checkSchema.js';
import { profileRecords } from '../src/schema/profileRecords.js';
import { createMaskRows } from '../src/schema/maskRows.js';
import { advanceCursor, compileConstraint, startCursor, type RecordConstraint } from '../src/schema/recordConstraint.js';
import { modelFieldOrder } from '../src/schema/fieldOrder.js';
import { isClosedSet, type FieldSchema, type RecordSchema } from '../src/schema/schema.js';
import { CharTokenizer } from '../src/tokenizer/charTokenizer.js';
import { schemaCheck } from '../src/validate/schemaCheck.js';

const HEADER = ['id', 'score', 'day', 'active', 'plan', 'note', 'stamp', 'delta'];

/** A small table with one field of every kind (40 rows). */
function table(): string[][] {
  return Array.from({ length: 40 }, (_, i) => [
    String(i + 1), // integer 1..40
    (1 + i / 8).toFixed(2), // decimal, scale 2, 1.00..5.88
    `2024-02-${String((i % 29) + 1).padStart(2, '0')}`, // date 2024-02-01..2024-02-29
    i % 3 === 0 ? 'true' : 'false', // boolean
    ['free', 'basic', 'pro'][i % 3]!, // closed set
    `n${'ab'.repeat(i % 4)}${i}`, // free text, unique
    `2024-03-0${(i % 9) + 1} 1${i % 10}:3${i % 6}`, // datetime
    String(i - 20), // integer -20..19
  ]);
}

function setup(valueTokens: boolean): { schema: RecordSchema; tokenizer: CharTokenizer; constraint: RecordConstraint } {
  const records = table();
  // The id column (1..40, all distinct) is a key; here it stands for an integer field (keys: schema-keyColumns.test.ts).
  const schema = profileRecords(records, HEADER, { keys: false });
  const tokenizer = CharTokenizer.fromRecords(records, true, valueTokens ? schema.fields.map((f) => (isClosedSet(f) ? f.values : undefined)) : []);
  return { schema, tokenizer, constraint: compileConstraint(schema, tokenizer) };
}

/** Display names of the tokens allowed after the leading complete `fields` and the open `partial`. */
function allowed(s: ReturnType<typeof setup>, fields: string[], partial: string): string[] {
  const cursor = startCursor(s.constraint.sequence);
  for (const id of s.tokenizer.encodePrefix([...fields, partial])) advanceCursor(s.constraint, cursor, id);
  const mask = createMaskRows(s.constraint).rowOf(cursor);
  return [...mask].flatMap((m, id) => (m === 0 ? [s.tokenizer.spec.vocab[id]!] : []));
}

const row = table()[0]!;
const before = (field: number) => row.slice(0, field);
const strictProblem = (schema: RecordSchema, field: number, value: string) => recordProblem(schema, row.map((v, i) => (i === field ? value : v)), true);
const lenientProblem = (schema: RecordSchema, field: number, value: string) => recordProblem(schema, row.map((v, i) => (i === field ? value : v)), false);

describe('schema: one test per field kind (profile, masks, validator)', () => {
  const s = setup(true);
  const kinds = s.schema.fields.map((f) => f.kind);

  it('profiles each field of the small table as its kind', () => {
    assert.deepEqual(kinds, ['integer', 'decimal', 'date', 'boolean', 'set', 'text', 'datetime', 'integer']);
    assert.deepEqual([s.schema.fields[0]!.min, s.schema.fields[0]!.max], [1, 40]);
    assert.equal(s.schema.fields[1]!.scale, 2);
    assert.equal(s.schema.fields[2]!.format, 'YYYY-MM-DD');
    assert.equal(s.schema.fields[6]!.format, 'YYYY-MM-DD HH:mm');
    assert.deepEqual(s.schema.fields[4]!.values, ['free', 'basic', 'pro']);
    assert.equal(s.schema.fields[5]!.repeats, false);
    assert.equal(s.schema.fields[4]!.repeats, true);
  });

  it('integer: no leading zero or minus, and only digits that can still end in 1..40', () => {
    assert.deepEqual(allowed(s, [], ''), ['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.deepEqual(allowed(s, [], '4'), ['<SEP1>', '0']);
    assert.deepEqual(allowed(s, [], '40'), ['<SEP1>']);
    assert.equal(strictProblem(s.schema, 0, '41'), 'field "id": 41 is above the training maximum 40');
    assert.equal(strictProblem(s.schema, 0, '4x'), 'field "id": "4x" is not an integer');
    assert.equal(lenientProblem(s.schema, 0, '41'), null);
  });

  it('integer with negatives: a minus is allowed and -2 can become -20 but not -21', () => {
    assert.ok(allowed(s, before(7), '').includes('-'));
    assert.deepEqual(allowed(s, before(7), '-2'), ['<EOR>', '0']);
  });

  it('decimal written to a fixed scale: the point and exactly `scale` places, in the range 1.00..5.88', () => {
    assert.equal(s.schema.fields[1]!.fixedScale, true);
    assert.deepEqual(allowed(s, before(1), '5'), ['.']);
    assert.deepEqual(allowed(s, before(1), '5.8'), ['0', '1', '2', '3', '4', '5', '6', '7', '8']);
    assert.equal(strictProblem(s.schema, 1, '5.8'), 'field "score": 5.8 has 1 decimal places; training always had 2');
    assert.equal(strictProblem(s.schema, 1, '5'), 'field "score": 5 has 0 decimal places; training always had 2');
    assert.deepEqual(allowed(s, before(1), '5.88'), ['<SEP2>']);
    assert.ok(!allowed(s, before(1), '').includes('6'));
    assert.equal(strictProblem(s.schema, 1, '5.891'), 'field "score": 5.891 has 3 decimal places, more than 2');
    assert.equal(strictProblem(s.schema, 1, '0.50'), 'field "score": 0.5 is below the training minimum 1');
  });

  it('decimal with mixed places (2, 1.5, 3.25): the point and places stay optional up to the scale', () => {
    const records = ['2', '1.5', '3.25', '4', '0.75', '2.5'].map((v) => [v]);
    const schema = profileRecords(records, ['x']);
    const field = schema.fields[0]!;
    assert.deepEqual([field.kind, field.scale, field.fixedScale], ['decimal', 2, false]);
    const tokenizer = CharTokenizer.fromRecords(records, true);
    const constraint = compileConstraint(schema, tokenizer);
    const mixed = { schema, tokenizer, constraint };
    assert.ok(allowed(mixed, [], '2').includes('<EOR>'));
    assert.ok(allowed(mixed, [], '2.5').includes('<EOR>'));
    assert.equal(recordProblem(schema, ['3.1'], true), null);
    assert.equal(recordProblem(schema, ['3.125'], true), 'field "x": 3.125 has 3 decimal places, more than 2');
  });

  it('date: a trie of real dates in the range, so 2024-02-30 cannot be written', () => {
    assert.deepEqual(allowed(s, before(2), '2024-02-'), ['0', '1', '2']);
    assert.deepEqual(allowed(s, before(2), '2024-02-2'), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.deepEqual(allowed(s, before(2), '2024-0'), ['2']);
    assert.equal(strictProblem(s.schema, 2, '2023-02-29'), 'field "day": 2023-02-29 is not a calendar date');
    assert.equal(strictProblem(s.schema, 2, '2024-03-01'), 'field "day": 2024-03-01 is after the training maximum 2024-02-29');
    assert.equal(lenientProblem(s.schema, 2, '2024-03-01'), null);
  });

  it('datetime: the date trie, then hours 00-23 and minutes 00-59', () => {
    assert.deepEqual(allowed(s, before(6), '2024-03-01 2'), ['0', '1', '2', '3']);
    assert.deepEqual(allowed(s, before(6), '2024-03-01 12:'), ['0', '1', '2', '3', '4', '5']);
    assert.equal(strictProblem(s.schema, 6, '2024-03-01 24:00'), 'field "stamp": 2024-03-01 24:00 is not a calendar datetime');
  });

  it('boolean and set: only their value tokens, one step each', () => {
    assert.deepEqual(allowed(s, before(3), ''), ['<F4:true>', '<F4:false>']);
    assert.deepEqual(allowed(s, before(4), ''), ['<F5:free>', '<F5:basic>', '<F5:pro>']);
    assert.deepEqual(allowed(s, before(4), 'pro'), ['<SEP5>']);
    assert.equal(strictProblem(s.schema, 4, 'Pro'), 'field "plan": "Pro" is not one of the 3 values seen in training');
    assert.equal(strictProblem(s.schema, 3, 'maybe'), 'field "active": "maybe" is not one of the 2 values seen in training');
  });

  it('set in characters (no value tokens): a trie of the values', () => {
    const chars = setup(false);
    assert.deepEqual(allowed(chars, before(4), ''), ['b', 'f', 'p']);
    assert.deepEqual(allowed(chars, before(4), 'fre'), ['e']);
    assert.deepEqual(allowed(chars, before(4), 'free'), ['<SEP5>']);
  });

  it('text: the field alphabet, and no more than its longest value', () => {
    const text = s.schema.fields[5]!;
    assert.deepEqual(allowed(s, before(5), '').sort(), [...text.chars].sort());
    const longest = 'n' + 'ab'.repeat(3) + '39';
    assert.equal(longest.length, text.maxLength);
    assert.deepEqual(allowed(s, before(5), longest), ['<SEP6>']);
    assert.equal(strictProblem(s.schema, 5, 'n-1'), 'field "note": "n-1" has "-", a character the field never had');
  });

  it('a separator only where the field can end, end-of-record only after the last field', () => {
    assert.ok(!allowed(s, [], '').includes('<SEP1>'));
    assert.ok(!allowed(s, before(7), '-2').includes('<SEP7>'));
    assert.ok(allowed(s, before(7), '-2').includes('<EOR>'));
  });

  it('a blank is allowed (mask and check) only when training had blanks', () => {
    const records = table().map((r, i) => (i % 4 === 0 ? [...r.slice(0, 4), '', ...r.slice(5)] : r));
    const schema = profileRecords(records, HEADER);
    assert.equal(schema.fields[4]!.blankShare, 0.25);
    const tokenizer = CharTokenizer.fromRecords(records, true, []);
    const withBlank = { schema, tokenizer, constraint: compileConstraint(schema, tokenizer) };
    assert.ok(allowed(withBlank, before(4), '').includes('<SEP5>'));
    assert.equal(strictProblem(s.schema, 4, ''), 'field "plan": is blank, which training never had');
  });

  it('cached mask rows are the rows computed afresh, at every token of every record, past the range cache limit too', () => {
    const rows = createMaskRows(s.constraint, 3); // 3 texts per range field, then uncached
    let reused = 0;
    for (const record of table()) {
      const cursor = startCursor(s.constraint.sequence);
      let previous: Float32Array | undefined;
      for (const id of s.tokenizer.encodeRecord(record)) {
        const row = rows.rowOf(cursor);
        assert.deepEqual(row, createMaskRows(s.constraint).rowOf(cursor), `${record.join(',')} at field ${cursor.field} state ${cursor.state}`);
        assert.equal(row[id], 0, `the record's own token ${id} is allowed`);
        if (row === previous) reused++;
        previous = row;
        advanceCursor(s.constraint, cursor, id);
      }
    }
    // Equal rows are one object: a free-text field shares one row over the lengths it cannot end at.
    assert.ok(reused > 0);
  });

  it('schemaCheck gives the reason as the verdict', () => {
    const check = schemaCheck(s.schema, 'strict');
    const fields = row.map((v, i) => (i === 2 ? '2024-02-30' : v));
    assert.deepEqual(check({ index: 0, text: fields.join(','), fields }), { valid: false, reason: ['field "day": 2024-02-30 is not a calendar date'] });
    assert.equal(check({ index: 0, text: row.join(','), fields: row }).valid, true);
  });
});

describe('schema: profile thresholds and text models', () => {
  it('a closed set needs few values that repeat; --closed-set-max 0 turns it off', () => {
    const records = Array.from({ length: 100 }, (_, i) => [['a', 'b', 'c'][i % 3]!, `x${i}`]);
    assert.deepEqual(profileRecords(records, ['k', 'id']).fields.map((f) => f.kind), ['set', 'text']);
    assert.equal(profileRecords(records, ['k', 'id'], { closedSetMaxValues: 0 }).fields[0]!.kind, 'text');
    assert.equal(profileRecords(records, ['k', 'id'], { closedSetMaxValues: 2 }).fields[0]!.kind, 'text');
  });

  it('numbers are a closed set from two rows per value on average, words from ten', () => {
    // 100 rows, 40 distinct values each: 2.5 rows per value.
    const records = Array.from({ length: 100 }, (_, i) => [String(10 + (i % 40)), `w${i % 40}`, (i % 40) / 2 + '', String(i)]);
    const fields = profileRecords(records, ['n', 'w', 'd', 'id']).fields;
    assert.deepEqual(fields.map((f) => f.kind), ['set', 'text', 'set', 'integer']);
    // 60 distinct numbers in 100 rows (1.7 per value) stay a number.
    const sparse = Array.from({ length: 100 }, (_, i) => [String(i % 60)]);
    assert.equal(profileRecords(sparse, ['n']).fields[0]!.kind, 'integer');
  });

  it('a text model has a one-field schema', () => {
    const schema = profileRecords([['hello world'], ['hi']], ['text']);
    assert.equal(schema.fields.length, 1);
    assert.equal(schema.fields[0]!.kind, 'text');
    assert.deepEqual([schema.fields[0]!.minLength, schema.fields[0]!.maxLength], [2, 11]);
  });

  it('findSchemaProblem names the field and what is wrong', () => {
    const schema = profileRecords(table(), HEADER);
    const broken = structuredClone(schema);
    (broken.fields[2] as { max: string }).max = '2024-02-30';
    assert.equal(findSchemaProblem(broken, HEADER), 'fields[2] ("day").max: must be a real date written as YYYY-MM-DD');
    assert.match(findSchemaProblem(schema, HEADER.slice(1)) ?? '', /has 8 entries; the model's records have 7 fields/);
  });

  it('value tokens: one token per value, decoded back to the value, per-field namespaces', () => {
    const records = [['a', 'a'], ['b', 'a']];
    const tokenizer = CharTokenizer.fromRecords(records, true, [['a', 'b'], ['a']]);
    const ids = tokenizer.encodeRecord(['b', 'a']);
    assert.equal(ids.length, 4); // value, separator, value, end-of-record
    assert.notEqual(ids[0], ids[2]);
    assert.notEqual(tokenizer.valueTokensOf(0)!.get('a'), tokenizer.valueTokensOf(1)!.get('a'));
    assert.deepEqual(tokenizer.decodeFields(ids.slice(0, -1)), ['b', 'a']);
    assert.deepEqual(tokenizer.unknownValue(['c']), { field: 0, value: 'c', values: ['a', 'b'] });
    const reloaded = new CharTokenizer(JSON.parse(JSON.stringify(tokenizer.spec)));
    assert.deepEqual(reloaded.encodeRecord(['a', 'a']), tokenizer.encodeRecord(['a', 'a']));
  });

  it('checkManifest refuses a synth.json whose schema does not fit, naming the field', () => {
    const records = table();
    const schema = profileRecords(records, HEADER);
    const tokenizer = CharTokenizer.fromRecords(records, true, []);
    const manifest = {
      format: 'synth-model',
      version: 2,
      architecture: { kind: 'char-lstm', vocabSize: tokenizer.vocabSize, embeddingDim: 4, lstmUnits: [4], dropout: 0 },
      tokenizer: tokenizer.spec,
      records: { kind: 'delimited', delimiter: ',', header: HEADER },
      generation: { maxChars: 10 },
      training: {},
      weights: [{ path: 'w', bytes: 1, sha256: '0'.repeat(64) }],
      schema: { ...schema, fields: schema.fields.map((f, i) => (i === 4 ? { ...f, kind: 'category' } : f)) },
    };
    assert.throws(() => checkManifest(manifest, 'synth.json'), /synth\.json: field "schema" is unusable: fields\[4\] \("plan"\)\.kind: is "category"/);
    assert.doesNotThrow(() => checkManifest({ ...manifest, schema }, 'synth.json'));
    assert.doesNotThrow(() => checkManifest({ ...manifest, version: 1, schema: undefined }, 'synth.json'));
  });
});

describe('schema: a model that writes free text later (fieldOrder)', () => {
  const records = table();
  const schema = profileRecords(records, HEADER);
  const order = modelFieldOrder(schema);
  const tokenizer = CharTokenizer.fromRecords(records, true, schema.fields.map((f) => (isClosedSet(f) ? f.values : undefined)), order);
  const constraint = compileConstraint(schema, tokenizer);

  it('auto writes the fields after the last free text first, then each free-text field with the fields before it, and nothing but free text after free text; original keeps the table order', () => {
    assert.deepEqual(order, [6, 7, 0, 1, 2, 3, 4, 5]);
    assert.deepEqual(modelFieldOrder(schema, 'original'), [0, 1, 2, 3, 4, 5, 6, 7]);
    // Field 0 of this table is a key column; the fields made here are not.
    const { key: _key, ...plain } = schema.fields[0]!;
    // Text fields made here are prose-like (lower case and spaces, up to 30 characters), not codes.
    const kinds = (...k: FieldSchema['kind'][]): RecordSchema => ({
      closedSetMaxValues: 300,
      fields: k.map((kind, i) => ({ ...plain, name: `f${i}`, kind, ...(kind === 'text' ? { chars: ' abcdefghij', minLength: 1, maxLength: 30 } : {}) })),
    });
    // id (key) | first, last (sets) + email (text) | age, plan: age and plan first, the name group stays together.
    const keyed = kinds('text', 'set', 'set', 'text', 'integer', 'set');
    keyed.fields[0] = { ...keyed.fields[0]!, key: { format: 'sequence', prefix: 'C', digits: 5, suffix: '', start: 1 } };
    assert.deepEqual(modelFieldOrder(keyed), [4, 5, 0, 1, 2, 3]);
    // The same with a free-text id: the names would follow invented text, so they move to the front.
    assert.deepEqual(modelFieldOrder(kinds('text', 'set', 'set', 'text', 'integer', 'set')), [1, 2, 4, 5, 0, 3]);
    // code (text), lat, lon, city (text), state (set), county (text): state first, then the coordinates, the text in its groups.
    assert.deepEqual(modelFieldOrder(kinds('text', 'decimal', 'decimal', 'text', 'set', 'text')), [4, 1, 2, 0, 3, 5]);
    // The same with a zip code (a code: digits and capitals, at most 8): not free text, so it keeps its place before the coordinates.
    const zip = kinds('text', 'decimal', 'decimal', 'text', 'set', 'text');
    zip.fields[0] = { ...zip.fields[0]!, minLength: 5, maxLength: 5, chars: '0123456789' };
    assert.deepEqual(modelFieldOrder(zip), [4, 0, 1, 2, 3, 5]);
    // name (text), lat, lng, country (set), region code (1-3 capitals and digits), district (text): the region code is no free text either.
    const world = kinds('text', 'decimal', 'decimal', 'set', 'text', 'text');
    world.fields[4] = { ...world.fields[4]!, minLength: 1, maxLength: 3, chars: '0123ACEGN' };
    assert.deepEqual(modelFieldOrder(world), [3, 1, 2, 4, 0, 5]);
    // Closed sets moved to the front go coarsest first: a country (3 values) before its cities (5).
    const places = kinds('text', 'set', 'set', 'text');
    places.fields[1] = { ...places.fields[1]!, distinct: 5 };
    places.fields[2] = { ...places.fields[2]!, distinct: 3 };
    assert.deepEqual(modelFieldOrder(places), [2, 1, 0, 3]);
    assert.deepEqual(modelFieldOrder(kinds('set', 'integer')), [0, 1], 'no free text: the table order');
    assert.deepEqual(modelFieldOrder(kinds('set', 'text')), [0, 1], 'free text already last');
  });

  it('masks follow the model positions: after the two leading fields comes the id, and the text field ends the record', () => {
    const names = (cursor: ReturnType<typeof startCursor>) =>
      [...createMaskRows(constraint).rowOf(cursor)].flatMap((m, id) => (m === 0 ? [tokenizer.spec.vocab[id]!] : []));
    const cursor = startCursor(constraint.sequence);
    // Model positions 0 and 1 are the table's stamp and delta; position 2 is the table's id.
    for (const id of tokenizer.encodePrefix([row[6]!, row[7]!, ''])) advanceCursor(constraint, cursor, id);
    assert.equal(cursor.field, 2);
    assert.deepEqual(names(cursor), allowed(setup(true), [], ''), 'the mask of the id field');
    const full = tokenizer.encodeRecord(row);
    const end = startCursor(constraint.sequence);
    for (const id of full.slice(0, -1)) advanceCursor(constraint, end, id);
    assert.equal(end.field, 7);
    assert.ok(names(end).includes('<EOR>'), 'the text field closes the record');
    advanceCursor(constraint, end, full.at(-1)!);
    assert.equal(end.field, 8);
    assert.deepEqual(tokenizer.decodeFields(full.slice(0, -1)), row);
  });

  it('checkManifest accepts a permutation and names a broken one', () => {
    const manifest = (fieldOrder: number[]) => ({
      format: 'synth-model',
      version: 2,
      architecture: { kind: 'char-lstm', vocabSize: tokenizer.vocabSize, embeddingDim: 4, lstmUnits: [4], dropout: 0 },
      tokenizer: { ...tokenizer.spec, fieldOrder },
      records: { kind: 'delimited', delimiter: ',', header: HEADER },
      generation: { maxChars: 50 },
      training: { settings: {}, metrics: {} },
      weights: [{ path: 'group1-shard1of1.bin', bytes: 4, sha256: '0'.repeat(64) }],
    });
    assert.doesNotThrow(() => checkManifest(manifest(order), 'synth.json'));
    assert.throws(() => checkManifest(manifest([0, 1, 2, 3, 4, 5, 6, 6]), 'synth.json'), /fieldOrder/);
  });
});
