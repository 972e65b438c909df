import { bundledModelDir } from '../model/bundledModel.js';
import { loadModelDirectory } from '../model/loadModelDirectory.js';
import type { SynthManifest } from '../model/manifest.js';

export interface ModelInfo {
  dir: string;
  /** synth.json: architecture, tokenizer, record kind and header, training settings and metrics. */
  manifest: SynthManifest;
}

/** Opens and checks a model directory (every file, shape and checksum); throws ModelError naming what is wrong. */
export async function loadModel(dir: string = bundledModelDir()): Promise<ModelInfo> {
  const { manifest } = await loadModelDirectory(dir);
  return { dir, manifest };
}
