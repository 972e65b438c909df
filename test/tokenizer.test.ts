import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CharTokenizer } from '../src/tokenizer/charTokenizer.js';

const records = [['a,b', '"q"', 'x\ny'], ['c', 'd', 'e']];

test('delimited records get one separator token per field position', () => {
  const tok = CharTokenizer.fromRecords(records, true);
  assert.deepEqual(tok.spec.vocab.slice(0, 3), ['<EOR>', '<SEP1>', '<SEP2>']);
  assert.deepEqual(tok.fieldSeparators, [1, 2]);
  const ids = tok.encodeRecord(['c', 'd', 'e']);
  assert.deepEqual(ids.filter((id) => tok.isSpecial(id)), [1, 2, 0]);
});

test('fields holding the delimiter, quotes and newlines decode back unchanged', () => {
  const tok = CharTokenizer.fromRecords(records, true);
  const ids = tok.encodeRecord(records[0]!);
  assert.deepEqual(tok.decodeFields(ids.slice(0, -1)), records[0]);
});

test('a start string leaves its last field open after the right positional separator', () => {
  const tok = CharTokenizer.fromRecords(records, true);
  const ids = tok.encodePrefix(['c', 'd', '']);
  assert.equal(ids.at(-1), tok.fieldSeparators[1]);
  assert.deepEqual(tok.decodeFields(ids), ['c', 'd', '']);
});

test('a model written with a single separator token still decodes (no fieldSeparators in the spec)', () => {
  const tok = new CharTokenizer({ kind: 'char', vocab: ['<EOR>', '<SEP>', 'a', 'b'], endOfRecord: 0, fieldSeparator: 1 });
  assert.deepEqual(tok.encodeRecord(['a', 'b', 'ab']), [2, 1, 3, 1, 2, 3, 0]);
  assert.deepEqual(tok.decodeFields([2, 1, 3]), ['a', 'b']);
});

test('text models have no separators, and special-token names never count as characters', () => {
  const tok = CharTokenizer.fromRecords([['<SEP1>']], false);
  assert.deepEqual(tok.fieldSeparators, []);
  assert.deepEqual(tok.unknownChars('<SEP1>z'), ['z']);
  assert.deepEqual(tok.decodeFields(tok.encodeRecord(['<SEP1>']).slice(0, -1)), ['<SEP1>']);
});

describe('a model that writes its fields in another order (fieldOrder)', () => {
  // The table's fields: name (text), age, city; the model writes age, city, name.
  const table = [['ann lee', '42', 'oslo'], ['bo', '7', 'rome']];
  const tok = CharTokenizer.fromRecords(table, true, [], [1, 2, 0]);
  const chars = (s: string) => [...s].map((c) => tok.idOfChar(c)!);
  const [sep1, sep2] = tok.fieldSeparators as [number, number];

  test('records are encoded in the model order and decoded back into the table order', () => {
    assert.deepEqual(tok.spec.fieldOrder, [1, 2, 0]);
    const ids = tok.encodeRecord(table[0]!);
    assert.deepEqual(ids, [...chars('42'), sep1, ...chars('oslo'), sep2, ...chars('ann lee'), tok.endOfRecord]);
    assert.deepEqual(tok.decodeFields(ids.slice(0, -1)), table[0]);
    // A record with the wrong number of fields is left as written (the field-count check rejects it).
    assert.deepEqual(tok.decodeFields([...chars('42'), sep1, ...chars('oslo')]), ['42', 'oslo']);
  });

  test('the identity order is not stored, so such models are the models of before', () => {
    assert.equal(CharTokenizer.fromRecords(table, true, [], [0, 1, 2]).spec.fieldOrder, undefined);
    assert.equal(CharTokenizer.fromRecords(table, true, [], [0, 1, 2]).fieldOrder, null);
  });

  test('seeded fields the model writes first are the prefix; the others are forced after their opening separator', () => {
    // "ann lee,42," fixes name and age: age is position 0 (prefix, then its separator); name is
    // position 2, forced once the model emits the separator after city, and closes the record.
    assert.deepEqual(tok.encodeStart(['ann lee', '42', '']), { prefix: [...chars('42'), sep1], forced: [[sep2, [...chars('ann lee'), tok.endOfRecord]]] });
    // An open partial field is forced without its closer, so the model continues it.
    assert.deepEqual(tok.encodeStart(['an']), { prefix: [], forced: [[sep2, chars('an')]] });
    // Nothing seeded: nothing fed.
    assert.deepEqual(tok.encodeStart(['']), { prefix: [], forced: [] });
  });

  test('in the table order a start string is exactly the old prefix', () => {
    const plain = CharTokenizer.fromRecords(table, true);
    for (const fields of [['ann lee', '42', ''], ['ann lee', '4'], ['an'], ['']]) {
      assert.deepEqual(plain.encodeStart(fields), { prefix: plain.encodePrefix(fields), forced: [] });
    }
  });
});
