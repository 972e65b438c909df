import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { runCli } from './helpers/runCli.js';

/** Records of the bundled model (the CLI's default) under conditions, through the real CLI. */
const generate = async (...args: string[]): Promise<{ header: string[]; rows: string[][]; stderr: string }> => {
  const result = await runCli(['generate', '--random-seed', '3', '-q', ...args], { timeoutMs: 120_000 });
  assert.equal(result.status, 0, result.stderr);
  // stdout carries records only, no header: the header is the model's.
  return { header: HEADER, rows: parse(result.stdout) as string[][], stderr: result.stderr };
};
const HEADER = ['customer_id', 'first_name', 'last_name', 'email', 'age', 'city', 'country', 'company', 'signup_date', 'plan', 'monthly_spend'];
const column = (header: string[], rows: string[][], name: string): string[] => rows.map((r) => r[header.indexOf(name)]!);

describe('conditioned output of the bundled model', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'synth-conditions-'));
  });
  after(() => rm(work, { recursive: true, force: true }));

  test('every record meets a value, a set and a range at once', async () => {
    const { header, rows } = await generate('--lines', '150', '--where', 'country=Canada', '--where', 'plan=pro|enterprise', '--where', 'age=30..39');
    assert.equal(rows.length, 150);
    assert.ok(column(header, rows, 'country').every((c) => c === 'Canada'));
    assert.ok(column(header, rows, 'plan').every((p) => p === 'pro' || p === 'enterprise'));
    assert.ok(column(header, rows, 'age').every((a) => Number(a) >= 30 && Number(a) <= 39));
  });

  test('the records are a function of the seed, whatever the workers and batch size', async () => {
    const args = ['--lines', '120', '--where', 'country=Japan'];
    const one = await generate(...args, '--workers', '1', '--batch-size', '16');
    const two = await generate(...args, '--workers', '2', '--batch-size', '64');
    assert.deepEqual(one.rows, two.rows);
  });

  test('a header seed file gives one record per row, keeping its values', async () => {
    const seeds = path.join(work, 'seeds.csv');
    await writeFile(seeds, 'country,plan\nJapan,enterprise\nCanada,\n,pro\n');
    const { header, rows } = await generate('--seed-file', seeds);
    assert.equal(rows.length, 3);
    assert.deepEqual(column(header, rows, 'country').slice(0, 2), ['Japan', 'Canada']);
    assert.equal(column(header, rows, 'plan')[0], 'enterprise');
    assert.equal(column(header, rows, 'plan')[2], 'pro');
  });
});
