/**
 * synth.json, format "synth-model" version 1: the self-description of a model directory.
 * The TF.js Layers files (model.json + weight shards) sit beside it; `weights` pins their bytes.
 */
export const MODEL_FORMAT = 'synth-model';
export const MODEL_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'synth.json';
export const LAYERS_FILE = 'model.json';

/** Layer names fixed by the format, so weights are found by name, not by position. */
export const LAYER_NAMES = {
  embedding: 'embedding',
  lstm: (i: number) => `lstm_${i + 1}`,
  dense: 'logits',
} as const;

export interface Architecture {
  /** Embedding -> LSTM x N -> Dense(vocab) producing logits. */
  kind: 'char-lstm';
  vocabSize: number;
  embeddingDim: number;
  lstmUnits: number[];
  dropout: number;
}

export interface TokenizerSpec {
  kind: 'char';
  /** vocab[id] is the character for that id; special tokens hold their ids' names below. */
  vocab: string[];
  /** Id of the end-of-record token; also the first input of every record. */
  endOfRecord: number;
  /** Id of the field separator token (present for delimited records, -1 otherwise). */
  fieldSeparator: number;
  /**
   * Positional separators: the id of the separator after field 1, 2, ... (header length - 1
   * entries, the first equal to fieldSeparator). Absent: one separator for every position.
   */
  fieldSeparators?: number[];
}

export type RecordKind =
  | { kind: 'text' }
  | { kind: 'delimited'; delimiter: string; header: string[] };

export interface TrainingSummary {
  settings: Record<string, unknown>;
  metrics: Record<string, number | string | null>;
}

export interface WeightsFileEntry {
  path: string;
  bytes: number;
  sha256: string;
}

export interface SynthManifest {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_FORMAT_VERSION;
  architecture: Architecture;
  tokenizer: TokenizerSpec;
  records: RecordKind;
  /** Longest record seen in training, in characters (separators count as one). */
  generation: { maxChars: number };
  training: TrainingSummary;
  weights: WeightsFileEntry[];
}

/** Row-major float32 weights of one LSTM layer, Keras layout (gates i, f, c, o). */
export interface LstmWeights {
  units: number;
  inputDim: number;
  /** [inputDim, 4 * units] */
  kernel: Float32Array;
  /** [units, 4 * units] */
  recurrentKernel: Float32Array;
  /** [4 * units] */
  bias: Float32Array;
}

/** All the numbers of a model, independent of any framework. */
export interface ModelWeights {
  vocabSize: number;
  embeddingDim: number;
  /** [vocabSize, embeddingDim] */
  embedding: Float32Array;
  lstm: LstmWeights[];
  /** [lastUnits, vocabSize] */
  denseKernel: Float32Array;
  /** [vocabSize] */
  denseBias: Float32Array;
}

/** A loaded, verified model directory. */
export interface LoadedModel {
  dir: string;
  manifest: SynthManifest;
  weights: ModelWeights;
}
