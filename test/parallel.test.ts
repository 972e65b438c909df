import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateCandidates, type Candidate, type GenerationPlan } from '../src/engine/generator.js';
import { createOnnxKernel } from '../src/engine/kernels/onnx/onnxKernel.js';
import { generateCandidatesParallel, type ParallelOptions } from '../src/engine/parallel/generateCandidatesParallel.js';
import { loadModelDirectory } from '../src/model/loadModelDirectory.js';
import type { ModelWeights } from '../src/model/manifest.js';
import { writeRandomModel } from './helpers/randomModel.js';

const END_OF_RECORD = 0;

/** Threads of this process right now (worker threads and their native pools included). */
const threadCount = (): number => Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]);

/** Waits up to a second for the thread count to fall to `limit`; returns the last count seen. */
async function settleThreads(limit: number): Promise<number> {
  let now = threadCount();
  for (let i = 0; i < 50 && now > limit; i++) {
    await sleep(20);
    now = threadCount();
  }
  return now;
}

async function collect(source: AsyncIterable<Candidate>, limit = Infinity): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for await (const c of source) {
    out.push(c);
    if (out.length >= limit) break;
  }
  return out;
}

describe('parallel generation', () => {
  let weights: ModelWeights;
  let plan: GenerationPlan;
  let baselineThreads: number;

  const options = (extra: Partial<ParallelOptions>): ParallelOptions => ({
    weights,
    backend: 'onnx',
    batchSize: 8,
    workers: 2,
    endOfRecord: END_OF_RECORD,
    plan,
    chunkSize: 25,
    threadsPerWorker: 1,
    warn: (line) => assert.fail(`unexpected warning: ${line}`),
    ...extra,
  });

  before(async () => {
    const dir = await writeRandomModel({ embeddingDim: 16, lstmUnits: [24, 24] });
    weights = (await loadModelDirectory(dir)).weights;
    // Two start strings (empty and two tokens) alternate over the candidate indices.
    plan = { prefixes: [[], [3, 4]], temperature: 1, maxTokens: 30, randomSeed: 42, firstIndex: 5, endIndex: 260 };
    const warmUp = await generateCandidatesParallel(options({ workers: 1 }));
    await collect(warmUp.candidates, 1);
    baselineThreads = await settleThreads(0);
  });

  test('output is byte-identical for 1, 2 and 3 workers, any batch and chunk size, and in-process generation', async () => {
    const kernel = await createOnnxKernel(weights, { batchSize: 5, threads: 1 });
    const expected = JSON.stringify(await collect(generateCandidates(kernel, END_OF_RECORD, plan)));
    await kernel.dispose();
    assert.equal(JSON.parse(expected).length, 255);
    // undefined: the default ranges, growing from 4 batches.
    for (const [workers, batchSize, chunkSize] of [[1, 8, 25], [2, 3, 7], [3, 16, 40], [2, 64, 1000], [2, 4, undefined]] as const) {
      const source = await generateCandidatesParallel(options({ workers, batchSize, chunkSize }));
      assert.equal(source.backend, 'onnx');
      assert.equal(JSON.stringify(await collect(source.candidates)), expected, `workers ${workers}, batch ${batchSize}, chunk ${chunkSize}`);
    }
  });

  for (const backend of ['onnx', 'wasm'] as const) {
    // wasm steps finish without a turn of the event loop; the stop request must still get in.
    test(`stopping early terminates every worker at once (${backend})`, async () => {
      // Long ranges: a worker is mid-range, never between ranges, when the stop arrives.
      const source = await generateCandidatesParallel(options({ backend, workers: 3, chunkSize: 100_000, plan: { ...plan, endIndex: undefined } }));
      assert.ok(threadCount() > baselineThreads, 'workers are running');
      const started = performance.now();
      const taken = await collect(source.candidates, 40); // leaving the loop waits for the workers to exit
      assert.ok(performance.now() - started < 2500, 'workers stop when asked, not at the 5 s kill timeout');
      assert.deepEqual(taken.map((c) => c.index), Array.from({ length: 40 }, (_, i) => plan.firstIndex + i));
      assert.ok((await settleThreads(baselineThreads)) <= baselineThreads, 'no worker thread outlives the consumer');
    });
  }

  for (const how of ['throw', 'exit'] as const) {
    test(`a worker that ${how === 'throw' ? 'throws' : 'exits'} mid-run ends the run with an error naming it and leaves no threads`, async () => {
      // Chunk 25 from index 5: candidate 60 lies in the third range, which worker 0 runs.
      const source = await generateCandidatesParallel(options({ crash: { atIndex: 60, how } }));
      const message = how === 'throw' ? /generation worker 0 failed: test crash at candidate 60/ : /generation worker 0 stopped unexpectedly \(exit code 7\)/;
      const seen: number[] = [];
      await assert.rejects(async () => {
        for await (const c of source.candidates) seen.push(c.index);
      }, message);
      assert.ok(seen.length < 55, 'candidates at and after the crash are never yielded');
      assert.ok((await settleThreads(baselineThreads)) <= baselineThreads, 'no worker thread outlives the failure');
    });
  }

  test('a worker whose backend cannot start fails the setup, before any candidate', async () => {
    const bad = { ...weights, lstm: weights.lstm.map((l) => ({ ...l, bias: l.bias.subarray(1) })) };
    await assert.rejects(generateCandidatesParallel(options({ weights: bad })), /generation worker \d failed: the onnx backend \(onnxruntime-node\) could not start/);
    assert.ok((await settleThreads(baselineThreads)) <= baselineThreads);
  });
});
