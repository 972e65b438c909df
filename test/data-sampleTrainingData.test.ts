import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { readTrainingData } from '../src/data/readTrainingData.js';
import { sampleTrainingData } from '../src/data/sampleTrainingData.js';
import { tempDirectory } from './helpers/tempDirectory.js';

async function table(rows: number): Promise<string> {
  const file = path.join(await tempDirectory('synth-sample-'), 'rows.csv');
  await writeFile(file, `id,value\n${Array.from({ length: rows }, (_, i) => `${i},v${i % 17}`).join('\n')}\n`);
  return file;
}

test('a file within the sample size is read whole, in file order', async () => {
  const file = await table(300);
  const sampled = await sampleTrainingData(file, { size: 300 });
  assert.deepEqual(sampled.records, (await readTrainingData(file)).records);
  assert.equal(sampled.totalRecords, 300);
});

test('a bigger file gives a seeded sample of its rows, in file order, spread over the whole file', async () => {
  const file = await table(20_000);
  const a = await sampleTrainingData(file, { size: 1000, seed: 3 });
  const b = await sampleTrainingData(file, { size: 1000, seed: 3 });
  const c = await sampleTrainingData(file, { size: 1000, seed: 4 });
  assert.equal(a.records.length, 1000);
  assert.equal(a.totalRecords, 20_000);
  assert.deepEqual(a.records, b.records, 'same seed, same sample');
  assert.notDeepEqual(a.records, c.records);
  const ids = a.records.map((r) => Number(r[0]));
  assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'file order');
  assert.equal(new Set(ids).size, 1000, 'real rows, each once');
  for (const r of a.records) assert.equal(r[1], `v${Number(r[0]) % 17}`);
  // A uniform sample has about a quarter of its rows in each quarter of the file.
  for (let q = 0; q < 4; q++) {
    const inQuarter = ids.filter((id) => id >= q * 5000 && id < (q + 1) * 5000).length;
    assert.ok(inQuarter > 180 && inQuarter < 320, `quarter ${q}: ${inQuarter}`);
  }
});
