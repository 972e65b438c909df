import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { openGeneration } from '../src/generate/openGeneration.js';
import type { ConditionPlacement } from '../src/generate/conditionalStart.js';
import type { FieldCondition } from '../src/schema/fieldCondition.js';
import { REPO_ROOT } from './runCli.js';

/**
 * `npm run bench:conditions`: the conditions issue's checks on a model of fixtures/customers.csv
 * (the bundled model by default; CONDITIONS_MODEL=DIR for another), each met exactly (what --where
 * does: masked in place, records kept with the model's probability of the condition), written
 * first, and forced at their own position in the model's order, beside the real rows that meet
 * the condition. CONDITIONS_LINES (2000) records
 * per check, seed CONDITIONS_SEED (1). Writes bench/results/conditions.json.
 */
const modelDir = process.env.CONDITIONS_MODEL ?? path.join(REPO_ROOT, 'fixtures/default-model');
const lines = Number(process.env.CONDITIONS_LINES ?? 2000);
const randomSeed = Number(process.env.CONDITIONS_SEED ?? 1);

const rows = parse(await readFile(path.join(REPO_ROOT, 'fixtures/customers.csv'), 'utf8')) as string[][];
const header = rows.shift()!;
const col = (name: string): number => header.indexOf(name);

interface Check {
  name: string;
  where: FieldCondition[];
  /** Real rows that meet the condition. */
  real: (row: string[]) => boolean;
  measures: Record<string, (records: string[][]) => number>;
}

const share = (test: (row: string[]) => boolean) => (records: string[][]) => records.filter(test).length / Math.max(1, records.length);
const mean = (column: string) => (records: string[][]) => records.reduce((s, r) => s + Number(r[col(column)]), 0) / Math.max(1, records.length);

const checks: Check[] = [
  {
    name: 'country=Japan',
    where: [{ field: col('country'), kind: 'values', values: ['Japan'] }],
    real: (r) => r[col('country')] === 'Japan',
    measures: { 'country Japan': share((r) => r[col('country')] === 'Japan'), 'city Tokyo': share((r) => r[col('city')] === 'Tokyo') },
  },
  {
    name: 'plan=enterprise',
    where: [{ field: col('plan'), kind: 'values', values: ['enterprise'] }],
    real: (r) => r[col('plan')] === 'enterprise',
    measures: { 'company blank': share((r) => r[col('company')] === ''), 'mean monthly_spend': mean('monthly_spend') },
  },
  {
    name: 'age=30..39, country=Canada',
    where: [
      { field: col('age'), kind: 'range', min: 30, max: 39 },
      { field: col('country'), kind: 'values', values: ['Canada'] },
    ],
    real: (r) => Number(r[col('age')]) >= 30 && Number(r[col('age')]) <= 39 && r[col('country')] === 'Canada',
    measures: {
      'age in 30..39': share((r) => Number(r[col('age')]) >= 30 && Number(r[col('age')]) <= 39),
      'city Toronto or Vancouver': share((r) => r[col('city')] === 'Toronto' || r[col('city')] === 'Vancouver'),
    },
  },
];

async function sample(where: FieldCondition[], placement: ConditionPlacement): Promise<{ records: string[][]; invalid: number }> {
  const generation = await openGeneration(
    { modelDir, startStrings: [], temperature: 1, randomSeed, batchSize: 64, workers: 1, backend: 'auto', validatorTimeoutMs: 5000, validate: true, where, conditionPlacement: placement },
    (line) => process.stderr.write(`warning: ${line}\n`),
  );
  const records: string[][] = [];
  let invalid = 0;
  try {
    for await (const { record, verdict } of generation.judged()) {
      if (!verdict.valid) invalid++;
      else if (records.push(record.fields) >= lines) break;
    }
  } finally {
    await generation.close();
  }
  return { records, invalid };
}

const results = [];
for (const check of checks) {
  const real = rows.filter(check.real);
  const started = performance.now();
  const exact = await sample(check.where, 'exact');
  const exactSeconds = (performance.now() - started) / 1000;
  const first = await sample(check.where, 'first');
  const inPlace = await sample(check.where, 'in-place');
  const row = {
    condition: check.name,
    realRows: real.length,
    measures: {} as Record<string, { real: number; exact: number; first: number; inPlace: number }>,
    invalid: { exact: exact.invalid, first: first.invalid, inPlace: inPlace.invalid },
    exactSeconds,
  };
  for (const [name, measure] of Object.entries(check.measures)) {
    row.measures[name] = { real: measure(real), exact: measure(exact.records), first: measure(first.records), inPlace: measure(inPlace.records) };
  }
  results.push(row);
  const fmt = (v: number) => (v > 10 ? v.toFixed(0) : `${(100 * v).toFixed(1)}%`);
  for (const [name, m] of Object.entries(row.measures)) {
    process.stdout.write(
      `${check.name.padEnd(28)} ${name.padEnd(26)} real ${fmt(m.real).padStart(6)} (${real.length} rows)   exact ${fmt(m.exact).padStart(6)} (${exactSeconds.toFixed(1)} s)   written first ${fmt(m.first).padStart(6)}   in place ${fmt(m.inPlace).padStart(6)}\n`,
    );
  }
}
const out = path.join(REPO_ROOT, 'bench/results/conditions.json');
await writeFile(out, `${JSON.stringify({ model: path.relative(REPO_ROOT, modelDir), lines, randomSeed, results }, null, 2)}\n`);
process.stderr.write(`written ${path.relative(REPO_ROOT, out)}\n`);
