import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../src/evaluate/buildReport.js';
import { profileColumns } from '../src/evaluate/quality/columnProfile.js';
import { agreementPairs, containmentShare, normalizedColumns, normalizeForAgreement, scoreAgreement } from '../src/evaluate/quality/textAgreement.js';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} is not ${expected}`);

/** 40 customers: every email holds the last name, every other one the first name too. */
function customers(count: number, offset = 0): string[][] {
  const firsts = ['Ann', 'Bea', 'Cal', 'Dov', 'Eli'];
  return Array.from({ length: count }, (_, k) => {
    const i = k + offset;
    const first = firsts[i % firsts.length]!;
    const last = `Smith-Jones${i}`;
    const email = i % 2 === 0 ? `${first}.${last}@mail.example` : `x${last.toLowerCase()}@mail.example`;
    return [first, last, email, i % 3 === 0 ? 'gold' : 'basic'];
  });
}
const HEADER = ['first', 'last', 'email', 'plan'];

test('values are compared in lower case, letters and digits only', () => {
  assert.equal(normalizeForAgreement('Smith-Jones'), 'smithjones');
  assert.equal(normalizeForAgreement("O'Brien 42 <x@y.z>"), 'obrien42xyz');
  assert.equal(normalizeForAgreement('Zoë Ørsted'), 'zoëørsted');
  assert.equal(normalizeForAgreement(' -. '), '');
});

test('the containment share counts records whose text holds the other value, never a blank one', () => {
  const columns = normalizedColumns([['ann.lee@x.com', 'Lee'], ['bo@x.com', 'Lee'], ['anything', '']], [0, 1]);
  close(containmentShare(columns, 0, 1), 1 / 3);
});

test('pairs are found from the data: a free-text field and the fields its real text contains in at least 20% of records', () => {
  const training = customers(40);
  const profile = profileColumns(HEADER, training);
  assert.deepEqual(profile.map((column) => column.kind), ['categorical', 'shape', 'shape', 'categorical']);
  const pairs = agreementPairs(profile, training);
  // email holds the last name always and the first name half the time; last holds nothing; plan is never inside
  assert.deepEqual(pairs.map((pair) => [HEADER[pair.text], HEADER[pair.other], pair.real]), [
    ['email', 'first', 0.5],
    ['email', 'last', 1],
  ]);
});

test('a set scores 1 − |real − its share| per pair; emails that forget the names lose exactly what they forget', () => {
  const training = customers(40);
  const pairs = agreementPairs(profileColumns(HEADER, training), training);
  // fresh records made the same way agree as often as the real ones
  const same = scoreAgreement(pairs, customers(40, 1000));
  assert.deepEqual(same.map((pair) => pair.score), [1, 1]);
  // emails that hold the last name in a quarter of the records and never the first name
  const careless = customers(40, 1000).map(([first, last, , plan], i) => [first!, last!, i % 4 === 0 ? `${last}@m.example` : 'someone@m.example', plan!]);
  const scores = scoreAgreement(pairs, careless);
  assert.deepEqual(scores, [
    { score: 0.5, real: 0.5, synthetic: 0 },
    { score: 0.25, real: 1, synthetic: 0.25 },
  ]);
});

test('the report lists the pairs with every set: the model, both baselines and the held-out ceiling', () => {
  const real = customers(1000);
  const synthetic = customers(500, 5000).map((fields) => ({ fields, valid: true, text: fields.join(',') }));
  const report = buildReport(real.slice(0, 800), HEADER, synthetic, real.slice(800));
  assert.deepEqual(report.textAgreement.map((pair) => pair.columns), [['email', 'first'], ['email', 'last']]);
  const byId = Object.fromEntries(report.synthesizers.map((row) => [row.id, row.textAgreementScore]));
  assert.equal(byId.synthetic, 1);
  assert.ok(byId.heldOut! > 0.99, `ceiling ${byId.heldOut}`);
  // the baselines draw each field from a different record, so the email rarely holds this record's names
  assert.ok(byId.independentColumns! < 0.6 && byId.gaussianCopula! < 0.6, JSON.stringify(byId));
  for (const row of report.synthesizers) assert.equal(row.textAgreement.length, 2);
});

test('no free-text field or no agreeing pair: no pair is listed and the score is null', () => {
  const records = Array.from({ length: 50 }, (_, i) => [String(i % 7), i % 2 ? 'a' : 'b']);
  const report = buildReport(records.slice(0, 40), ['n', 'flag'], records.map((fields) => ({ fields, valid: true, text: '' })), records.slice(40));
  assert.deepEqual(report.textAgreement, []);
  assert.equal(report.synthesizers[0]!.textAgreementScore, null);
});
