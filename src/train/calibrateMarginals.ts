import { createKernel, type BackendChoice } from '../engine/kernels/createKernel.js';
import { copyLength } from '../engine/copyLength.js';
import { generateCandidates, type StepObserver } from '../engine/generator.js';
import type { Warn } from '../errors.js';
import type { ModelWeights } from '../model/manifest.js';
import { biasKey, fromBiasKey, type MarginalCalibration } from '../schema/marginalCalibration.js';
import { advanceCursor, compileConstraint, startCursor, type RecordConstraint } from '../schema/recordConstraint.js';
import { isCode, type RecordSchema } from '../schema/schema.js';
import type { CharTokenizer } from '../tokenizer/charTokenizer.js';
import { recordIds, type EncodedRecords } from './encodedRecords.js';

/**
 * Marginal calibration (schema/marginalCalibration.ts), fitted by moment matching: generate
 * records with the bias so far, count each calibrated field's tokens at each step, and move every
 * token's bias by log(training share / generated share). A constant bias per (field, step) leaves
 * the model's odds between contexts alone, so pair trends keep what the model learned while each
 * field's own distribution comes to the training data's: measured on fixtures/public/cars.csv
 * (see bench/results/quality-tables.json) where a model of 400 rows spreads its values too wide.
 */
export interface CalibrationOptions {
  /** Records generated per round. */
  records: number;
  rounds: number;
  randomSeed: number;
  /** Record length limit in tokens, as generation's. */
  maxTokens: number;
  backend?: BackendChoice;
  warn: Warn;
  signal?: AbortSignal;
  /** Key the biases by the token before in the field too, not by step alone (default true). */
  byPrevious?: boolean;
}

export const CALIBRATION_RECORDS = 4000;
/**
 * Most tokens a round generates: fewer records for long ones, so the cost stays bounded (fuzz: a
 * 6-row table of 1,000 columns spent ten minutes calibrating after a 1-second training). Every
 * bench table, up to ~100 tokens a record, still gets CALIBRATION_RECORDS.
 */
const CALIBRATION_TOKENS = 500_000;
export const CALIBRATION_ROUNDS = 3;
/** The temperature calibration fits at: generation's default. */
const TEMPERATURE = 1;
/** A (field, step, token before) is calibrated only where both sides saw it this often: below that the shares are noise. */
const MIN_COUNT = 30;
/** Added to every count before shares are compared (a value never generated is not an infinite ratio). */
const SMOOTHING = 0.5;
/** Biases stay inside this: enough to move a share 50-fold, not to force a value the model rules out. */
const BIAS_LIMIT = 4;
/** The outcome "the field ends here", beside token ids. */
const END = -1;

/** Counts of outcomes (token id or END) per context (contextKey). */
type Tally = Map<number, Map<number, number>>;
/** Steps past this are left alone: calibrated values are numbers, dates, codes and sets, all short. */
const MAX_STEP = 64;
const FIELD_SPAN = 2 ** 32;

/** A (field, step, token before) context as one number; -1 where it is not calibrated. */
function contextKey(field: number, step: number, previous: number, byPrevious: boolean): number {
  if (step >= MAX_STEP) return -1;
  return field * FIELD_SPAN + biasKey(step, byPrevious ? previous : -1);
}

/**
 * The calibration of a freshly trained model and the records generated for it; undefined when no
 * field qualifies (a text model, a table of free text only) or the table is too small to say.
 */
export async function calibrateMarginals(
  weights: ModelWeights,
  tokenizer: CharTokenizer,
  schema: RecordSchema,
  training: readonly EncodedRecords[],
  options: CalibrationOptions,
): Promise<{ calibration: MarginalCalibration | undefined; records: number }> {
  const byPrevious = options.byPrevious !== false;
  const none = { calibration: undefined, records: 0 };
  // No step of a table this small reaches MIN_COUNT, and records this long would cost too much.
  const count = training.reduce((n, r) => n + r.count, 0);
  const tokens = training.reduce((n, r) => n + r.ids.length, 0);
  const perRound = Math.min(options.records, Math.floor(CALIBRATION_TOKENS / Math.max(1, tokens / Math.max(1, count))));
  if (count < MIN_COUNT || perRound < MIN_COUNT) return none;
  // Free text is left alone: its spelling is the model's, and copies into it count characters.
  const calibrated = schema.fields.map((f, i) => (f.kind !== 'text' || isCode(f)) && !tokenizer.isBlankField(i));
  if (!calibrated.includes(true)) return none;
  const base = compileConstraint(schema, tokenizer);
  const target: Tally = new Map();
  for (const records of training) {
    for (let i = 0; i < records.count; i++) tallyRecord(base, tokenizer, calibrated, Array.from(recordIds(records, i)), true, target, byPrevious);
  }
  const kernel = await createKernel(weights, options.backend ?? 'auto', { batchSize: 64, masked: true }, options.warn);
  const V = tokenizer.vocabSize;
  const bias = new Map<number, Map<number, number>>();
  try {
    for (let round = 0; round < options.rounds; round++) {
      options.signal?.throwIfAborted();
      const constraint = compileConstraint(schema, tokenizer, true, toCalibration(bias));
      const expected = new Map<number, Float64Array>();
      const closers = constraint.closerClass ?? null;
      // Each visit adds the whole distribution the record was sampled from (at the fitting
      // temperature), END being the mass of the tokens that close the field.
      const observe: StepObserver = (logits, offset, cursor) => {
        const position = cursor.field;
        if (position < 0 || position >= cursor.sequence.automata.length) return;
        const field = tokenizer.fieldAt(position);
        if (!calibrated[field]) return;
        const key = contextKey(field, cursor.step, cursor.previous, byPrevious);
        if (key < 0) return;
        let sums = expected.get(key);
        if (!sums) expected.set(key, (sums = new Float64Array(V + 1)));
        let max = -Infinity;
        for (let t = 0; t < V; t++) if (logits[offset + t]! > max) max = logits[offset + t]!;
        if (max === -Infinity) return;
        let total = 0;
        for (let t = 0; t < V; t++) total += Math.exp((logits[offset + t]! - max) / TEMPERATURE);
        const ends = closers ?? [cursor.sequence.closers[position]!];
        for (let t = 0; t < V; t++) {
          const value = logits[offset + t]!;
          if (value !== -Infinity) sums[t]! += Math.exp((value - max) / TEMPERATURE) / total;
        }
        for (const t of ends) {
          sums[V]! += sums[t]!;
          sums[t] = 0;
        }
      };
      const plan = { prefixes: [[]], temperature: TEMPERATURE, maxTokens: options.maxTokens, randomSeed: (options.randomSeed + round) >>> 0, firstIndex: 0, endIndex: perRound, constraint };
      for await (const candidate of generateCandidates(kernel, tokenizer.endOfRecord, plan, observe)) void candidate;
      updateBias(bias, target, expected, V);
    }
  } finally {
    await kernel.dispose();
  }
  const calibration = toCalibration(bias);
  return { calibration: calibration.fields.length > 0 ? calibration : undefined, records: perRound * options.rounds };
}

/**
 * Walks one record's tokens (without its end-of-record; `ended` adds it) the way generation
 * moves its cursor, counting each calibrated field's outcome at each step.
 */
function tallyRecord(constraint: RecordConstraint, tokenizer: CharTokenizer, calibrated: readonly boolean[], ids: readonly number[], ended: boolean, tally: Tally, byPrevious: boolean): void {
  const cursor = startCursor(constraint.sequence);
  const written: number[] = [];
  const eor = tokenizer.endOfRecord;
  const tokens = ids[ids.length - 1] === eor ? ids : ended ? [...ids, eor] : ids;
  for (const token of tokens) {
    const position = cursor.field;
    if (position < 0 && position !== -2) return;
    if (position >= 0) {
      const field = tokenizer.fieldAt(position);
      if (calibrated[field]) {
        const automaton = constraint.fields[constraint.sequence.automata[position]!]!;
        const ends = token === constraint.sequence.closers[position] && automaton.accepting[cursor.state] === 1;
        const key = contextKey(field, cursor.step, cursor.previous, byPrevious);
        if (key >= 0) {
          let counts = tally.get(key);
          if (!counts) tally.set(key, (counts = new Map()));
          const outcome = ends ? END : token;
          counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
        }
      }
    }
    if (token !== eor) written.push(token);
    const steps = constraint.copies ? copyLength(constraint.copies, written, token) : -1;
    if (steps < 0) advanceCursor(constraint, cursor, token);
    else for (let k = 0; k < steps; k++) advanceCursor(constraint, cursor, token);
  }
}

/**
 * One moment-matching step: each outcome's bias moves by log(target share / generated share).
 * `expected` holds, per context, the summed distributions of the generated visits (END at index V).
 */
function updateBias(bias: Map<number, Map<number, number>>, target: Tally, expected: Map<number, Float64Array>, V: number): void {
  for (const [key, wanted] of target) {
    const sums = expected.get(key);
    const wantedTotal = total(wanted);
    let visits = 0;
    if (sums) for (const x of sums) visits += x;
    if (!sums || wantedTotal < MIN_COUNT || visits < MIN_COUNT) continue;
    const got = (o: number) => sums[o === END ? V : o]!;
    // Outcomes the data holds, and any the model gives at least half a record's worth of mass.
    const outcomes = new Set(wanted.keys());
    for (let o = 0; o <= V; o++) if (sums[o]! >= 0.5) outcomes.add(o === V ? END : o);
    const m = outcomes.size;
    let row = bias.get(key);
    if (!row) bias.set(key, (row = new Map()));
    for (const o of outcomes) {
      const p = ((wanted.get(o) ?? 0) + SMOOTHING) / (wantedTotal + SMOOTHING * m);
      const q = (got(o) + SMOOTHING) / (visits + SMOOTHING * m);
      const next = (row.get(o) ?? 0) + Math.log(p / q);
      row.set(o, Math.max(-BIAS_LIMIT, Math.min(BIAS_LIMIT, next)));
    }
  }
}

function total(counts: Map<number, number>): number {
  let n = 0;
  for (const c of counts.values()) n += c;
  return n;
}

/** The biases as stored in synth.json: by field, then step; biases rounded to 1/1000. */
function toCalibration(bias: Map<number, Map<number, number>>): MarginalCalibration {
  const byField = new Map<number, MarginalCalibration['fields'][number]['steps']>();
  for (const key of [...bias.keys()].sort((a, b) => a - b)) {
    const field = Math.floor(key / FIELD_SPAN);
    const { step, previous } = fromBiasKey(key % FIELD_SPAN);
    const row = bias.get(key)!;
    const round = (x: number) => Math.round(x * 1000) / 1000;
    // A bias that rounds to 0 is no bias: left out, synth.json stays small.
    const tokens = [...row.keys()].filter((o) => o !== END && round(row.get(o)!) !== 0).sort((a, b) => a - b);
    let steps = byField.get(field);
    if (!steps) byField.set(field, (steps = []));
    steps.push({ step, ...(previous >= 0 ? { after: previous } : {}), tokens, bias: tokens.map((t) => round(row.get(t)!)), end: round(row.get(END) ?? 0) });
  }
  return { temperature: TEMPERATURE, fields: [...byField].map(([field, steps]) => ({ field, steps })) };
}
