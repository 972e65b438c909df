import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatMessage, UsageError } from '../src/errors.js';
import type { RecordKind, SynthManifest } from '../src/model/manifest.js';
import { resolveRunStarts } from '../src/generate/runStarts.js';
import { seedFileRows } from '../src/generate/seedRows.js';
import type { RecordSchema } from '../src/schema/schema.js';

const records: RecordKind = { kind: 'delimited', delimiter: ',', header: ['name', 'country', 'plan'] };
const base = { blankShare: 0, repeats: true, distinct: 3, minLength: 1, maxLength: 20, chars: 'abcdefghijklmnopqrstuvwxyz ,' };
const schema: RecordSchema = {
  closedSetMaxValues: 300,
  fields: [
    { ...base, name: 'name', kind: 'text' },
    { ...base, name: 'country', kind: 'set', values: ['Japan', 'Canada', 'Korea, South'] },
    { ...base, name: 'plan', kind: 'set', values: ['free', 'pro'] },
  ],
};
const manifest = { records, schema } as unknown as SynthManifest;

const cells = (lines: string[]) => seedFileRows(lines, records, '--seed-file f.csv')?.map((row) => [formatMessage(row.source, String), row.cells.map((c) => `${c.field}=${c.value}`)]);

describe('seedFileRows', () => {
  test('a first line of column names makes the lines CSV rows, quoted cells and empty lines as CSV has them', () => {
    assert.deepEqual(cells(['plan,country', 'pro,"Korea, South"', '', ',Japan']), [
      ['--seed-file f.csv line 2', ['plan=pro', 'country=Korea, South']],
      ['--seed-file f.csv line 4', ['plan=', 'country=Japan']],
    ]);
  });

  test('any other first line leaves the lines start strings', () => {
    assert.equal(cells(['alice,Japan', 'bob,Canada']), undefined);
    assert.equal(seedFileRows(['country', 'Japan'], { kind: 'text' }, 'f'), undefined);
  });

  test('a header naming a column twice, or columns and unknown names, is refused', () => {
    assert.throws(() => cells(['plan,plan', 'pro,free']), (e: unknown) => UsageError.is(e) && /line 1 names a column twice/.test(e.message));
    assert.throws(() => cells(['plan,contry', 'pro,Japan']), (e: unknown) => UsageError.is(e) && /names columns \(plan\) but also "contry"/.test(e.message));
  });
});

describe('resolveRunStarts', () => {
  test('a header seed file becomes one condition list per row; a blank cell adds none', () => {
    const starts = resolveRunStarts({ startStrings: [], seedFile: { name: 'f.csv', lines: ['country,plan', 'Japan,', ',pro'] } }, manifest, 'model');
    assert.deepEqual(starts.startStrings, []);
    assert.deepEqual(starts.startConditions, [[{ field: 1, kind: 'values', values: ['Japan'] }], [{ field: 2, kind: 'values', values: ['pro'] }]]);
    assert.equal(starts.where, undefined);
  });

  test('a plain seed file stays start strings, named by its file', () => {
    const starts = resolveRunStarts({ startStrings: [], seedFile: { name: 'f.txt', lines: ['alice,', 'bob,'] } }, manifest, 'model');
    assert.deepEqual(starts, { startStrings: ['alice,', 'bob,'], seedSource: '--seed-file f.txt' });
  });
});
