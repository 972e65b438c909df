import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { loadModelDirectory } from '../src/model/loadModelDirectory.js';
import { ModelError } from '../src/errors.js';
import { writeRandomModel } from './helpers/randomModel.js';

test('a written model directory loads back with the same weights and manifest', async () => {
  const dir = await writeRandomModel({ seed: 7 });
  const model = await loadModelDirectory(dir);
  assert.equal(model.manifest.format, 'synth-model');
  assert.equal(model.weights.lstm.length, 2);
  assert.equal(model.weights.embedding.length, model.weights.vocabSize * 16);
  assert.equal(model.weights.lstm[1]!.recurrentKernel.length, 24 * 96);
  const layers = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
  const names = layers.weightsManifest[0].weights.map((w: { name: string }) => w.name);
  assert.deepEqual(names, [
    'embedding/embeddings', 'lstm_1/kernel', 'lstm_1/recurrent_kernel', 'lstm_1/bias',
    'lstm_2/kernel', 'lstm_2/recurrent_kernel', 'lstm_2/bias', 'logits/kernel', 'logits/bias',
  ]);
});

test('a weights file truncated by one byte is reported by name', async () => {
  const dir = await writeRandomModel();
  const file = path.join(dir, 'weights.bin');
  const bytes = await readFile(file);
  await writeFile(file, bytes.subarray(0, bytes.length - 1));
  await assert.rejects(loadModelDirectory(dir), (e: unknown) => e instanceof ModelError && /weights\.bin.*truncated/.test(e.message));
});
