import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { sha256 } from './checksum.js';
import { deadTemporarySiblings, replaceFileDurably, fsyncPath, temporarySibling, writeFileDurably } from '../files/durableFiles.js';
import type { Tf } from '../tfjs/backend.js';
import { writeFailure } from '../files/writeFailure.js';
import { buildLayersModel, setLayersWeights } from './layersModel.js';
import {
  LAYERS_FILE,
  MANIFEST_FILE,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelWeights,
  type SynthManifest,
} from './manifest.js';

export const WEIGHTS_FILE = 'weights.bin';

export type ManifestContent = Omit<SynthManifest, 'format' | 'version' | 'weights' | 'layers'>;

/*
 * Why a model directory is whole at every instant, whatever moment the writer is killed (SIGKILL,
 * power loss) and whoever reads it meanwhile.
 *
 * synth reads synth.json first and then only the files it names (`layers`, default model.json, and
 * `weights`). So synth.json is the one switch, and the argument is about which files it names.
 *
 * A new directory is written complete, each file fsynced, in a sibling `OUT.tmp-PID-XXXXXXXX`,
 * which is fsynced and renamed to OUT (then OUT's parent is fsynced). Before that rename OUT does
 * not exist; after it, OUT is complete. Files: synth.json, model.json, weights.bin.
 *
 * An existing directory (--overwrite) cannot be swapped for another in one step (Linux has
 * renameat2(RENAME_EXCHANGE), Node has no binding), so it is changed in place:
 *   1. weights-H.bin and model-H.json (H: a prefix of the sha256 of the bytes) are each written
 *      to a temporary name, fsynced and renamed into place; then the directory is fsynced.
 *      synth.json still names the old files, which are untouched: readers see the old model.
 *   2. synth.json is replaced by rename (written and fsynced first), naming model-H.json and
 *      weights-H.bin; the directory is fsynced. This rename is the switch. Before it the old
 *      synth.json names only old files; after it the new one names only new files, all on disk
 *      (step 1 synced them and their directory entries before the switch could become durable).
 *   3. model.json, the file TF.js tools open, is replaced by rename with model-H.json's bytes. Before
 *      it, it names the old weights (still present); after it, the new ones.
 *   4. Files the old synth.json named and the new one does not, and leftovers of killed runs
 *      (unnamed weights-*.bin / model-*.json, temporary files of dead writers) are removed.
 * A file is never rewritten once synth.json names it: the content-derived names mean a same-named
 * file has the same bytes. A kill between any two steps leaves the old model or the new one, plus
 * unnamed files that no reader opens and the next write removes.
 *
 * A reader racing a replace reads synth.json, then the files it names; if step 4 removed one of them
 * meanwhile, the read fails, synth.json has changed, and loadModelDirectory reads again. Files it
 * already opened stay readable after removal. synth before this layout ignores `layers` and reads
 * model.json: between steps 2 and 3 it fails with a weights file not listed, never wrong weights.
 */

/**
 * Writes a complete model directory: TF.js Layers files plus synth.json with the weights' sha256,
 * crash-safe as argued above. A write failure (disk full) names the directory.
 */
export async function writeModelDirectory(
  tf: Tf,
  dir: string,
  content: ManifestContent,
  weights: ModelWeights,
  options: { overwrite: boolean },
): Promise<SynthManifest> {
  const target = path.resolve(dir);
  const layers = await serializeLayers(tf, content, weights);
  try {
    recoverModelSiblings(target);
    if (statSync(target, { throwIfNoEntry: false }) === undefined) return writeNewDirectory(target, content, layers);
    if (!options.overwrite) throw new Error(`${target} already exists`);
    return replaceInPlace(target, content, layers);
  } catch (error) {
    throw isFileSystemError(error) ? writeFailure(`the model directory ${dir}`, error) : error;
  }
}

interface SerializedLayers {
  /** model.json's text for a given weights file name. */
  layersJson(weightsFile: string): string;
  weightData: Uint8Array;
}

async function serializeLayers(tf: Tf, content: ManifestContent, weights: ModelWeights): Promise<SerializedLayers> {
  const model = buildLayersModel(tf, content.architecture);
  setLayersWeights(tf, model, weights);
  let result: SerializedLayers | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      if (!(data instanceof ArrayBuffer)) throw new Error('expected a single weights buffer');
      result = {
        weightData: new Uint8Array(data),
        layersJson: (weightsFile) =>
          JSON.stringify({
            format: 'layers-model',
            generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
            convertedBy: null,
            modelTopology: artifacts.modelTopology,
            weightsManifest: [{ paths: [`./${weightsFile}`], weights: artifacts.weightSpecs }],
          }),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  return result!;
}

function manifestOf(content: ManifestContent, weightsFile: string, weightData: Uint8Array, layers?: { path: string; text: string }): SynthManifest {
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    ...content,
    weights: [{ path: weightsFile, bytes: weightData.byteLength, sha256: sha256(weightData) }],
    ...(layers ? { layers: { path: layers.path, sha256: sha256(Buffer.from(layers.text, 'utf8')) } } : {}),
  };
}

const manifestText = (manifest: SynthManifest): string => `${JSON.stringify(manifest, null, 2)}\n`;

function writeNewDirectory(target: string, content: ManifestContent, layers: SerializedLayers): SynthManifest {
  const staging = temporarySibling(target);
  // 'exit' listeners run on process.exit() (a second Ctrl-C) and must be synchronous.
  const removeStaging = (): void => rmSync(staging, { recursive: true, force: true, maxRetries: 3 });
  process.on('exit', removeStaging);
  try {
    mkdirSync(staging, { recursive: true });
    const manifest = manifestOf(content, WEIGHTS_FILE, layers.weightData);
    writeFileDurably(path.join(staging, WEIGHTS_FILE), layers.weightData);
    writeFileDurably(path.join(staging, LAYERS_FILE), layers.layersJson(WEIGHTS_FILE));
    writeFileDurably(path.join(staging, MANIFEST_FILE), manifestText(manifest));
    fsyncPath(staging);
    renameSync(staging, target);
    fsyncPath(path.dirname(target));
    return manifest;
  } catch (error) {
    removeStaging();
    throw error;
  } finally {
    process.off('exit', removeStaging);
  }
}

function replaceInPlace(target: string, content: ManifestContent, layers: SerializedLayers): SynthManifest {
  const previous = filesNamedBy(target);
  const weightsFile = `weights-${sha256(layers.weightData).slice(0, 16)}.bin`;
  const layersText = layers.layersJson(weightsFile);
  const layersFile = `model-${sha256(Buffer.from(layersText, 'utf8')).slice(0, 16)}.json`;
  const manifest = manifestOf(content, weightsFile, layers.weightData, { path: layersFile, text: layersText });

  replaceFileDurably(path.join(target, weightsFile), layers.weightData);
  replaceFileDurably(path.join(target, layersFile), layersText);
  fsyncPath(target);
  replaceFileDurably(path.join(target, MANIFEST_FILE), manifestText(manifest), { syncDir: true });
  replaceFileDurably(path.join(target, LAYERS_FILE), layersText, { syncDir: true });

  const current = new Set([MANIFEST_FILE, LAYERS_FILE, weightsFile, layersFile]);
  const stale = readdirSync(target).filter((name) => !current.has(name) && (previous.has(name) || CONTENT_NAMED.test(name)));
  for (const name of [...stale, ...deadTemporarySiblings(target)]) rmSync(path.join(target, name), { force: true });
  fsyncPath(target);
  return manifest;
}

/** Names of files an in-place write creates; any not named by synth.json is a leftover. */
const CONTENT_NAMED = /^(?:weights-[0-9a-f]{16}\.bin|model-[0-9a-f]{16}\.json)$/;

/** The files the directory's current synth.json names; none when it has no readable synth.json. */
function filesNamedBy(dir: string): Set<string> {
  try {
    const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Partial<SynthManifest>;
    const names = [...(manifest.weights ?? []).map((w) => w.path), manifest.layers?.path ?? LAYERS_FILE];
    return new Set(names.filter((name) => typeof name === 'string' && path.basename(name) === name));
  } catch {
    return new Set();
  }
}

/**
 * Siblings of OUT that killed runs left: staging directories of dead writers are removed; a
 * `OUT.old-XXXXXXXX` (synth before this layout moved the old model aside there while replacing it)
 * is put back when OUT is missing, else removed. None of them is ever read as a model.
 */
export function recoverModelSiblings(dir: string): void {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  const base = path.basename(target);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of deadTemporarySiblings(parent, base)) rmSync(path.join(parent, name), { recursive: true, force: true });
  for (const name of names) {
    const legacy = /^(.*)\.(tmp|old)-[0-9a-f]{8}$/.exec(name);
    if (!legacy || legacy[1] !== base) continue;
    const sibling = path.join(parent, name);
    const complete = statSync(path.join(sibling, MANIFEST_FILE), { throwIfNoEntry: false }) !== undefined;
    if (legacy[2] === 'old' && complete && statSync(target, { throwIfNoEntry: false }) === undefined) renameSync(sibling, target);
    else rmSync(sibling, { recursive: true, force: true });
  }
}

/** ENOSPC, EFBIG, EACCES...: errors of the disk, not of the model, worth a message naming the directory. */
function isFileSystemError(error: unknown): boolean {
  return typeof (error as { syscall?: unknown } | null)?.syscall === 'string';
}
