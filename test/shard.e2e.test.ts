import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generate } from '../src/index.js';
import { SHARD_STRIDE } from '../src/generate/shard.js';
import { runCli } from './helpers/runCli.js';

const LINES = 50;
const SEED = 77;

describe('--shard I/N', () => {
  test('three shards as separate processes, each with other workers and batch size, concatenate to the single-process run of the same sharding', async () => {
    const settings = [
      ['--workers', '2', '--batch-size', '4'],
      ['--workers', '1', '--batch-size', '64'],
      ['--workers', '2', '--batch-size', '7'],
    ];
    const parts = await Promise.all(
      settings.map((flags, i) => runCli(['generate', '--lines', String(LINES), '--random-seed', String(SEED), '--shard', `${i + 1}/3`, '-q', ...flags])),
    );
    parts.forEach((p, i) => assert.equal(p.status, 0, `shard ${i + 1}: ${p.stderr}`));
    assert.deepEqual(parts.map((p) => p.stdout.split('\n').length - 1), [16, 17, 17], 'the shares of --lines 50');

    // The reference: one process (this one), the three shards one after another, other settings again.
    const reference: string[] = [];
    const indices: number[][] = [];
    for (let i = 1; i <= 3; i++) {
      const own: number[] = [];
      for await (const r of generate({ lines: LINES, randomSeed: SEED, shard: `${i}/3`, workers: 1, batchSize: 32 })) {
        reference.push(r.text);
        own.push(r.index);
      }
      indices.push(own);
    }
    assert.equal(parts.map((p) => p.stdout).join(''), `${reference.join('\n')}\n`);
    // Disjoint parts of the candidate stream: shard i draws from [(i-1) * 2^40, i * 2^40).
    indices.forEach((own, i) => assert.ok(own.every((k) => k >= i * SHARD_STRIDE && k < (i + 1) * SHARD_STRIDE), `shard ${i + 1}`));
  });

  test('shard 1 begins exactly like the unsharded run; 1/1 is the unsharded run', async () => {
    const whole = await runCli(['generate', '--lines', '10', '--random-seed', String(SEED), '-q']);
    const first = await runCli(['generate', '--lines', '10', '--random-seed', String(SEED), '--shard', '1/3', '-q']);
    const one = await runCli(['generate', '--lines', '10', '--random-seed', String(SEED), '--shard', '1/1', '-q']);
    assert.equal(first.stdout, whole.stdout.split('\n').slice(0, 3).join('\n') + '\n');
    assert.equal(one.stdout, whole.stdout);
  });

  test('a bad --shard is a usage error naming the accepted form', async () => {
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '2']) {
      const r = await runCli(['generate', '--lines', '3', '--shard', bad]);
      assert.equal(r.status, 2, bad);
      assert.match(r.stderr, /--shard <i\/n>' argument .* expected I\/N with 1 <= I <= N <= 8192/);
    }
  });
});
