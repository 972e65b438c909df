import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generate, loadModel, UsageError, type SynthModel, type SynthRecord } from '../src/index.js';
import { bundledModelDir } from '../src/model/bundledModel.js';

const texts = async (records: AsyncIterable<SynthRecord>): Promise<string[]> => {
  const out: string[] = [];
  for await (const { text } of records) out.push(text);
  return out;
};

describe('a model handle from loadModel', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'synth-api-model-'));
  });
  after(() => rm(work, { recursive: true, force: true }));

  test('generates the very records generate({ model }) gives, run after run, for any worker count', async () => {
    const model = await loadModel();
    try {
      const expected = await texts(generate({ lines: 40, randomSeed: 9 }));
      assert.deepEqual(await texts(model.generate({ lines: 40, randomSeed: 9 })), expected);
      assert.deepEqual(await texts(model.generate({ lines: 40, randomSeed: 9, workers: 2, batchSize: 8 })), expected);
      assert.deepEqual(await texts(model.generate({ lines: 40, randomSeed: 10 })).then((t) => t.length), 40);
    } finally {
      await model.close();
    }
  });

  test('reads the directory once: a weights file broken after loading does not affect it, while generate({ model }) refuses it', async () => {
    const dir = path.join(work, 'copy');
    await cp(bundledModelDir(), dir, { recursive: true });
    const model = await loadModel(dir);
    await writeFile(path.join(dir, 'weights.bin'), 'not weights');
    assert.equal((await texts(model.generate({ lines: 5, randomSeed: 1 }))).length, 5);
    await assert.rejects(texts(generate({ model: dir, lines: 5 })), /weights/);
    await model.close();
  });

  test('exposes the manifest and the record shape', async () => {
    const model = await loadModel();
    assert.equal(model.dir, bundledModelDir());
    assert.equal(model.manifest.format, 'synth-model');
    assert.equal(model.records.kind, 'delimited');
    assert.deepEqual(model.records, model.manifest.records);
    await model.close();
  });

  test('await using closes it at the end of the block; a closed model refuses to generate with a UsageError', async () => {
    let kept: SynthModel | undefined;
    {
      await using model = await loadModel();
      kept = model;
      assert.equal((await texts(model.generate({ lines: 2, randomSeed: 1 }))).length, 2);
    }
    assert.throws(() => kept!.generate({ lines: 1 }), (e: unknown) => e instanceof UsageError && /was closed; call loadModel again/.test(e.message));
  });

  test('loadModel with an aborted signal rejects with its reason before reading', async () => {
    const controller = new AbortController();
    controller.abort('not now');
    await assert.rejects(loadModel(path.join(work, 'does-not-exist'), { signal: controller.signal }), (e: unknown) => e === 'not now');
  });
});
