import { randomBytes } from 'node:crypto';
import { sha256 } from './checksum.js';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Tf } from '../tfjs/backend.js';
import { writeFailure } from '../output/writeFailure.js';
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

export type ManifestContent = Omit<SynthManifest, 'format' | 'version' | 'weights'>;

/**
 * Writes a complete model directory: TF.js Layers files plus synth.json with the weights' sha256.
 * Everything is written to a sibling temporary directory first and renamed into place, so a reader
 * (or a crash) never sees a half-written model. A process.exit() during the write (a second Ctrl-C)
 * removes the temporary directory on the way out; a write failure (disk full) names the directory.
 */
export async function writeModelDirectory(
  tf: Tf,
  dir: string,
  content: ManifestContent,
  weights: ModelWeights,
  options: { overwrite: boolean },
): Promise<SynthManifest> {
  const target = path.resolve(dir);
  const suffix = randomBytes(4).toString('hex');
  const staging = `${target}.tmp-${suffix}`;
  const old = `${target}.old-${suffix}`;
  // 'exit' listeners run on process.exit() and must be synchronous. An exit between the two renames
  // of an overwrite puts the previous model back; after a finished write this finds nothing to do.
  const cleanUpOnExit = (): void => {
    rmSync(staging, { recursive: true, force: true, maxRetries: 3 });
    if (!existsSync(old)) return;
    if (existsSync(target)) rmSync(old, { recursive: true, force: true });
    else renameSync(old, target);
  };
  process.on('exit', cleanUpOnExit);
  try {
    // Synchronous, so no mkdir is still in flight in the thread pool when an exit cleans up.
    mkdirSync(staging, { recursive: true });
    const model = buildLayersModel(tf, content.architecture);
    setLayersWeights(tf, model, weights);
    let weightData: Uint8Array | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const data = artifacts.weightData;
        if (!(data instanceof ArrayBuffer)) throw new Error('expected a single weights buffer');
        weightData = new Uint8Array(data);
        const layersJson = {
          format: 'layers-model',
          generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
          convertedBy: null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs }],
        };
        await writeFile(path.join(staging, LAYERS_FILE), JSON.stringify(layersJson));
        await writeFile(path.join(staging, WEIGHTS_FILE), weightData);
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    model.dispose();
    const manifest: SynthManifest = {
      format: MODEL_FORMAT,
      version: MODEL_FORMAT_VERSION,
      ...content,
      weights: [{ path: WEIGHTS_FILE, bytes: weightData!.byteLength, sha256: sha256(weightData!) }],
    };
    await writeFile(path.join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await replaceDirectory(staging, target, old, options.overwrite);
    return manifest;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw isFileSystemError(error) ? writeFailure(`the model directory ${dir}`, error) : error;
  } finally {
    process.off('exit', cleanUpOnExit);
  }
}

/** ENOSPC, EFBIG, EACCES...: errors of the disk, not of the model, worth a message naming the directory. */
function isFileSystemError(error: unknown): boolean {
  return typeof (error as { syscall?: unknown } | null)?.syscall === 'string';
}

async function replaceDirectory(staging: string, target: string, old: string, overwrite: boolean): Promise<void> {
  const exists = await stat(target).then(() => true, () => false);
  if (!exists) {
    await rename(staging, target);
    return;
  }
  if (!overwrite) throw new Error(`${target} already exists`);
  await rename(target, old);
  await rename(staging, target);
  await rm(old, { recursive: true, force: true });
}
