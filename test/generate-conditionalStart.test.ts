import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conditionalStarts } from '../src/generate/conditionalStart.js';
import { createMaskRows } from '../src/schema/maskRows.js';
import { RecordProfiler } from '../src/schema/profileRecords.js';
import { advanceCursor, compileConstraint, startCursor, type Cursor, type RecordConstraint } from '../src/schema/recordConstraint.js';
import { isClosedSet } from '../src/schema/schema.js';
import { CharTokenizer } from '../src/tokenizer/charTokenizer.js';

const header = ['name', 'age', 'country', 'city'];
const rows = Array.from({ length: 400 }, (_, i) => {
  const country = ['Japan', 'Canada', 'India'][i % 3]!;
  const city = { Japan: 'Tokyo', Canada: ['Toronto', 'Vancouver'][i % 2]!, India: 'Mumbai' }[country]!;
  return [`Person${i}x`, String(20 + (i % 40)), country, city];
});

function setup() {
  const profiler = new RecordProfiler();
  for (const row of rows) profiler.add(row);
  const schema = profiler.finish(header);
  const chars = new Set(rows.flat().join(''));
  const tokenizer = CharTokenizer.fromCharacters(chars, 4, true, schema.fields.map((f) => (isClosedSet(f) ? f.values : undefined)), [1, 2, 3, 0], [], { fieldTokens: true });
  return { schema, tokenizer, constraint: compileConstraint(schema, tokenizer) };
}

function allowedNames(constraint: RecordConstraint, tokenizer: CharTokenizer, cursor: Cursor): string[] {
  const row = createMaskRows(constraint).rowOf(cursor);
  return [...row].flatMap((m, id) => (m === 0 ? [tokenizer.spec.vocab[id]!] : []));
}

test('a fixed field goes into the prefix, and the rest of the record follows in the model order', () => {
  const { schema, tokenizer, constraint } = setup();
  const built = conditionalStarts(tokenizer, schema, constraint, [[{ field: 2, kind: 'values', values: ['Japan'] }]], 'first');
  const country = tokenizer.valueTokensOf(2)!.get('Japan')!;
  assert.deepEqual(built.prefixes, [[tokenizer.fieldTokens![2]!, country, tokenizer.fieldTokens![1]!]], 'country=Japan, then age opened');
  const sequence = built.sequences[0]!;
  assert.deepEqual([...sequence.closers], [tokenizer.fieldTokens![1], tokenizer.fieldTokens![3], tokenizer.fieldTokens![0], tokenizer.endOfRecord]);
  const cursor = startCursor(sequence);
  for (const id of built.prefixes[0]!) advanceCursor(built.constraint, cursor, id);
  assert.equal(cursor.field, 1, 'the cursor is inside the second field of this record: age');
});

test('a range is sampled under a narrowed mask at the front; in place, it masks its own position', () => {
  const { schema, tokenizer, constraint } = setup();
  assert.equal(schema.fields[1]!.kind, 'set', 'age is a closed set of numbers here');
  const range = { field: 1, kind: 'range' as const, min: 30, max: 32 };
  const first = conditionalStarts(tokenizer, schema, constraint, [[range, { field: 2, kind: 'values', values: ['Canada'] }]], 'first');
  const cursor = startCursor(first.sequences[0]!);
  for (const id of first.prefixes[0]!) advanceCursor(first.constraint, cursor, id);
  assert.deepEqual(allowedNames(first.constraint, tokenizer, cursor).sort(), ['<F2:30>', '<F2:31>', '<F2:32>']);

  const inPlace = conditionalStarts(tokenizer, schema, constraint, [[range]], 'in-place');
  assert.deepEqual(inPlace.prefixes, [[tokenizer.fieldTokens![1]!]], 'the model order: age first');
  const own = startCursor(inPlace.sequences[0]!);
  advanceCursor(inPlace.constraint, own, inPlace.prefixes[0]![0]!);
  assert.deepEqual(allowedNames(inPlace.constraint, tokenizer, own).sort(), ['<F2:30>', '<F2:31>', '<F2:32>']);
});

test('a set on a spelled field allows exactly its values; records of several starts each get their own sequence', () => {
  const { schema, tokenizer, constraint } = setup();
  assert.equal(schema.fields[0]!.kind, 'text');
  const built = conditionalStarts(
    tokenizer,
    schema,
    constraint,
    [[{ field: 0, kind: 'values', values: ['Person1x', 'Person2x'] }], [{ field: 3, kind: 'values', values: ['Tokyo'] }]],
    'first',
  );
  assert.equal(built.prefixes.length, 2);
  const cursor = startCursor(built.sequences[0]!);
  for (const id of built.prefixes[0]!) advanceCursor(built.constraint, cursor, id);
  for (const ch of 'Person') advanceCursor(built.constraint, cursor, tokenizer.idOfChar(ch)!);
  assert.deepEqual(allowedNames(built.constraint, tokenizer, cursor).sort(), ['1', '2']);
  assert.equal(built.sequences[1]!.opener, tokenizer.fieldTokens![3]);
});
