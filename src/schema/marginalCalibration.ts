/**
 * Marginal calibration: additive logits, fitted after training (train/calibrateMarginals.ts), that
 * make the distribution of each field's tokens at each step of the field match the training data's.
 * Stored in synth.json; added to the mask rows (maskRows.ts), so it reaches the logits the same
 * way the schema masks do, in the JS sampler and inside the ONNX graph alike.
 *
 * Keyed by table field and step (the number of tokens already written in the field), not by
 * automaton state, so a --schema-file that changes the automata keeps it meaningful: a bias on a
 * token the schema forbids stays -Infinity.
 */
export interface MarginalCalibration {
  /** The sampling temperature the bias was fitted at (the logits are divided by the temperature after it is added). */
  temperature: number;
  fields: FieldCalibration[];
}

export interface FieldCalibration {
  /** Table field, 0-based. */
  field: number;
  steps: StepCalibration[];
}

export interface StepCalibration {
  /** Tokens already written in the field: 0 for its first token (or a value token). */
  step: number;
  /** The token written just before, in the same field (absent at step 0). */
  after?: number;
  /** Token ids and their biases, same length. */
  tokens: number[];
  bias: number[];
  /** Bias of ending the field at this step (whatever token closes it). */
  end: number;
}

/** The calibration of one step, compiled for the mask rows: a bias per token (0 where none). */
export interface StepBias {
  tokens: Float32Array;
  end: number;
}

/** Biases beyond this are refused when a model is read: a fitted one is clipped well inside it. */
export const MAX_BIAS = 20;

/** A field's compiled step biases, by biasKey(step, previous token). */
export type FieldBias = ReadonlyMap<number, StepBias>;

/** Token ids stay below this (vocabularies are far smaller), so a step and a token share one number. */
const TOKEN_SPAN = 0x100000;

/** The key of a step and the token before it (-1: none) in a FieldBias. */
export function biasKey(step: number, previous: number): number {
  return step * TOKEN_SPAN + previous + 1;
}

/** The step and token before of a biasKey. */
export function fromBiasKey(key: number): { step: number; previous: number } {
  return { step: Math.floor(key / TOKEN_SPAN), previous: (key % TOKEN_SPAN) - 1 };
}

/** Field `field`'s step biases; undefined when the calibration has none for it. */
export function compileFieldBias(calibration: MarginalCalibration | undefined, field: number, vocabSize: number): FieldBias | undefined {
  const entry = calibration?.fields.find((f) => f.field === field);
  if (!entry || entry.steps.length === 0) return undefined;
  const steps = new Map<number, StepBias>();
  for (const { step, after, tokens, bias, end } of entry.steps) {
    const row = new Float32Array(vocabSize);
    tokens.forEach((t, i) => (row[t] = bias[i]!));
    steps.set(biasKey(step, after ?? -1), { tokens: row, end });
  }
  return steps;
}

/** What is wrong with a stored calibration (null: nothing), in words for a model-file error. */
export function findCalibrationProblem(value: unknown, fieldCount: number, vocabSize: number): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object';
  const { temperature, fields } = value as Partial<MarginalCalibration>;
  if (typeof temperature !== 'number' || !(temperature > 0) || !Number.isFinite(temperature)) return 'temperature must be a positive number';
  if (!Array.isArray(fields)) return 'fields must be a list';
  const bias = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && Math.abs(x) <= MAX_BIAS;
  const seenFields = new Set<number>();
  for (const [i, f] of fields.entries()) {
    const where = `fields[${i}]`;
    if (typeof f !== 'object' || f === null) return `${where} must be an object`;
    const { field, steps } = f as Partial<FieldCalibration>;
    if (!Number.isInteger(field) || field! < 0 || field! >= fieldCount) return `${where}.field must be a field index from 0 to ${fieldCount - 1}`;
    if (seenFields.has(field!)) return `${where}.field ${field} appears twice`;
    seenFields.add(field!);
    if (!Array.isArray(steps)) return `${where}.steps must be a list`;
    const seenSteps = new Set<number>();
    for (const [j, s] of steps.entries()) {
      const at = `${where}.steps[${j}]`;
      if (typeof s !== 'object' || s === null) return `${at} must be an object`;
      const { step, tokens, bias: biases, end } = s as Partial<StepCalibration>;
      if (!Number.isInteger(step) || step! < 0 || step! > 100_000) return `${at}.step must be a whole number`;
      const after = (s as Partial<StepCalibration>).after;
      if (after !== undefined && !(Number.isInteger(after) && after >= 0 && after < vocabSize)) return `${at}.after must be a token id below ${vocabSize}`;
      const key = biasKey(step!, after ?? -1);
      if (seenSteps.has(key)) return `${at}: step ${step}${after === undefined ? '' : ` after ${after}`} appears twice`;
      seenSteps.add(key);
      if (!Array.isArray(tokens) || !Array.isArray(biases) || tokens.length !== biases.length) return `${at} needs tokens and bias lists of the same length`;
      if (!tokens.every((t) => Number.isInteger(t) && t >= 0 && t < vocabSize)) return `${at}.tokens must be token ids below ${vocabSize}`;
      if (!biases.every(bias) || !bias(end)) return `${at} biases must be numbers from -${MAX_BIAS} to ${MAX_BIAS}`;
    }
  }
  return null;
}
