import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../src/evaluate/buildReport.js';
import { summaryScore } from '../src/evaluate/score.js';
import { PEOPLE_HEADER, peopleRecords } from './helpers/syntheticPeople.js';

const asCandidates = (records: string[][], valid = true) => records.map((fields) => ({ fields, valid, text: fields.join(',') }));

const perfect = { measures: [1, 1], validRate: 1, copyShare: 0, baselineCopyShare: 0 };

test('the score multiplies quality (mean of the measures, e.g. Shapes and Pair Trends), valid rate and privacy', () => {
  const score = summaryScore({ ...perfect, measures: [0.9, 0.7], validRate: 0.9 });
  assert.ok(Math.abs(score.quality - 0.8) < 1e-12);
  assert.equal(score.privacyFactor, 1);
  assert.equal(score.value, 72);
  // a table with one scored column has no pairs: quality is Column Shapes alone
  assert.equal(summaryScore({ ...perfect, measures: [0.6, null] }).value, 60);
});

test('copies beyond the held-out baseline cost their share of the room above it', () => {
  // baseline 0.2, copies 0.6: excess 0.4 of the 0.8 possible -> factor 0.5
  const score = summaryScore({ ...perfect, copyShare: 0.6, baselineCopyShare: 0.2 });
  assert.ok(Math.abs(score.copyFactor - 0.5) < 1e-12);
  assert.equal(score.value, 50);
  // no more copies than the baseline: no penalty
  assert.equal(summaryScore({ ...perfect, copyShare: 0.1, baselineCopyShare: 0.2 }).value, 100);
  // every real record coincides with training: copies cannot be told from chance
  assert.equal(summaryScore({ ...perfect, copyShare: 1, baselineCopyShare: 1 }).copyFactor, 1);
});

test('records closer to training than the held-out median beyond one half cost privacy', () => {
  assert.equal(summaryScore({ ...perfect, closerShare: 0.5 }).closenessFactor, 1);
  assert.equal(summaryScore({ ...perfect, closerShare: 0.2 }).closenessFactor, 1);
  // Sampling tolerance: 1,000 records drawn like the held-out ones land within 0.5 ± 0.032.
  assert.equal(summaryScore({ ...perfect, closerShare: 0.515, closerSampled: 1000 }).closenessFactor, 1);
  assert.ok(Math.abs(summaryScore({ ...perfect, closerShare: 0.515 }).closenessFactor - 0.97) < 1e-12, 'no tolerance without a sample size');
  const nearCopies = summaryScore({ ...perfect, closerShare: 0.9, closerSampled: 1000 }).closenessFactor;
  assert.ok(Math.abs(nearCopies - 2 * (1 - (0.9 - 1 / Math.sqrt(1000)))) < 1e-12 && nearCopies < 0.3, `near-copies still pay: ${nearCopies}`);
  // 0.8 closer: factor 2 × (1 − 0.8) = 0.4; privacy is the worse of copies and closeness
  const score = summaryScore({ ...perfect, closerShare: 0.8, copyShare: 0.1, baselineCopyShare: 0 });
  assert.ok(Math.abs(score.closenessFactor - 0.4) < 1e-12);
  assert.ok(Math.abs(score.privacyFactor - 0.4) < 1e-12);
  assert.equal(score.value, 40);
});

test('no scored columns or no valid records score zero', () => {
  assert.equal(summaryScore({ ...perfect, measures: [null, null] }).value, 0);
  assert.equal(summaryScore({ ...perfect, validRate: 0 }).value, 0);
});

test('fresh records from the real distribution score close to 100', () => {
  const real = peopleRecords(2000, 1);
  const synthetic = peopleRecords(1000, 2);
  const report = buildReport(real.slice(0, 1600), PEOPLE_HEADER, asCandidates(synthetic), real.slice(1600));
  assert.equal(report.exactCopies.synthetic, 0);
  const ceiling = report.synthesizers.find((row) => row.id === 'heldOut')!.score.value;
  // as good as new real records, give or take sampling noise
  assert.ok(report.score.value >= 88 && report.score.value >= ceiling - 3, `score ${report.score.value}, ceiling ${ceiling}`);
  assert.deepEqual(report.columns.map((f) => f.kind), ['categorical', 'numeric', 'categorical', 'shape']);
  assert.deepEqual(report.columns.map((f) => f.metric), ['TVComplement', 'KSComplement', 'TVComplement', null]);
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
  assert.equal(report.score.privacyFactor, 0);
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
