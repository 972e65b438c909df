import assert from 'node:assert/strict';
import { test } from 'node:test';
import { threadsPerWorker } from '../src/workers/threadsPerWorker.js';

test('the cores are divided among the workers, rounded down, never below one thread', () => {
  assert.equal(threadsPerWorker(1, 8), 8);
  assert.equal(threadsPerWorker(3, 8), 2);
  assert.equal(threadsPerWorker(2, 2), 1);
  assert.equal(threadsPerWorker(4, 2), 1, 'more workers than cores still get a thread each');
});
