import { UsageError } from '../errors.js';
import { bundledModelDir } from '../model/bundledModel.js';
import { loadModelDirectory } from '../model/loadModelDirectory.js';
import type { LoadedModel, RecordKind, SynthManifest } from '../model/manifest.js';
import { recordStream, type GenerateOptions, type RecordStream } from './generate.js';

/** A model directory read and checked once, to generate from as often as wanted. */
export interface SynthModel extends AsyncDisposable {
  dir: string;
  /** synth.json: architecture, tokenizer, record kind and header, training settings and metrics. */
  manifest: SynthManifest;
  /** The shape of its records: plain text, or delimited with a header. */
  records: RecordKind;
  /** generate() from this model without reading it again; the options are generate's, less `model`. */
  generate(options?: Omit<GenerateOptions, 'model'>): RecordStream;
  /** Lets go of the weights; generate() then throws. Runs already started finish on their own. */
  close(): Promise<void>;
}

/**
 * Opens and checks a model directory (every file, shape and checksum) once; throws ModelError
 * naming what is wrong. `await using model = await loadModel(dir)` closes it at the end of the block.
 */
export async function loadModel(dir: string = bundledModelDir(), options: { signal?: AbortSignal } = {}): Promise<SynthModel> {
  options.signal?.throwIfAborted();
  let loaded: LoadedModel | undefined = await loadModelDirectory(dir);
  options.signal?.throwIfAborted();
  const { manifest } = loaded;
  const close = async () => {
    loaded = undefined;
  };
  return {
    dir,
    manifest,
    records: manifest.records,
    generate(options = {}) {
      if (loaded === undefined) throw new UsageError(`the model ${dir} was closed; call loadModel again to generate from it`);
      return recordStream({ ...options, model: dir }, loaded);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
