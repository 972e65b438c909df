import path from 'node:path';
import type { ModelWeights, RecordKind } from '../../src/model/manifest.js';
import { writeModelDirectory } from '../../src/model/writeModelDirectory.js';
import { CharTokenizer } from '../../src/tokenizer/charTokenizer.js';
import { profileRecords } from '../../src/schema/profileRecords.js';
import { modelFieldOrder, type FieldOrderMode } from '../../src/schema/fieldOrder.js';
import { isClosedSet } from '../../src/schema/schema.js';
import { loadTf } from '../../src/tfjs/backend.js';
import { tempDirectory } from './tempDirectory.js';

/** Deterministic pseudo-random floats in [-scale, scale), so test models are reproducible. */
export function randomFloats(n: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    out[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return out;
}

export function randomWeights(vocabSize: number, embeddingDim: number, lstmUnits: number[], seed = 1): ModelWeights {
  let inputDim = embeddingDim;
  const lstm = lstmUnits.map((units, i) => {
    const layer = {
      units,
      inputDim,
      kernel: randomFloats(inputDim * 4 * units, seed + 10 * i + 1, 0.3),
      recurrentKernel: randomFloats(units * 4 * units, seed + 10 * i + 2, 0.3),
      bias: randomFloats(4 * units, seed + 10 * i + 3, 0.1),
    };
    inputDim = units;
    return layer;
  });
  return {
    vocabSize,
    embeddingDim,
    embedding: randomFloats(vocabSize * embeddingDim, seed + 100, 0.5),
    lstm,
    denseKernel: randomFloats(inputDim * vocabSize, seed + 200, 0.5),
    denseBias: randomFloats(vocabSize, seed + 300, 0.1),
  };
}

export interface RandomModelOptions {
  records?: string[][];
  delimited?: boolean;
  header?: string[];
  embeddingDim?: number;
  lstmUnits?: number[];
  maxChars?: number;
  seed?: number;
  dir?: string;
  /** Profile a schema from `records` and store it; `valueTokens` gives closed-set fields value tokens. */
  /** `keys`: mark key columns as training does (default false: the suites' id columns stay plain fields). */
  /** `fieldTokens`: every field opened by its own token, so the model can write fields in any order (conditions written first). */
  schema?: { valueTokens: boolean; closedSetMaxValues?: number; fieldOrder?: FieldOrderMode; keys?: boolean; fieldTokens?: boolean };
}

/** Writes a model directory with random weights over the characters of `records`. */
export async function writeRandomModel(options: RandomModelOptions = {}): Promise<string> {
  const records = options.records ?? [['alice', '42', 'paris'], ['bob', '7', 'oslo, norway']];
  const delimited = options.delimited ?? true;
  const header = options.header ?? records[0]!.map((_, i) => `field${i + 1}`);
  const schema = options.schema
    ? profileRecords(records, delimited ? header : ['text'], { closedSetMaxValues: options.schema.closedSetMaxValues, keys: options.schema.keys ?? false })
    : undefined;
  const valueSets = schema && options.schema!.valueTokens ? schema.fields.map((f) => (isClosedSet(f) ? f.values : undefined)) : [];
  const order = schema && delimited && options.schema!.fieldOrder ? modelFieldOrder(schema, options.schema!.fieldOrder) : undefined;
  const tokenizer = CharTokenizer.fromRecords(records, delimited, valueSets, order, { fieldTokens: options.schema?.fieldTokens === true });
  const embeddingDim = options.embeddingDim ?? 16;
  const lstmUnits = options.lstmUnits ?? [24, 24];
  const records_: RecordKind = delimited
    ? { kind: 'delimited', delimiter: ',', header }
    : { kind: 'text' };
  const dir = options.dir ?? path.join(await tempDirectory('synth-test-'), 'model');
  const { tf } = await loadTf('wasm');
  await writeModelDirectory(
    tf,
    dir,
    {
      architecture: { kind: 'char-lstm', vocabSize: tokenizer.vocabSize, embeddingDim, lstmUnits, dropout: 0.2 },
      tokenizer: tokenizer.spec,
      records: records_,
      generation: { maxChars: options.maxChars ?? 60 },
      training: { settings: { random: true }, metrics: {} },
      ...(schema ? { schema } : {}),
    },
    randomWeights(tokenizer.vocabSize, embeddingDim, lstmUnits, options.seed ?? 1),
    { overwrite: false },
  );
  return dir;
}
