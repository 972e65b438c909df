import type { MarginalCalibration } from '../schema/marginalCalibration.js';
import type { RecordSchema } from '../schema/schema.js';

/**
 * synth.json, format "synth-model" version 1: the self-description of a model directory.
 * The TF.js Layers files (model.json + weight shards) sit beside it; `weights` pins their bytes.
 */
export const MODEL_FORMAT = 'synth-model';
/** Written by this synth; version 2 adds the optional schema and value tokens. */
export const MODEL_FORMAT_VERSION = 2;
/** Versions this synth reads: version 1 models (no schema, characters only) keep loading. */
export const READABLE_FORMAT_VERSIONS: readonly number[] = [1, 2];
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
  /**
   * Value tokens (format version 2): one token per value of a closed-set field, so the model
   * chooses the value with one softmax. `field` is the 0-based field index; vocab[id] is a display
   * name such as "<F10:basic>". Absent: every field is written in characters.
   */
  valueTokens?: ValueToken[];
  /**
   * The order the model writes a record's fields in: fieldOrder[p] is the table's field (0-based)
   * at model position p; separators and masks follow model positions, decoded records are put
   * back in the table's order. Absent: the table's order. Requires positional separators.
   */
  fieldOrder?: number[];
  /**
   * Table fields (0-based) the model was trained on as blank: key columns, whose values synth
   * writes at generation (schema.ts KeySpec), so the model spends one separator step on them.
   * Absent: every field was trained on its values.
   */
  blankFields?: number[];
  /**
   * Field tokens: fieldTokens[f] is the id of the token that opens table field f (0-based). A
   * record is written as [token of field a, a's value, token of field b, b's value, ...,
   * end-of-record] in any order of the fields, so a model trained on shuffled orders can write
   * the fields a user fixes first (--where). `fieldOrder` is then the order the model writes in
   * when nothing is fixed. Replaces positional separators (fieldSeparators absent;
   * fieldSeparator is fieldTokens[0]). Absent: positional separators.
   */
  fieldTokens?: number[];
  /**
   * Copy tokens: token `id`, inside the text of field `field`, stands for the value of field
   * `source` of the same record (lower-cased, letters and digits only when `normalized`), so an
   * e-mail is learned as "first name, dot, last name" rather than spelled. Absent: none.
   */
  copyTokens?: CopyToken[];
}

export interface CopyToken {
  id: number;
  field: number;
  source: number;
  normalized: boolean;
}

export interface ValueToken {
  id: number;
  field: number;
  value: string;
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

export interface LayersFileEntry {
  path: string;
  sha256: string;
}

export interface SynthManifest {
  format: typeof MODEL_FORMAT;
  version: number;
  architecture: Architecture;
  tokenizer: TokenizerSpec;
  records: RecordKind;
  /** Longest record seen in training, in characters (separators count as one). */
  generation: { maxChars: number };
  training: TrainingSummary;
  weights: WeightsFileEntry[];
  /**
   * The TF.js Layers file synth reads, when it is not model.json: a model replaced in place names
   * an immutable model-HASH.json here, so synth.json alone decides which files make the model (see
   * writeModelDirectory). model.json then holds the same bytes, for TF.js tools.
   */
  layers?: LayersFileEntry;
  /** The learned field schema (version 2); absent in older models, which generate unconstrained. */
  schema?: RecordSchema;
  /**
   * Per-field logit biases fitted after training so generated values follow the training data's
   * distribution (schema/marginalCalibration.ts); applied with the schema's masks. Absent: none.
   */
  calibration?: MarginalCalibration;
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
