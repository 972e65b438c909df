import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { evaluate, UsageError, type EvaluateOptions } from '../src/index.js';
import { generateRecordsForEvaluation } from '../src/generate/generateForEvaluation.js';
import type { FieldCondition } from '../src/schema/fieldCondition.js';
import { writeRandomModel } from './helpers/randomModel.js';
import { repoRoot } from './helpers/runCli.js';

const customers = path.join(repoRoot, 'fixtures', 'customers.csv');

async function refusal(options: Partial<EvaluateOptions>): Promise<string> {
  try {
    await evaluate({ data: customers, lines: 20, randomSeed: 1, ...options });
  } catch (error) {
    assert.ok(UsageError.is(error), `expected a UsageError, got ${String(error)}`);
    assert.equal(error.exitStatus, 2);
    return error.message;
  }
  return assert.fail('expected the evaluation to be refused');
}

describe('evaluate({ where, conditionPlacement })', () => {
  test('where in generate\'s shapes: the report compares with the real rows that meet it and names it in its settings', async () => {
    const report = await evaluate({ data: customers, lines: 100, randomSeed: 1, where: { country: 'Japan', age: { min: 20, max: 59 } } });
    const rows = parse(await readFile(customers, 'utf8'), { columns: true }) as Record<string, string>[];
    const meeting = rows.filter((row) => row.country === 'Japan' && Number(row.age) >= 20 && Number(row.age) <= 59);
    assert.equal(report.counts.trainingRecords + report.counts.heldOutRecords, meeting.length);
    assert.equal(report.counts.valid, 100);
    assert.deepEqual([report.settings.where, report.settings.conditionPlacement], [['country=Japan', 'age=20..59'], 'exact']);
    assert.deepEqual(report.columns.filter((c) => c.name === 'country' || c.name === 'age').map((c) => c.metric), [null, null]);
  });

  test('refusals name the options as the API spells them', async () => {
    const cases: [Partial<EvaluateOptions>, RegExp][] = [
      [{ where: { country: 'Norway', plan: 'enterprise' } }, /^where\.country and where\.plan: \d+ of 2400 training rows and \d+ of 600 held-out rows of .*customers\.csv meet them, and a report needs at least 20 and 5/],
      [{ where: ['country=Japn'] }, /^where "country=Japn": country has no value "Japn"/],
      [{ where: 'country=Japan' as never }, /^where must be an object such as/],
      [{ conditionPlacement: 'in-place' }, /^conditionPlacement says where conditioned fields are written, and there is no where; add a condition or drop it$/],
      [{ where: { country: 'Japan' }, conditionPlacement: 'sideways' as never }, /^conditionPlacement must be one of exact, first, in-place, got "sideways"$/],
      [{ where: { country: 'Japan' }, synthetic: customers }, /^where applies to records synth generates, not to synthetic; drop one of them$/],
    ];
    for (const [options, pattern] of cases) assert.match(await refusal(options), pattern);
  });
});

describe('generateRecordsForEvaluation with where', () => {
  let model: string;
  const colors = ['red', 'green', 'blue'];
  before(async () => {
    const records = Array.from({ length: 60 }, (_, i) => [`name${i % 17}`, colors[i % 3]!, String(10 + (i % 40))]);
    model = await writeRandomModel({ records, header: ['name', 'color', 'size'], schema: { valueTokens: true, fieldTokens: true } });
  });
  after(() => rm(path.dirname(model), { recursive: true, force: true }));

  async function records(where: FieldCondition[] | undefined, conditionPlacement?: 'exact' | 'first' | 'in-place'): Promise<string[][]> {
    const out: string[][] = [];
    const request = { modelDir: model, lines: 30, randomSeed: 7, temperature: 1, backend: 'wasm', ...(where ? { where } : {}), ...(conditionPlacement ? { conditionPlacement } : {}) };
    for await (const candidate of generateRecordsForEvaluation(request)) if (candidate.valid) out.push(candidate.fields);
    return out;
  }

  test('every record meets the condition, and the placement changes which records are drawn', async () => {
    const where: FieldCondition[] = [{ field: 1, kind: 'values', values: ['blue'] }];
    const free = await records(undefined);
    const first = await records(where, 'first');
    const inPlace = await records(where, 'in-place');
    assert.ok(free.some((fields) => fields[1] !== 'blue'), 'without the condition the model writes other colors');
    for (const set of [first, inPlace]) {
      assert.equal(set.length, 30);
      assert.ok(set.every((fields) => fields[1] === 'blue'), JSON.stringify(set.slice(0, 3)));
    }
    assert.notDeepEqual(first, inPlace, 'written first, the other fields are drawn after the color, so they differ');
    const exact = await records(where, 'exact');
    assert.equal(exact.length, 30);
    assert.ok(exact.every((fields) => fields[1] === 'blue'));
    assert.deepEqual(await records(where), exact, 'exact is the default');
  });
});
