import { readFile, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { ModelError } from '../errors.js';
import { sha256 } from './checksum.js';
import {
  LAYER_NAMES,
  LAYERS_FILE,
  MANIFEST_FILE,
  type LoadedModel,
  type ModelWeights,
  type SynthManifest,
} from './manifest.js';
import { checkManifest } from './checkManifest.js';

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

/**
 * Reads and verifies a model directory without running any of it: every file, the weights'
 * checksums, and every tensor shape against the architecture. Failures name the file and field.
 * Loading never evaluates code from the model (JSON and raw float32 only).
 */
export async function loadModelDirectory(dir: string): Promise<LoadedModel> {
  const root = path.resolve(dir);
  const info = await stat(root).catch(() => null);
  if (!info) throw new ModelError(`model directory ${dir} does not exist; train one with \`synth train --input FILE --out ${dir}\``);
  if (!info.isDirectory()) throw new ModelError(`model path ${dir} is not a directory`);
  const manifestPath = path.join(root, MANIFEST_FILE);
  // `synth train --overwrite` may replace the model while it is read: synth.json is the switch and
  // the files it names are never rewritten, only removed once synth.json names others. A failure
  // after synth.json changed is such a race, and a fresh read sees the whole new model.
  // A replaced synth.json is a new inode (the writer renames a new file over it); stat, unlike a
  // read, cannot hang on a FIFO planted there.
  const identity = (): Promise<string | null> => stat(manifestPath).then((s) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`, () => null);
  for (let attempt = 1; ; attempt++) {
    const before = await identity();
    try {
      return await readModelDirectory(dir, root);
    } catch (error) {
      const after = await identity();
      const replaced = before !== null && after !== null && before !== after;
      if (!(error instanceof ModelError) || !replaced || attempt === MAX_READ_ATTEMPTS) throw error;
    }
  }
}

const MAX_READ_ATTEMPTS = 5;

async function readModelDirectory(dir: string, root: string): Promise<LoadedModel> {
  const realRoot = await realpath(root);
  const manifestPath = path.join(root, MANIFEST_FILE);
  const manifest = checkManifest(await readJson(realRoot, manifestPath, `${dir} is not a synth model directory (no ${MANIFEST_FILE})`), manifestPath);

  const layersPath = path.join(root, manifest.layers?.path ?? LAYERS_FILE);
  const layers = (await readJson(realRoot, layersPath, `${layersPath} is missing; the model directory is incomplete`, manifest.layers?.sha256)) as { modelTopology?: unknown; weightsManifest?: unknown } | null;
  const groups = layers?.weightsManifest;
  if (typeof layers?.modelTopology !== 'object' || !Array.isArray(groups)) {
    throw new ModelError(`${layersPath} is not a TensorFlow.js Layers model (no modelTopology or weightsManifest)`);
  }

  const specs: WeightSpec[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of groups as { paths?: unknown; weights?: unknown }[]) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights)) {
      throw new ModelError(`${layersPath}: weightsManifest entries need "paths" and "weights"`);
    }
    for (const relative of group.paths as unknown[]) buffers.push(await readWeightsFile(root, realRoot, relative, manifest, layersPath));
    specs.push(...(group.weights as unknown[]).map((spec, i) => checkWeightSpec(spec, `${layersPath}: weightsManifest weights[${i}]`)));
  }
  const data = concat(buffers);
  return { dir: root, manifest, weights: toModelWeights(data, specs, manifest, layersPath) };
}

/** `sha256`, when synth.json records one, is checked before the text is parsed. */
async function readJson(realRoot: string, file: string, missingMessage: string, sha256Expected?: string): Promise<unknown> {
  await checkModelFile(realRoot, file, missingMessage);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    throw new ModelError(missingMessage);
  }
  if (sha256Expected !== undefined && sha256(bytes) !== sha256Expected) {
    throw new ModelError(`${file} does not match the sha256 in ${MANIFEST_FILE}; the file is corrupt`);
  }
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 quotes the text around the fault, newlines included: keep the message on one line.
    throw new ModelError(`${file} is not valid JSON (${(error as Error).message.replace(/\s*\n\s*/g, ' ')}); the file is corrupt, retrain or restore the model`);
  }
}

/**
 * A model file is read only if it is a regular file inside the model directory once symbolic
 * links are followed: a link to /dev/zero, a FIFO or a file elsewhere would otherwise be read
 * (forever, or from outside the directory).
 */
async function checkModelFile(realRoot: string, file: string, missingMessage: string): Promise<Stats> {
  const info = await stat(file).catch(() => null);
  if (!info) throw new ModelError(missingMessage);
  if (!info.isFile()) throw new ModelError(`${file} is not a regular file; refusing to read it`);
  // Removed between the two calls (a replace finished): the same as missing, which the caller's retry handles.
  const real = await realpath(file).catch(() => null);
  if (real === null) throw new ModelError(missingMessage);
  if (path.dirname(real) !== realRoot) {
    throw new ModelError(`${file} is a link to ${real}, outside the model directory; refusing to read it`);
  }
  return info;
}

async function readWeightsFile(root: string, realRoot: string, relative: unknown, manifest: SynthManifest, layersPath: string): Promise<Uint8Array> {
  if (typeof relative !== 'string') throw new ModelError(`${layersPath}: a weights path is not a string`);
  const resolved = path.resolve(root, relative);
  if (path.dirname(resolved) !== root) {
    throw new ModelError(`${layersPath}: weights path ${JSON.stringify(relative)} points outside the model directory; refusing to read it`);
  }
  const name = path.basename(resolved);
  const entry = manifest.weights.find((w) => w.path === name);
  if (!entry) throw new ModelError(`${layersPath}: weights file ${name} is not listed in ${MANIFEST_FILE} "weights"`);
  const info = await checkModelFile(realRoot, resolved, `weights file ${resolved} is missing`);
  // Checked before reading, so a huge stray file is refused without being read.
  if (info.size !== entry.bytes) {
    throw new ModelError(`weights file ${resolved} has ${info.size} bytes, ${MANIFEST_FILE} says ${entry.bytes}; the file is truncated or corrupt`);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(resolved);
  } catch {
    throw new ModelError(`weights file ${resolved} cannot be read`);
  }
  if (bytes.byteLength !== entry.bytes) {
    throw new ModelError(`weights file ${resolved} has ${bytes.byteLength} bytes, ${MANIFEST_FILE} says ${entry.bytes}; the file is truncated or corrupt`);
  }
  if (sha256(bytes) !== entry.sha256) {
    throw new ModelError(`weights file ${resolved} does not match the sha256 in ${MANIFEST_FILE}; the file is corrupt`);
  }
  return bytes;
}

/** A weights manifest entry from model.json, checked before its shape is used in arithmetic. */
function checkWeightSpec(value: unknown, where: string): WeightSpec {
  const spec = value as Partial<WeightSpec> | null;
  if (
    typeof spec !== 'object' || spec === null || typeof spec.name !== 'string' || typeof spec.dtype !== 'string' ||
    !Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0)
  ) {
    throw new ModelError(`${where} needs "name", "dtype" and a "shape" of whole numbers`);
  }
  return spec as WeightSpec;
}

function concat(buffers: Uint8Array[]): Uint8Array {
  if (buffers.length === 1) return buffers[0]!;
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    out.set(b, offset);
    offset += b.byteLength;
  }
  return out;
}

function toModelWeights(data: Uint8Array, specs: WeightSpec[], manifest: SynthManifest, layersPath: string): ModelWeights {
  const arch = manifest.architecture;
  const byName = new Map<string, Float32Array>();
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32') throw new ModelError(`${layersPath}: weight ${spec.name} has dtype ${spec.dtype}; only float32 is supported`);
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const end = offset + count * 4;
    if (end > data.byteLength) throw new ModelError(`${layersPath}: weight ${spec.name} runs past the end of the weights data`);
    // Copy (Buffer#slice would share the pool) so the array is aligned whatever the file offset.
    const values = new Float32Array(count);
    new Uint8Array(values.buffer).set(data.subarray(offset, end));
    byName.set(spec.name, values);
    offset = end;
  }
  if (offset !== data.byteLength) throw new ModelError(`${layersPath}: weights data has ${data.byteLength - offset} bytes not described by the manifest`);

  const shapeOf = new Map(specs.map((s) => [s.name, s.shape]));
  /** `fields` names the synth.json fields behind each dimension, so a mismatch says what to compare. */
  const take = (name: string, shape: number[], fields: string): Float32Array => {
    const actual = shapeOf.get(name);
    const values = byName.get(name);
    if (!actual || !values) throw new ModelError(`${layersPath}: weight ${name} is missing`);
    if (actual.length !== shape.length || actual.some((d, i) => d !== shape[i])) {
      throw new ModelError(`${layersPath}: weight ${name} has shape [${actual}], the architecture in ${MANIFEST_FILE} needs [${shape}] = [${fields}]`);
    }
    return values;
  };

  const V = arch.vocabSize;
  const E = arch.embeddingDim;
  const embedding = take(`${LAYER_NAMES.embedding}/embeddings`, [V, E], 'architecture.vocabSize, architecture.embeddingDim');
  let inputDim = E;
  const unitsField = (i: number) => `architecture.lstmUnits[${i}]`;
  const lstm = arch.lstmUnits.map((units, i) => {
    const name = LAYER_NAMES.lstm(i);
    const inputField = i === 0 ? 'architecture.embeddingDim' : unitsField(i - 1);
    const layer = {
      units,
      inputDim,
      kernel: take(`${name}/kernel`, [inputDim, 4 * units], `${inputField}, 4 × ${unitsField(i)}`),
      recurrentKernel: take(`${name}/recurrent_kernel`, [units, 4 * units], `${unitsField(i)}, 4 × ${unitsField(i)}`),
      bias: take(`${name}/bias`, [4 * units], `4 × ${unitsField(i)}`),
    };
    inputDim = units;
    return layer;
  });
  return {
    vocabSize: V,
    embeddingDim: E,
    embedding,
    lstm,
    denseKernel: take(`${LAYER_NAMES.dense}/kernel`, [inputDim, V], `${unitsField(arch.lstmUnits.length - 1)}, architecture.vocabSize`),
    denseBias: take(`${LAYER_NAMES.dense}/bias`, [V], 'architecture.vocabSize'),
  };
}
