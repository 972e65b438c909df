import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { evaluate, generate, loadModel, train, type SynthRecord, type TrainOptions } from '../src/index.js';
import { repoRoot } from './helpers/runCli.js';
import { PEOPLE_HEADER, peopleRecords } from './helpers/syntheticPeople.js';

const stopNow = () => {
  const controller = new AbortController();
  controller.abort(new Error('stop now'));
  return controller.signal;
};

const tiny: Partial<TrainOptions> = { embeddingDim: 8, lstmUnits: [16], sequenceLength: 10, batchSize: 4, randomSeed: 1, backend: 'wasm' };

describe('cancelling the API with an AbortSignal', () => {
  let work: string;
  let data: string;
  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'synth-api-cancel-'));
    data = path.join(work, 'people.csv');
    await writeFile(data, [PEOPLE_HEADER, ...peopleRecords(120, 3)].map((r) => r.join(',')).join('\n') + '\n');
  });
  after(() => rm(work, { recursive: true, force: true }));

  test('generate with a signal aborted already yields nothing and rejects with the reason', async () => {
    const signal = stopNow();
    const seen: SynthRecord[] = [];
    await assert.rejects(
      (async () => {
        for await (const record of generate({ lines: 3, signal })) seen.push(record);
      })(),
      (e: unknown) => e === signal.reason,
    );
    assert.equal(seen.length, 0);
  });

  test('a model handle checks the signal too, and a reason that is not an Error comes back as it was given', async () => {
    await using model = await loadModel();
    const controller = new AbortController();
    controller.abort(42);
    await assert.rejects(model.generate({ lines: 3, signal: controller.signal })[Symbol.asyncIterator]().next(), (e: unknown) => e === 42);
  });

  test('aborting between records stops before the next one, whatever the worker count', async () => {
    for (const workers of [1, 2]) {
      const controller = new AbortController();
      const reason = new Error(`enough with ${workers}`);
      const seen: SynthRecord[] = [];
      await assert.rejects(
        (async () => {
          for await (const record of generate({ lines: 5000, randomSeed: 3, workers, signal: controller.signal })) {
            seen.push(record);
            if (seen.length === 3) controller.abort(reason);
          }
        })(),
        (e: unknown) => e === reason,
      );
      assert.equal(seen.length, 3, `workers ${workers}`);
    }
  });

  test('train with a signal aborted already rejects with the reason and writes nothing', async () => {
    const signal = stopNow();
    const out = path.join(work, 'never');
    await assert.rejects(train({ input: data, out, epochs: 1, signal, ...tiny }), (e: unknown) => e === signal.reason);
    assert.ok(!(await readdir(work)).includes('never'));
  });

  test('train aborted after an epoch saves the best model so far, then rejects with the reason', async () => {
    const controller = new AbortController();
    const reason = new Error('time is up');
    const out = path.join(work, 'partial');
    const saved: string[] = [];
    await assert.rejects(
      train({
        input: data,
        out,
        epochs: 20,
        signal: controller.signal,
        ...tiny,
        observer: {
          epochEnd: (e) => e.epoch === 1 && controller.abort(reason),
          saved: (e) => void saved.push(e.dir),
        },
      }),
      (e: unknown) => e === reason,
    );
    assert.deepEqual(saved, [out]);
    await using model = await loadModel(out);
    assert.equal(model.manifest.training.metrics.stoppedBy, 'interrupted');
    assert.equal(model.manifest.training.metrics.bestEpoch, 1);
  });

  test('evaluate with a signal aborted already rejects with the reason; aborted mid-generation, too', async () => {
    const signal = stopNow();
    await assert.rejects(evaluate({ data, signal }), (e: unknown) => e === signal.reason);
    const controller = new AbortController();
    const reason = new Error('evaluate stopped');
    const running = evaluate({ data: path.join(repoRoot, 'fixtures', 'customers.csv'), lines: 1_000_000, randomSeed: 1, signal: controller.signal });
    setTimeout(() => controller.abort(reason), 1500);
    await assert.rejects(running, (e: unknown) => e === reason);
  });
});
