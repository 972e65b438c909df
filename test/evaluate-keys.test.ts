import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../src/evaluate/buildReport.js';
import { seededRandom } from '../src/random/seededRandom.js';

/** id 1..n (an integer key), a number and a category. */
function table(n: number, seed: number, firstId = 1): string[][] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => [String(firstId + i), String(Math.round(random() * 1000) / 10), ['x', 'y', 'z'][Math.floor(random() * 3)]!]);
}

const HEADER = ['id', 'amount', 'group'];

test('copies of training records with fresh keys still count as exact copies, and DCR sees them at 0', () => {
  const real = table(1200, 3);
  const training = real.slice(0, 1000);
  const heldOut = real.slice(1000);
  // Every synthetic record is a training record under a fresh id (above the real maximum).
  const copies = training.slice(0, 300).map((r, i) => [String(5000 + i), r[1]!, r[2]!]);
  const report = buildReport(training, HEADER, copies.map((fields) => ({ text: fields.join(','), fields, valid: true })), heldOut, { randomSeed: 1 });
  assert.equal(report.synthesizers[0]!.exactCopies, 1);
  assert.equal(report.exactCopies.syntheticOfWholeFile, 1);
  assert.equal(report.synthesizers[0]!.closestRecord!.median, 0);
  assert.ok(report.warnings.some((w) => /^key column id: left out of Column Shapes/.test(w)), report.warnings.join('; '));
});

test('a key column is not scored by Column Shapes or Pair Trends; the other columns keep their scores', () => {
  const real = table(1200, 5);
  const training = real.slice(0, 1000);
  const heldOut = real.slice(1000);
  const synthetic = table(400, 9, 1201);
  const candidates = synthetic.map((fields) => ({ text: fields.join(','), fields, valid: true }));
  const withKey = buildReport(training, HEADER, candidates, heldOut, { randomSeed: 1 });
  assert.equal(withKey.columns[0]!.metric, null);
  assert.equal(withKey.synthesizers[0]!.columnScores[0], null);
  assert.ok(withKey.pairs.every((p) => !p.columns.includes('id')));
  // The same table without the id column scores the other columns exactly the same.
  const drop = (rows: string[][]) => rows.map((r) => r.slice(1));
  const without = buildReport(drop(training), HEADER.slice(1), drop(synthetic).map((fields) => ({ text: fields.join(','), fields, valid: true })), drop(heldOut), { randomSeed: 1 });
  assert.deepEqual(withKey.synthesizers[0]!.columnScores.slice(1), without.synthesizers[0]!.columnScores);
  assert.equal(withKey.synthesizers[0]!.columnShapes, without.synthesizers[0]!.columnShapes);
  assert.equal(withKey.synthesizers[0]!.columnPairTrends, without.synthesizers[0]!.columnPairTrends);
});

test('the caller may name the key columns (a model\'s schema); none named means none left out', () => {
  const real = table(600, 7);
  const candidates = real.slice(0, 100).map((fields) => ({ text: fields.join(','), fields: [String(9000 + Number(fields[0])), fields[1]!, fields[2]!], valid: true }));
  const none = buildReport(real.slice(0, 500), HEADER, candidates, real.slice(500), { randomSeed: 1 }, []);
  assert.equal(none.synthesizers[0]!.exactCopies, 0);
  assert.equal(none.columns[0]!.metric, 'KSComplement');
});
