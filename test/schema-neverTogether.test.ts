import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { findSchemaProblem } from '../src/schema/checkSchema.js';
import { createMaskRows } from '../src/schema/maskRows.js';
import { ValuePairCounter } from '../src/schema/neverTogether.js';
import { profileRecords } from '../src/schema/profileRecords.js';
import { advanceCursor, compileConstraint, startCursor } from '../src/schema/recordConstraint.js';
import { isClosedSet, type RecordSchema } from '../src/schema/schema.js';
import { CharTokenizer } from '../src/tokenizer/charTokenizer.js';
import { prepareTrainingData } from '../src/train/prepareTrainingData.js';
import { profiledVocabulary } from '../src/train/vocabularyBuilder.js';
import { seededRandom } from '../src/random/seededRandom.js';
import { writeRandomModel } from './helpers/randomModel.js';
import { runCli } from './helpers/runCli.js';
import { tempDirectory } from './helpers/tempDirectory.js';

const HEADER = ['city', 'country', 'plan'];
const CITIES: Record<string, string> = { Toronto: 'Canada', Vancouver: 'Canada', London: 'UK', Leeds: 'UK', Paris: 'France' };
/**
 * 400 records: a city fixes its country; plans are independent of both except that no Paris
 * record is on "gold" (a rare cell: 80 Paris × 32 gold / 400 = 6.4 expected, below the threshold).
 */
function table(): string[][] {
  const cities = Object.keys(CITIES);
  return Array.from({ length: 400 }, (_, i) => {
    const city = cities[i % cities.length]!;
    let plan = Math.floor(i / 5) % 10 === 0 ? 'gold' : ['free', 'pro', 'team', 'basic'][Math.floor(i / 5) % 4]!;
    if (plan === 'gold' && city === 'Paris') plan = 'pro';
    return [city, CITIES[city]!, plan];
  });
}

function compiled(records: string[][], neverTogether?: RecordSchema['neverTogether']) {
  const profiled = profileRecords(records, HEADER, { keys: false });
  const schema: RecordSchema = neverTogether ? { ...profiled, neverTogether } : profiled;
  const tokenizer = CharTokenizer.fromRecords(records, true, schema.fields.map((f) => (isClosedSet(f) ? f.values : undefined)));
  return { schema, tokenizer, constraint: compileConstraint(schema, tokenizer) };
}

function countPairs(records: string[][]) {
  const { schema, tokenizer } = compiled(records);
  const counter = new ValuePairCounter(tokenizer.vocabSize, schema.fields.map((_, i) => tokenizer.valueTokensOf(i)));
  for (const r of records) counter.add(tokenizer.encodeRecord(r));
  return counter;
}

describe('never-together pairs', () => {
  test('a cell no record holds is listed when independence expects at least 10 records there, not when it expects fewer', () => {
    const pairs = countPairs(table()).finish();
    assert.equal(pairs.length, 1, JSON.stringify(pairs));
    assert.deepEqual(pairs[0]!.fields, [0, 1]);
    const expected = Object.keys(CITIES).flatMap((city) => ['Canada', 'UK', 'France'].filter((c) => c !== CITIES[city]).map((c) => [city, c]));
    assert.deepEqual(new Set(pairs[0]!.values.map((v) => v.join('/'))), new Set(expected.map((v) => v.join('/'))));
    // Paris × gold: 6.4 expected. At a threshold of 6 it is listed too.
    const lower = countPairs(table()).finish(6);
    assert.ok(lower.some((p) => p.fields[0] === 0 && p.fields[1] === 2 && p.values.some(([a, b]) => a === 'Paris' && b === 'gold')));
  });

  test('a value seen 100 times or more with no partner seen only once has seen all its partners: the rest are listed however rare', () => {
    const rows = [
      ...Array.from({ length: 120 }, (_, i) => [i % 2 ? 'Toronto' : 'Vancouver', 'Canada', 'free']),
      ...Array.from({ length: 30 }, (_, i) => [i < 2 ? 'Lyon' : 'Paris', 'France', 'free']),
      // Leeds once: the UK may have cities not seen yet, so none is ruled out for it by this rule.
      ...Array.from({ length: 110 }, (_, i) => [i === 0 ? 'Leeds' : 'London', 'UK', 'free']),
    ];
    const { schema, tokenizer } = compiled(rows);
    const counter = new ValuePairCounter(tokenizer.vocabSize, schema.fields.map((_, i) => tokenizer.valueTokensOf(i)));
    for (const r of rows) counter.add(tokenizer.encodeRecord(r));
    const listed = new Set(counter.finish().flatMap((p) => p.values.map((v) => v.join('/'))));
    // Lyon × Canada: 2 × 120 / 260 = 0.9 expected under independence, listed because Canada is closed.
    assert.ok(listed.has('Lyon/Canada'));
    // Lyon × UK: as rare, and the UK is not closed; nor is Lyon (2 records).
    assert.ok(!listed.has('Lyon/UK'));
    // London (109 records, one partner seen 109 times) is closed: France is ruled out for it.
    assert.ok(listed.has('London/France'));
  });

  test('training data preparation counts them over every record', async () => {
    const file = path.join(await tempDirectory('synth-never-'), 'cities.csv');
    await writeFile(file, stringify([HEADER, ...table()]));
    const data = await prepareTrainingData(file, { validationSplit: 0.2, random: seededRandom(1), vocabulary: () => profiledVocabulary({ keys: false }) });
    assert.equal(data.neverTogether.length, 1);
    assert.equal(data.neverTogether[0]!.values.length, 10);
  });

  test('a value written rules its partners out of the rest of the record, whichever field comes first', () => {
    const records = table();
    const s = compiled(records, countPairs(records).finish());
    const allowedAfter = (fields: string[]) => {
      const cursor = startCursor(s.constraint.sequence);
      for (const id of s.tokenizer.encodePrefix([...fields, ''])) advanceCursor(s.constraint, cursor, id);
      const row = createMaskRows(s.constraint).rowOf(cursor);
      return [...row].flatMap((m, id) => (m === 0 ? [s.tokenizer.spec.vocab[id]!] : []));
    };
    assert.deepEqual(allowedAfter(['Toronto']), ['<F2:Canada>']);
    assert.deepEqual(allowedAfter(['Paris']), ['<F2:France>']);
    // Fields not in a pair are untouched.
    assert.deepEqual(allowedAfter(['London', 'UK']).sort(), ['<F3:basic>', '<F3:free>', '<F3:gold>', '<F3:pro>', '<F3:team>']);

    // The other way round: a schema whose table writes country before city.
    const swapped = records.map(([city, country, plan]) => [country!, city!, plan!]);
    const profiled = profileRecords(swapped, ['country', 'city', 'plan'], { keys: false });
    const tokenizer = CharTokenizer.fromRecords(swapped, true, profiled.fields.map((f) => (isClosedSet(f) ? f.values : undefined)));
    const counter = new ValuePairCounter(tokenizer.vocabSize, profiled.fields.map((_, i) => tokenizer.valueTokensOf(i)));
    for (const r of swapped) counter.add(tokenizer.encodeRecord(r));
    const constraint = compileConstraint({ ...profiled, neverTogether: counter.finish() }, tokenizer);
    const cursor = startCursor(constraint.sequence);
    for (const id of tokenizer.encodePrefix(['UK', ''])) advanceCursor(constraint, cursor, id);
    const row = createMaskRows(constraint).rowOf(cursor);
    assert.deepEqual([...row].flatMap((m, id) => (m === 0 ? [tokenizer.spec.vocab[id]!] : [])).sort(), ['<F2:Leeds>', '<F2:London>']);
  });

  test('a record whose start already broke a pair keeps a way on', () => {
    const records = table();
    // Every country ruled out after Toronto: the row would allow nothing, so the schema's own row stands.
    const s = compiled(records, [{ fields: [0, 1], values: [['Toronto', 'Canada'], ['Toronto', 'UK'], ['Toronto', 'France']] }]);
    const cursor = startCursor(s.constraint.sequence);
    for (const id of s.tokenizer.encodePrefix(['Toronto', ''])) advanceCursor(s.constraint, cursor, id);
    const row = createMaskRows(s.constraint).rowOf(cursor);
    assert.equal([...row].filter((m) => m === 0).length, 3);
  });

  test('a schema file names what is wrong with its neverTogether', () => {
    const { schema } = compiled(table());
    const problem = (neverTogether: unknown) => findSchemaProblem({ ...schema, neverTogether }, HEADER);
    assert.equal(problem([{ fields: [0, 1], values: [['Paris', 'UK']] }]), null);
    assert.match(problem({}) ?? '', /^neverTogether: must be a list/);
    assert.match(problem([{ fields: [0, 0], values: [] }]) ?? '', /^neverTogether\[0\]\.fields: must be two different field numbers from 0 to 2/);
    assert.match(problem([{ fields: [0, 3], values: [] }]) ?? '', /^neverTogether\[0\]\.fields/);
    // A value the field does not have rules out nothing; a set narrowed by hand need not edit this too.
    assert.equal(problem([{ fields: [0, 1], values: [['Paris', 'Spain']] }]), null);
    assert.match(problem([{ fields: [0, 1], values: [['Paris']] }]) ?? '', /^neverTogether\[0\]\.values: a list of 1 is not a \[value, value\] pair of strings/);
    assert.match(problem([{ fields: [0, 1], values: [['Paris', 3]] }]) ?? '', /is not a \[value, value\] pair of strings/);
    const withText = { ...schema, fields: schema.fields.map((f, i) => (i === 2 ? { ...f, kind: 'text' as const, values: undefined } : f)) };
    assert.match(findSchemaProblem({ ...withText, neverTogether: [{ fields: [1, 2], values: [] }] }, HEADER) ?? '', /field 2 is not a set or boolean field/);
  });
});

describe('never-together pairs through the CLI', () => {
  test('generated records never hold a pair the schema rules out, with any workers; synth inspect lists them', async () => {
    // Random weights write any city with any country: the pairs would show up without the rule.
    const dir = await writeRandomModel({ records: table(), header: HEADER, maxChars: 40, seed: 11, schema: { valueTokens: true, keys: false } });
    const generate = async (...flags: string[]) => {
      const run = await runCli(['generate', '--model', dir, '--lines', '400', '--random-seed', '3', '--format', 'csv', ...flags]);
      assert.equal(run.status, 0, run.stderr);
      return (parse(run.stdout) as string[][]).slice(1);
    };
    const broken = (rows: string[][]) => rows.filter(([city, country]) => CITIES[city!] !== country).length;
    assert.ok(broken(await generate()) > 100, 'a random model mixes cities and countries');

    const manifestPath = path.join(dir, 'synth.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { schema: RecordSchema };
    manifest.schema.neverTogether = countPairs(table()).finish();
    await writeFile(manifestPath, JSON.stringify(manifest));
    const one = await generate('--workers', '1');
    assert.equal(one.length, 400);
    assert.equal(broken(one), 0);
    assert.deepEqual(await generate('--workers', '2', '--batch-size', '7'), one);

    // Conditions: the partners of a conditioned value never appear; a pair ruled out is refused up front.
    const uk = await generate('--where', 'country=UK');
    assert.deepEqual(new Set(uk.map(([city]) => city)), new Set(['London', 'Leeds']));
    const refused = await runCli(['generate', '--model', dir, '--lines', '5', '--where', 'city=Toronto|Vancouver', '--where', 'country=UK']);
    assert.equal(refused.status, 2);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /^synth: error: --where "city=Toronto\|Vancouver" and --where "country=UK": no training record has "city" Toronto\|Vancouver with "country" UK, so the model never writes them together \(synth inspect lists such pairs\); drop one of the two\n$/);

    const inspect = await runCli(['inspect', dir]);
    assert.match(inspect.stdout, /^never together: 10 pairs of city and country values \(city=Toronto with country=UK; /m);
  });
});
