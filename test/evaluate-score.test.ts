import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../src/evaluate/buildReport.js';
import { summaryScore } from '../src/evaluate/score.js';
import { PEOPLE_HEADER, peopleRecords } from './helpers/syntheticPeople.js';

const asCandidates = (records: string[][], valid = true) => records.map((fields) => ({ fields, valid, text: fields.join(',') }));

test('the score multiplies fidelity, valid rate and copy factor', () => {
  const score = summaryScore({ distances: [0.1, 0.3], validRate: 0.9, copyShare: 0, baselineCopyShare: 0 });
  assert.equal(score.fidelity, 0.8);
  assert.equal(score.copyFactor, 1);
  assert.equal(score.value, 72);
});

test('copies beyond the held-out baseline cost their share of the room above it', () => {
  // baseline 0.2, copies 0.6: excess 0.4 of the 0.8 possible -> factor 0.5
  const score = summaryScore({ distances: [0], validRate: 1, copyShare: 0.6, baselineCopyShare: 0.2 });
  assert.ok(Math.abs(score.copyFactor - 0.5) < 1e-12);
  assert.equal(score.value, 50);
  // no more copies than the baseline: no penalty
  assert.equal(summaryScore({ distances: [0], validRate: 1, copyShare: 0.1, baselineCopyShare: 0.2 }).value, 100);
  // every real record coincides with training: copies cannot be told from chance
  assert.equal(summaryScore({ distances: [0], validRate: 1, copyShare: 1, baselineCopyShare: 1 }).copyFactor, 1);
});

test('no components or no valid records score zero', () => {
  assert.equal(summaryScore({ distances: [], validRate: 1, copyShare: 0, baselineCopyShare: 0 }).value, 0);
  assert.equal(summaryScore({ distances: [0], validRate: 0, copyShare: 0, baselineCopyShare: 0 }).value, 0);
});

test('fresh records from the real distribution score close to 100', () => {
  const real = peopleRecords(2000, 1);
  const synthetic = peopleRecords(1000, 2);
  const report = buildReport(real.slice(0, 1600), PEOPLE_HEADER, asCandidates(synthetic), real.slice(1600));
  assert.equal(report.exactCopies.synthetic, 0);
  assert.ok(report.score.value >= 93, `score ${report.score.value}`);
  assert.deepEqual(report.fields.map((f) => f.kind), ['categorical', 'numeric', 'categorical', 'shape']);
});

test('garbage records score low', () => {
  const real = peopleRecords(1000, 1);
  const garbage = Array.from({ length: 500 }, (_, i) => [`#${i}`, 'x', `${i}${i}`, '']);
  const report = buildReport(real.slice(0, 800), PEOPLE_HEADER, asCandidates(garbage), real.slice(800));
  assert.ok(report.score.value < 20, `score ${report.score.value}`);
});

test('a model that replays its training records is penalised for copying', () => {
  const real = peopleRecords(1000, 1);
  const training = real.slice(0, 800);
  const report = buildReport(training, PEOPLE_HEADER, asCandidates(training.slice(0, 500)), real.slice(800));
  assert.equal(report.exactCopies.synthetic, 1);
  assert.equal(report.exactCopies.heldOutBaseline, 0);
  assert.equal(report.score.copyFactor, 0);
  assert.equal(report.score.value, 0);
});

test('invalid candidates lower the valid rate and the score but are not compared', () => {
  const real = peopleRecords(1000, 1);
  const synthetic = peopleRecords(600, 3);
  const candidates = [...asCandidates(synthetic), ...asCandidates([['broken']], false)];
  const report = buildReport(real.slice(0, 800), PEOPLE_HEADER, candidates, real.slice(800));
  assert.equal(report.counts.invalid, 1);
  assert.equal(report.counts.valid, 600);
  assert.ok(Math.abs(report.validRate - 600 / 601) < 1e-12);
  assert.deepEqual(report.warnings, []);
});
