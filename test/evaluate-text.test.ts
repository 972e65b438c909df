import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitCharacterNgram, sampleCharacterNgram } from '../src/evaluate/baselines/characterNgramModel.js';
import { buildReport } from '../src/evaluate/buildReport.js';
import { evaluationRandom } from '../src/random/seededRandom.js';
import { ngramCounts, ngramSimilarity } from '../src/evaluate/text/characterNgrams.js';
import { measureText, textReference } from '../src/evaluate/text/textMeasures.js';

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);
const asCandidates = (lines: string[]) => lines.map((line) => ({ fields: [line], valid: true, text: line }));

/** Words from a fixed alphabet, lengths 3–9, made by a seeded source. */
function words(count: number, seed: number): string[] {
  const random = evaluationRandom(seed);
  const syllables = ['ka', 'ro', 'mi', 'tan', 'el', 'su', 'vo', 'ne', 'li'];
  return Array.from({ length: count }, () => {
    let word = '';
    const parts = 2 + Math.floor(random() * 3);
    for (let i = 0; i < parts; i++) word += syllables[Math.floor(random() * syllables.length)];
    return word;
  });
}

test('n-grams of order 2 and up see the start and end of each record', () => {
  assert.deepEqual([...ngramCounts(['ab'], 1).counts.keys()], ['a', 'b']);
  assert.deepEqual([...ngramCounts(['ab'], 2).counts.keys()], ['\u0002a', 'ab', 'b\u0003']);
  assert.deepEqual([...ngramCounts(['ab', 'ab'], 3).counts.entries()], [['\u0002ab', 2], ['ab\u0003', 2]]);
});

test('n-gram similarity is 1 − total variation over the top n-grams, the rest pooled', () => {
  const real = ngramCounts(['aab'], 1); // a 2/3, b 1/3
  close(ngramSimilarity(real, ngramCounts(['baa', 'aba'], 1)), 1);
  // a 1/3, b 2/3: TV = ½ (1/3 + 1/3)
  close(ngramSimilarity(real, ngramCounts(['abb'], 1)), 2 / 3);
  close(ngramSimilarity(real, ngramCounts(['xyz'], 1)), 0);
  close(ngramSimilarity(real, ngramCounts([], 1)), 0);
  // top 1 of each side: a (real), c (synthetic); b and d pooled as "rest", 1/3 on each side
  // TV = ½ (|2/3 − 0| + |0 − 2/3| + |1/3 − 1/3|) = 2/3
  close(ngramSimilarity(real, ngramCounts(['ccd'], 1), 1), 1 / 3);
});

test('text measures: same source scores near 1, wrong lengths and wrong letters score low', () => {
  const reference = textReference(words(2000, 1));
  const same = measureText(reference, words(1000, 2));
  assert.ok(same.recordLength.score > 0.95 && same.characterNgrams.score > 0.95, JSON.stringify(same));
  assert.deepEqual(same.characterNgrams.orders.map((order) => order.n), [1, 2, 3]);
  // real words have 4–12 letters, tripled ones 12–36
  const tripled = measureText(reference, words(1000, 2).map((word) => word.repeat(3)));
  assert.ok(tripled.recordLength.score < 0.05, `tripled words: ${tripled.recordLength.score}`);
  close(tripled.recordLength.synthetic, 3 * same.recordLength.synthetic);
  const shouted = measureText(reference, words(1000, 2).map((word) => word.toUpperCase()));
  assert.ok(shouted.recordLength.score > 0.95);
  close(shouted.characterNgrams.score, 0);
});

test('the character 3-gram baseline is deterministic for a seed and writes only what it has seen', () => {
  const training = words(500, 3);
  const model = fitCharacterNgram(training);
  const first = sampleCharacterNgram(model, 300, evaluationRandom(7));
  assert.deepEqual(sampleCharacterNgram(fitCharacterNgram(training), 300, evaluationRandom(7)), first);
  assert.notDeepEqual(sampleCharacterNgram(model, 300, evaluationRandom(8)), first);
  assert.equal(first.length, 300);
  // every trigram it writes (start and end marks included) occurs in the training words, except
  // the end of a record cut at the length limit
  assert.ok(first.every((word) => word.length <= model.maxChars));
  const ended = first.filter((word) => word.length < model.maxChars);
  const seen = ngramCounts(training, 3).counts;
  for (const gram of ngramCounts(ended, 3).counts.keys()) assert.ok(seen.has(gram), JSON.stringify(gram));
  const longest = Math.max(...training.map((word) => word.length));
  assert.equal(model.maxChars, Math.ceil(1.5 * longest) + 10);
});

test('a plain-text report scores the text measures beside the n-gram baseline and the ceiling', () => {
  const real = words(2000, 1);
  const report = buildReport(real.slice(0, 1600).map((w) => [w]), undefined, asCandidates(words(1000, 9)), real.slice(1600).map((w) => [w]));
  assert.equal(report.recordKind, 'text');
  assert.deepEqual(report.synthesizers.map((row) => row.id), ['synthetic', 'characterNgram', 'heldOut']);
  const model = report.synthesizers[0]!;
  close(model.score.quality, (model.text!.recordLength.score + model.text!.characterNgrams.score) / 2);
  assert.ok(report.score.value > 80, `score ${report.score.value}`);
  assert.equal(model.closestRecord, null);
  assert.deepEqual(report.warnings, []);
  // a model that only replays training lines copies far more than new real lines coincide with them
  const replay = buildReport(real.slice(0, 1600).map((w) => [w]), undefined, asCandidates(real.slice(0, 1000)), real.slice(1600).map((w) => [w]));
  assert.equal(replay.exactCopies.synthetic, 1);
  assert.ok(replay.score.value < report.score.value / 2, `replay ${replay.score.value}`);
});
