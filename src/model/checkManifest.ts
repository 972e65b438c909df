import { ModelError } from '../errors.js';
import { isJsonObject, jsonPreview } from '../files/jsonPreview.js';
import { findSchemaProblem } from '../schema/checkSchema.js';
import { findCalibrationProblem } from '../schema/marginalCalibration.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, READABLE_FORMAT_VERSIONS, type SynthManifest } from './manifest.js';

/** Checks the shape of a parsed synth.json and returns it typed; errors name the file and field. */
export function checkManifest(value: unknown, file: string): SynthManifest {
  const fail = (field: string, problem: string): never => {
    throw new ModelError(`${file}: field "${field}" ${problem}`);
  };
  if (!isJsonObject(value)) return fail('(root)', 'must be a JSON object');
  if (value.format !== MODEL_FORMAT) fail('format', `is ${jsonPreview(value.format)}, expected "${MODEL_FORMAT}"`);
  if (!READABLE_FORMAT_VERSIONS.includes(value.version as number)) {
    fail('version', `is ${jsonPreview(value.version)}; this synth reads versions ${READABLE_FORMAT_VERSIONS.join(' and ')} (upgrade synth or retrain the model)`);
  }

  const arch = value.architecture;
  if (!isJsonObject(arch)) return fail('architecture', 'is missing');
  if (arch.kind !== 'char-lstm') fail('architecture.kind', `is ${jsonPreview(arch.kind)}, expected "char-lstm"`);
  for (const key of ['vocabSize', 'embeddingDim'] as const) if (!isPositiveInt(arch[key])) fail(`architecture.${key}`, 'must be a positive integer');
  if (!Array.isArray(arch.lstmUnits) || arch.lstmUnits.length === 0 || !arch.lstmUnits.every(isPositiveInt)) {
    fail('architecture.lstmUnits', 'must be a non-empty list of positive integers');
  }
  if (typeof arch.dropout !== 'number' || arch.dropout < 0 || arch.dropout >= 1) fail('architecture.dropout', 'must be a number in [0, 1)');

  const tok = value.tokenizer;
  if (!isJsonObject(tok)) return fail('tokenizer', 'is missing');
  if (tok.kind !== 'char') fail('tokenizer.kind', `is ${jsonPreview(tok.kind)}, expected "char"`);
  if (!Array.isArray(tok.vocab) || !tok.vocab.every((s) => typeof s === 'string' && s.length > 0)) {
    fail('tokenizer.vocab', 'must be a list of non-empty strings');
  }
  const vocab = tok.vocab as string[];
  if (vocab.length !== arch.vocabSize) {
    fail('tokenizer.vocab', `has ${vocab.length} entries but architecture.vocabSize is ${String(arch.vocabSize)}`);
  }
  if (new Set(vocab).size !== vocab.length) fail('tokenizer.vocab', 'has duplicate entries');
  if (!isIndex(tok.endOfRecord, vocab.length)) fail('tokenizer.endOfRecord', 'must be an index into tokenizer.vocab');
  if (tok.fieldSeparator !== -1 && !isIndex(tok.fieldSeparator, vocab.length)) {
    fail('tokenizer.fieldSeparator', 'must be an index into tokenizer.vocab, or -1');
  }

  if (tok.fieldSeparators !== undefined) {
    const seps = tok.fieldSeparators;
    if (!Array.isArray(seps) || seps.length === 0 || !seps.every((id) => isIndex(id, vocab.length)) || new Set(seps).size !== seps.length) {
      fail('tokenizer.fieldSeparators', 'must be a list of distinct indices into tokenizer.vocab');
    }
    if ((seps as number[])[0] !== tok.fieldSeparator) fail('tokenizer.fieldSeparators', 'must start with tokenizer.fieldSeparator');
    if ((seps as number[]).includes(tok.endOfRecord as number)) fail('tokenizer.fieldSeparators', 'must not hold tokenizer.endOfRecord');
  }

  if (tok.fieldOrder !== undefined && (!isJsonObject(value.records) || value.records.kind !== 'delimited')) fail('tokenizer.fieldOrder', 'is only for delimited records');
  if (tok.valueTokens !== undefined) {
    if (value.version !== MODEL_FORMAT_VERSION) fail('tokenizer.valueTokens', `needs format version ${MODEL_FORMAT_VERSION}`);
    const tokens = tok.valueTokens;
    const ok =
      Array.isArray(tokens) &&
      tokens.every((t) => isJsonObject(t) && isIndex(t.id, vocab.length) && Number.isSafeInteger(t.field) && (t.field as number) >= 0 && typeof t.value === 'string' && t.value !== '') &&
      new Set(tokens.map((t) => (t as { id: number }).id)).size === tokens.length;
    if (!ok) fail('tokenizer.valueTokens', 'must be a list of { id, field, value } with distinct ids into tokenizer.vocab');
    const specials = new Set([tok.endOfRecord, tok.fieldSeparator, ...((tok.fieldSeparators as number[] | undefined) ?? []), ...((tok.fieldTokens as number[] | undefined) ?? [])]);
    if ((tokens as { id: number }[]).some((t) => specials.has(t.id))) fail('tokenizer.valueTokens', 'must not reuse a special token id');
  }

  const records = value.records;
  if (!isJsonObject(records)) return fail('records', 'is missing');
  if (records.kind === 'delimited') {
    if (typeof records.delimiter !== 'string' || records.delimiter.length !== 1) fail('records.delimiter', 'must be one character');
    if (!Array.isArray(records.header) || records.header.length === 0 || !records.header.every((h) => typeof h === 'string')) {
      fail('records.header', 'must be a non-empty list of strings');
    }
    if (tok.fieldSeparator === -1) fail('tokenizer.fieldSeparator', 'is -1 but records.kind is "delimited"');
    const positions = (records.header as string[]).length - 1;
    if (Array.isArray(tok.fieldSeparators) && tok.fieldSeparators.length !== Math.max(1, positions)) {
      fail('tokenizer.fieldSeparators', `has ${tok.fieldSeparators.length} entries; a record of ${positions + 1} fields needs ${Math.max(1, positions)}`);
    }
    if (tok.fieldTokens !== undefined) {
      const ids = tok.fieldTokens;
      const n = positions + 1;
      if (tok.fieldSeparators !== undefined) fail('tokenizer.fieldTokens', 'cannot be given with tokenizer.fieldSeparators');
      if (!Array.isArray(ids) || ids.length !== n || !ids.every((id) => isIndex(id, vocab.length)) || new Set(ids).size !== n || ids.includes(tok.endOfRecord)) {
        fail('tokenizer.fieldTokens', `must list ${n} distinct token ids (one per field), none of them tokenizer.endOfRecord`);
      }
      if ((ids as number[])[0] !== tok.fieldSeparator) fail('tokenizer.fieldTokens', 'must start with tokenizer.fieldSeparator');
    }
    if (tok.copyTokens !== undefined) {
      const copies = tok.copyTokens;
      const n = positions + 1;
      const specials = new Set([tok.endOfRecord, ...((tok.fieldTokens as number[] | undefined) ?? []), ...((tok.fieldSeparators as number[] | undefined) ?? [])]);
      const ok =
        Array.isArray(copies) &&
        copies.every((c) => isJsonObject(c) && isIndex(c.id, vocab.length) && !specials.has(c.id) && isIndex(c.field, n) && isIndex(c.source, n) && c.field !== c.source && typeof c.normalized === 'boolean') &&
        new Set(copies.map((c) => (c as { id: number }).id)).size === copies.length;
      if (!ok) fail('tokenizer.copyTokens', `must be a list of { id, field, source, normalized } with distinct non-special ids and field indices (0-${n - 1})`);
      if (tok.fieldTokens === undefined) fail('tokenizer.copyTokens', 'needs tokenizer.fieldTokens');
    }
    if (tok.blankFields !== undefined) {
      const blank = tok.blankFields;
      const n = positions + 1;
      if (!Array.isArray(blank) || !blank.every((f) => isIndex(f, n)) || new Set(blank).size !== blank.length) {
        fail('tokenizer.blankFields', `must list distinct field indices (0-${n - 1})`);
      }
    }
    if (tok.fieldOrder !== undefined) {
      const order = tok.fieldOrder;
      const n = positions + 1;
      const permutation = Array.isArray(order) && order.length === n && order.every((f) => isIndex(f, n)) && new Set(order).size === n;
      if (!permutation) fail('tokenizer.fieldOrder', `must list each of the ${n} fields' indices (0-${n - 1}) once`);
      if (tok.fieldSeparators === undefined && tok.fieldTokens === undefined && n > 2) fail('tokenizer.fieldOrder', 'needs tokenizer.fieldSeparators or tokenizer.fieldTokens');
    }
  } else if (records.kind === 'text') {
    if (tok.fieldTokens !== undefined || tok.copyTokens !== undefined) fail(tok.fieldTokens !== undefined ? 'tokenizer.fieldTokens' : 'tokenizer.copyTokens', 'is only for delimited records');
    if (tok.blankFields !== undefined && !(Array.isArray(tok.blankFields) && tok.blankFields.every((f) => f === 0) && tok.blankFields.length <= 1)) {
      fail('tokenizer.blankFields', 'must be [] or [0] for text records');
    }
  } else {
    fail('records.kind', `is ${jsonPreview(records.kind)}, expected "text" or "delimited"`);
  }

  if (value.schema !== undefined) {
    const names = isJsonObject(records) && records.kind === 'delimited' ? (records.header as string[]) : ['text'];
    const problem = findSchemaProblem(value.schema, names);
    if (problem) fail('schema', `is unusable: ${problem}`);
  }
  if (value.calibration !== undefined) {
    const fieldCount = isJsonObject(records) && records.kind === 'delimited' ? (records.header as string[]).length : 1;
    const problem = findCalibrationProblem(value.calibration, fieldCount, (value.architecture as { vocabSize: number }).vocabSize);
    if (problem) fail('calibration', `is unusable: ${problem}`);
  }
  if (!isJsonObject(value.generation) || !isPositiveInt(value.generation.maxChars)) fail('generation.maxChars', 'must be a positive integer');
  if (!isJsonObject(value.training)) fail('training', 'is missing');
  // What training did is informational: a hand-made synth.json may leave either part out.
  for (const part of ['settings', 'metrics'] as const) {
    const training = value.training as Record<string, unknown>;
    if (training[part] === undefined) training[part] = {};
    else if (!isJsonObject(training[part])) fail(`training.${part}`, 'must be an object');
  }
  if (!Array.isArray(value.weights) || value.weights.length === 0) return fail('weights', 'must list the weights files');
  value.weights.forEach((w, i) => {
    if (!isJsonObject(w) || typeof w.path !== 'string' || !isPositiveInt(w.bytes) || typeof w.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(w.sha256)) {
      fail(`weights[${i}]`, 'must have "path", "bytes" and a hex "sha256"');
    }
  });
  if (value.layers !== undefined) {
    const layers = value.layers;
    if (!isJsonObject(layers) || typeof layers.path !== 'string' || !isPlainFileName(layers.path) || typeof layers.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(layers.sha256)) {
      fail('layers', 'must have a "path" (a file name in the model directory) and a hex "sha256"');
    }
  }
  return value as unknown as SynthManifest;
}

function isPlainFileName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\]/.test(name);
}

function isPositiveInt(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) > 0;
}

function isIndex(v: unknown, length: number): boolean {
  return Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) < length;
}
