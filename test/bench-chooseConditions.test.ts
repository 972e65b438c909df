import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseConditions } from '../bench/chooseConditions.js';
import { profileRecords } from '../src/schema/profileRecords.js';

const HEADER = ['id', 'plan', 'country', 'spend', 'note'];
const rows = Array.from({ length: 200 }, (_, i) => [
  `C${String(i).padStart(5, '0')}`,
  ['free', 'pro', 'free', 'team'][i % 4]!,
  ['Japan', 'Spain', 'Spain', 'Norway', 'Spain'][i % 5]!,
  String(i % 100),
  `note number ${i * 7919}`,
]);
const schema = profileRecords(rows, HEADER, { keys: true });

test('bench:conditions-table picks the last closed set in the model\'s order, the middle half of the last numeric field, the most common pair', () => {
  assert.ok(schema.fields[0]!.key, 'id is a key, never conditioned');
  // The model writes country before plan: plan is the closed set it writes last.
  const chosen = chooseConditions(schema, [0, 3, 2, 1, 4], rows);
  assert.deepEqual(chosen, [
    { kind: 'last closed set', where: ['plan=free'] },
    { kind: 'numeric range', where: ['spend=25..75'] },
    { kind: 'two columns', where: ['country=Spain', 'plan=free'] },
  ]);
  // Written after plan, country is the last closed set.
  assert.deepEqual(chooseConditions(schema, [0, 3, 1, 2, 4], rows)[0], { kind: 'last closed set', where: ['country=Spain'] });
});

test('a table without numeric or closed-set fields says which conditions it cannot give', () => {
  const texts = rows.map((r) => [r[4]!]);
  const chosen = chooseConditions(profileRecords(texts, ['note'], { keys: false }), [0], texts);
  assert.deepEqual(chosen.map((c) => ('reason' in c ? c.reason : c.where)), ['no closed-set field with a value', 'no numeric field', 'fewer than two closed-set fields']);
});
