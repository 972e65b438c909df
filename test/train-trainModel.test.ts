import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { stringify } from 'csv-stringify/sync';
import { UsageError } from '../src/errors.js';
import { loadModelDirectory } from '../src/model/loadModelDirectory.js';
import { trainModel } from '../src/train/trainModel.js';
import { lstmUnitsFor, ONE_LAYER_FROM_TOKENS, TINY_BELOW_TOKENS } from '../src/train/modelSize.js';
import { TRAIN_DEFAULTS, type TrainRunOptions } from '../src/train/trainOptions.js';
import type { TrainObserver } from '../src/train/trainObserver.js';
import { tempDirectory } from './helpers/tempDirectory.js';

async function tinyCsv(): Promise<{ dir: string; input: string }> {
  const dir = await tempDirectory('synth-train-');
  const rows = [['name', 'city', 'age']];
  for (let i = 0; i < 40; i++) rows.push([['Ann', 'Bo "B"', 'Cy'][i % 3]!, ['Portland, OR', 'Oslo'][i % 2]!, String(20 + (i % 25))]);
  const input = path.join(dir, 'people.csv');
  await writeFile(input, stringify(rows));
  return { dir, input };
}

function tinyOptions(input: string, outDir: string, extra: Partial<TrainRunOptions> = {}): TrainRunOptions {
  return {
    ...TRAIN_DEFAULTS,
    lstmUnits: [12, 10],
    embeddingDim: 8,
    sequenceLength: 16,
    batchSize: 8,
    epochs: 2,
    randomSeed: 7,
    backend: 'wasm',
    inputPath: input,
    outDir,
    ...extra,
  };
}

test('a tiny training run writes a model directory that loadModelDirectory accepts', async () => {
  const { dir, input } = await tinyCsv();
  const out = path.join(dir, 'model');
  const events: string[] = [];
  const observer: TrainObserver = {
    epochStart: (e) => events.push(`start ${e.epoch}`),
    epochEnd: (e) => events.push(`end ${e.epoch}`),
    stopped: (e) => events.push(`stopped ${e.reason}`),
    saved: () => events.push('saved'),
  };
  const result = await trainModel(tinyOptions(input, out), observer);
  assert.deepEqual(events, ['start 1', 'end 1', 'start 2', 'end 2', 'stopped epochs', 'saved']);
  assert.equal(result.stoppedBy, 'epochs');

  const model = await loadModelDirectory(out);
  const m = model.manifest;
  assert.deepEqual(m.records, { kind: 'delimited', delimiter: ',', header: ['name', 'city', 'age'] });
  assert.deepEqual(m.architecture.lstmUnits, [12, 10]);
  // name and city are closed sets (3 and 2 values over 40 rows); age (25 values, fewer than two
  // rows each, too few for a set even of numbers) is an integer in characters. Longest record: 2 value tokens + 2 digits + 3 field tokens.
  assert.deepEqual(m.schema?.fields.map((f) => f.kind), ['set', 'set', 'integer']);
  assert.equal(m.tokenizer.valueTokens?.length, 3 + 2);
  assert.equal(m.generation.maxChars, Math.ceil(1.5 * 7) + 10);
  assert.equal(m.tokenizer.fieldTokens?.length, 3, 'one field token per column: any field order');
  assert.equal(m.training.metrics.epochs, 2);
  assert.equal(m.training.metrics.stoppedBy, 'epochs');
  assert.equal(typeof m.training.metrics.valLoss, 'number');
  assert.equal(m.training.settings.randomSeed, 7);
  assert.ok(m.tokenizer.vocab.includes('"') && m.tokenizer.vocab.includes(','));
  assert.deepEqual((await readdir(dir)).sort(), ['model', 'people.csv'], 'no temporary directory is left behind');
});

test('without value tokens the length limit counts characters again', async () => {
  const { dir, input } = await tinyCsv();
  await trainModel(tinyOptions(input, path.join(dir, 'chars'), { valueTokens: false, epochs: 1 }));
  const m = (await loadModelDirectory(path.join(dir, 'chars'))).manifest;
  // Longest record: `Portland, OR` + `Bo "B"` + 2 digits + 3 field tokens = 23 tokens.
  assert.equal(m.generation.maxChars, Math.ceil(1.5 * 23) + 10);
  assert.equal(m.tokenizer.valueTokens, undefined);
  assert.equal(m.schema?.fields[0]!.kind, 'set');
});

test('the same random seed on the same backend trains the same weights', async () => {
  const { dir, input } = await tinyCsv();
  await trainModel(tinyOptions(input, path.join(dir, 'a')));
  await trainModel(tinyOptions(input, path.join(dir, 'b')));
  const [a, b] = await Promise.all(['a', 'b'].map((name) => readFile(path.join(dir, name, 'weights.bin'))));
  assert.ok(a!.equals(b!));
});

test('an existing output directory is refused before training unless overwrite is set', async () => {
  const { dir, input } = await tinyCsv();
  const out = path.join(dir, 'model');
  await trainModel(tinyOptions(input, out, { epochs: 1 }));
  const before = await readFile(path.join(out, 'synth.json'), 'utf8');
  const error = await trainModel(tinyOptions(input, out, { epochs: 1 })).then(() => null, (e: unknown) => e);
  assert.ok(error instanceof UsageError);
  assert.match(error.message, /already exists; pass overwrite/);
  assert.deepEqual(error.options, ['out', 'overwrite']);
  assert.equal(await readFile(path.join(out, 'synth.json'), 'utf8'), before);
  await trainModel(tinyOptions(input, out, { epochs: 1, overwrite: true, randomSeed: 8 }));
  assert.notEqual(await readFile(path.join(out, 'synth.json'), 'utf8'), before);
});

test('an abort stops after the current batch, saves a loadable model of the best epoch, then rejects with the reason', async () => {
  const { dir, input } = await tinyCsv();
  const out = path.join(dir, 'model');
  const controller = new AbortController();
  const reason = new Error('enough');
  let batchesAfterAbort = 0;
  const saved: string[] = [];
  await assert.rejects(
    trainModel(tinyOptions(input, out, { epochs: 50, batchSize: 2, signal: controller.signal }), {
      batchEnd: (e) => {
        if (controller.signal.aborted) batchesAfterAbort++;
        if (e.epoch === 2 && e.batch === 1) controller.abort(reason);
      },
      saved: (e) => void saved.push(e.dir),
    }),
    (e: unknown) => e === reason,
  );
  assert.equal(batchesAfterAbort, 0);
  assert.deepEqual(saved, [out], 'the saved event tells the caller a model was kept');
  const model = await loadModelDirectory(out);
  assert.equal(model.manifest.training.metrics.stoppedBy, 'interrupted');
  assert.equal(model.manifest.training.metrics.bestEpoch, 1);
});

test('the time limit stops training and keeps the weights it has', async () => {
  const { dir, input } = await tinyCsv();
  const out = path.join(dir, 'model');
  let stopped = '';
  const result = await trainModel(tinyOptions(input, out, { epochs: 50, batchSize: 2, maxMinutes: 1e-6 }), {
    stopped: (e) => (stopped = `${e.reason} after ${e.epochs} epochs, best ${e.bestEpoch}`),
  });
  assert.equal(result.stoppedBy, 'max-minutes');
  assert.equal(stopped, 'max-minutes after 0 epochs, best 0');
  assert.equal((await loadModelDirectory(out)).manifest.training.metrics.stoppedBy, 'max-minutes');
});

test('a plain text file trains a text model', async () => {
  const dir = await tempDirectory('synth-train-');
  const input = path.join(dir, 'lines.txt');
  await writeFile(input, Array.from({ length: 30 }, (_, i) => `line number ${i}, done`).join('\n'));
  const out = path.join(dir, 'model');
  await trainModel(tinyOptions(input, out, { epochs: 1 }));
  const m = (await loadModelDirectory(out)).manifest;
  assert.deepEqual(m.records, { kind: 'text' });
  assert.equal(m.tokenizer.fieldSeparator, -1);
});

test('an abort before the first epoch finishes saves nothing', async () => {
  const { dir, input } = await tinyCsv();
  const out = path.join(dir, 'model');
  const controller = new AbortController();
  await assert.rejects(
    trainModel(tinyOptions(input, out, { epochs: 5, batchSize: 2, signal: controller.signal }), {
      batchEnd: () => controller.abort('SIGTERM'),
    }),
    (e: unknown) => e === 'SIGTERM',
  );
  assert.deepEqual(await readdir(dir), ['people.csv']);
});

test('--epoch-records trains each epoch on that many records and validates on a fixed sample', async () => {
  const dir = await tempDirectory('synth-train-');
  const input = path.join(dir, 'many.csv');
  await writeFile(input, stringify([['id', 'tag'], ...Array.from({ length: 400 }, (_, i) => [`r${i}`, ['x', 'yy', 'zzz'][i % 3]!])]));
  const starts: { records: number; totalBatches: number }[] = [];
  const batches = new Map<number, number>();
  let started: Parameters<NonNullable<TrainObserver['started']>>[0] | undefined;
  const observer: TrainObserver = {
    started: (info) => (started = info),
    epochStart: (e) => starts.push({ records: e.records, totalBatches: e.totalBatches }),
    batchEnd: (e) => batches.set(e.epoch, e.batch),
  };
  const out = path.join(dir, 'model');
  await trainModel(tinyOptions(input, out, { epochs: 3, epochRecords: 40, patience: 10 }), observer);
  assert.deepEqual(started?.records, { train: 320, validation: 10 });
  assert.equal(started?.epochRecords, 40);
  assert.equal(started?.heldOut, 80);
  assert.deepEqual(starts.map((s) => s.records), [40, 40, 40]);
  // The bar's total is the sampled epoch's batches (40 records of ~8 tokens, windows of 16), not the whole part's.
  for (const [epoch, last] of batches) assert.equal(last, starts[epoch - 1]!.totalBatches);
  assert.ok(starts.every((s) => s.totalBatches <= 8), `the whole part would take about 40: ${JSON.stringify(starts)}`);
  const { manifest } = await loadModelDirectory(out);
  assert.equal(manifest.training.settings.epochRecords, 40);
  assert.equal(manifest.training.settings.validationSampleRecords, 10);
  assert.equal(manifest.training.settings.trainRecords, 320);
});

test('a signal aborted before the call rejects with its reason before any work, and saves nothing', async () => {
  const { dir, input } = await tinyCsv();
  const out = path.join(dir, 'model');
  const controller = new AbortController();
  controller.abort('SIGINT');
  const events: string[] = [];
  await assert.rejects(
    trainModel(tinyOptions(input, out, { signal: controller.signal }), {
      started: () => events.push('started'),
      stopped: (e) => events.push(`stopped ${e.reason} ${e.bestEpoch}`),
    }),
    (e: unknown) => e === 'SIGINT',
  );
  assert.deepEqual(events, []);
  assert.deepEqual(await readdir(dir), ['people.csv']);
});

test('--lstm-units auto: two layers of 128 for a tiny table, 256 for a small one, one layer from a million training tokens per epoch', async () => {
  assert.deepEqual(lstmUnitsFor(TINY_BELOW_TOKENS - 1), [128, 128]);
  assert.deepEqual(lstmUnitsFor(TINY_BELOW_TOKENS), [256, 256]);
  assert.deepEqual(lstmUnitsFor(ONE_LAYER_FROM_TOKENS - 1), [256, 256]);
  assert.deepEqual(lstmUnitsFor(ONE_LAYER_FROM_TOKENS), [256]);
  const { dir, input } = await tinyCsv();
  await trainModel(tinyOptions(input, path.join(dir, 'auto'), { lstmUnits: 'auto', epochs: 1 }));
  const { manifest } = await loadModelDirectory(path.join(dir, 'auto'));
  assert.deepEqual(manifest.architecture.lstmUnits, [128, 128], 'the size chosen is the one saved');
  assert.deepEqual(manifest.training.settings.lstmUnits, [128, 128]);
});
