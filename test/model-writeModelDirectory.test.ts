import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ModelError } from '../src/errors.js';
import { loadModelDirectory } from '../src/model/loadModelDirectory.js';
import { recoverModelSiblings, writeModelDirectory, type ManifestContent } from '../src/model/writeModelDirectory.js';
import { loadTf } from '../src/tfjs/backend.js';
import { randomWeights, writeRandomModel } from './helpers/randomModel.js';

let work: string;
let modelA: string;
before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'synth-write-model-'));
  modelA = await writeRandomModel({ dir: path.join(work, 'a'), embeddingDim: 4, lstmUnits: [8], seed: 1 });
});
after(() => rm(work, { recursive: true, force: true }));

/** Replaces `dir` in place with model A's manifest and the weights of `seed`. */
async function replaceWith(dir: string, seed: number): Promise<void> {
  const { manifest } = await loadModelDirectory(modelA);
  const { format: _f, version: _v, weights: _w, layers: _l, ...content } = manifest;
  const { tf } = await loadTf('wasm');
  await writeModelDirectory(tf, dir, content as ManifestContent, randomWeights(manifest.architecture.vocabSize, 4, [8], seed), { overwrite: true });
}

test('a replace in place names content-addressed files in synth.json, copies the Layers file to model.json, and removes only the old model\'s files', async () => {
  const dir = path.join(work, 'in-place');
  await cp(modelA, dir, { recursive: true });
  await writeFile(path.join(dir, 'NOTES.md'), 'mine');
  await replaceWith(dir, 2);
  const names = (await readdir(dir)).sort();
  assert.equal(names.length, 5, names.join(' '));
  assert.ok(names.includes('NOTES.md') && names.includes('synth.json') && names.includes('model.json') && !names.includes('weights.bin'), names.join(' '));
  const manifest = JSON.parse(await readFile(path.join(dir, 'synth.json'), 'utf8'));
  assert.match(manifest.layers.path, /^model-[0-9a-f]{16}\.json$/);
  assert.match(manifest.weights[0].path, /^weights-[0-9a-f]{16}\.bin$/);
  assert.equal(await readFile(path.join(dir, 'model.json'), 'utf8'), await readFile(path.join(dir, manifest.layers.path), 'utf8'));
  const loaded = await loadModelDirectory(dir);
  assert.deepEqual(loaded.weights.denseBias, randomWeights(manifest.architecture.vocabSize, 4, [8], 2).denseBias);
});

test('the Layers file synth.json names is checked against its sha256, by name', async () => {
  const dir = path.join(work, 'corrupt-layers');
  await cp(modelA, dir, { recursive: true });
  await replaceWith(dir, 3);
  const { layers } = JSON.parse(await readFile(path.join(dir, 'synth.json'), 'utf8'));
  await writeFile(path.join(dir, layers.path), (await readFile(path.join(dir, layers.path), 'utf8')).replace('"float32"', '"float32" '));
  await assert.rejects(loadModelDirectory(dir), (e: unknown) => e instanceof ModelError && e.message === `${path.join(dir, layers.path)} does not match the sha256 in synth.json; the file is corrupt`);
});

test('siblings a killed run left: a model moved aside comes back when --out is missing; dead writers\' staging goes; a live writer\'s stays', async () => {
  const parent = path.join(work, 'siblings');
  await mkdir(parent);
  const out = path.join(parent, 'model');
  const deadPid = Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());
  await cp(modelA, `${out}.old-0123abcd`, { recursive: true }); // synth before this layout, killed between its two renames
  await mkdir(`${out}.tmp-89abcdef`); // its staging directory
  await mkdir(`${out}.tmp-${deadPid}-00000000`);
  await mkdir(`${out}.tmp-${process.pid}-11111111`);
  recoverModelSiblings(out);
  assert.deepEqual((await readdir(parent)).sort(), ['model', `model.tmp-${process.pid}-11111111`]);
  await loadModelDirectory(out);

  await cp(modelA, `${out}.old-4567abcd`, { recursive: true });
  recoverModelSiblings(out);
  assert.deepEqual((await readdir(parent)).sort(), ['model', `model.tmp-${process.pid}-11111111`], 'with --out present, the old copy is removed');
});
