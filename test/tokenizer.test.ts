import assert from 'node:assert/strict';
import { test } from 'node:test';
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
