import { createState, type StepKernel } from './kernels/kernel.js';
import { candidateStream } from './rng.js';
import { copyLength } from './copyLength.js';
import { sampleToken } from './sampler.js';
import { createStartStates, loadStartState } from './startState.js';
import { stopReason } from './stopping.js';
import { maskRowsOf } from '../schema/maskRows.js';
import { advanceCursor, atCondition, closerOf, startCursor, type Cursor, type FieldSequence, type RecordConstraint } from '../schema/recordConstraint.js';

export interface GenerationPlan {
  /** Token ids of each start string, WITHOUT the leading end-of-record token; at least one entry (may be []). */
  prefixes: number[][];
  /**
   * Per start string (same index as `prefixes`), tokens fed instead of samples once the record
   * emits a given token: [trigger, tokens] pairs (see CharTokenizer.encodeStart — seeded fields
   * that a reordered model writes after a field it samples). Absent or empty: none.
   */
  forced?: [number, number[]][][];
  /** 0 = greedy. */
  temperature: number;
  /** Record length limit in tokens, prefix included, end-of-record excluded. */
  maxTokens: number;
  /** uint32. */
  randomSeed: number;
  /** First candidate index, inclusive. */
  firstIndex: number;
  /** Exclusive; omitted = unbounded (the consumer stops by breaking out / calling return()). */
  endIndex?: number;
  /**
   * The schema compiled against the vocabulary: tokens that cannot continue a valid field get
   * probability zero. Absent: unconstrained sampling.
   */
  constraint?: RecordConstraint;
  /**
   * Per start string (same index as `prefixes`), the order its records write their fields in
   * (a field-token model's start that fixes fields writes them first). Absent: the constraint's own.
   */
  sequences?: FieldSequence[];
}

export interface Candidate {
  /** k: position in the candidate sequence, which fixes its random stream and prefix. */
  index: number;
  /** Which prefix it started from = index % prefixes.length. */
  prefix: number;
  /** The record's token ids: prefix ids then generated ids, end-of-record NOT included. */
  ids: number[];
  /** true = end-of-record sampled; false = stopped by maxTokens. */
  ended: boolean;
  /** Kernel row-steps spent on this candidate (for tokens/s statistics). */
  steps: number;
  /**
   * Turned down by an exact condition before it was finished (its ids stop there): not a record,
   * and not an invalid one either — the way a condition that holds in 4% of records is met.
   */
  rejected?: true;
}

/**
 * Sees each sampled step's logits, mask added, before the token is drawn from them: row `offset`
 * of `logits` (vocabSize long) and the record's cursor, neither to be kept or changed. Marginal
 * calibration averages the distributions instead of counting draws: the same expectation with
 * far less noise.
 */
export type StepObserver = (logits: Float32Array, offset: number, cursor: Cursor) => void;

/** A candidate in progress in one row of the batch. */
interface Slot {
  index: number;
  prefix: number;
  ids: number[];
  random: () => number;
  /** Token sampled last, to be fed at the next step. */
  pending: number;
  steps: number;
  /** Where the record is in the schema (constrained plans only). */
  cursor: Cursor;
  /** The start string's forced tokens by trigger token, and the ones still to feed (in order). */
  forced: ReadonlyMap<number, readonly number[]> | undefined;
  queue: number[];
}

/**
 * Generates candidates firstIndex, firstIndex+1, ... in index order with continuous batching: the
 * kernel's batchSize rows step together and a row whose record ends takes the next index at once.
 *
 * Determinism: candidate k starts from the start state of its prefix (see startState.ts) and draws
 * exactly one uniform from candidateStream(randomSeed, k) per sampled token, so it depends on
 * neither its row nor the batch size nor the range it was asked for in.
 *
 * The first token of every record is sampled here from the cached start logits with sampleToken.
 * Later tokens come from kernel.stepSample when the kernel has it (the uniform for the token a
 * step will produce is drawn before the step — it is the same next value of the stream), else from
 * kernel.step + sampleToken. A given kernel always takes the same path, so output never depends on
 * the batch size; the two paths may differ from each other only where float32 in-graph softmax and
 * the float64 one here round differently.
 *
 * With a constraint, each row's additive mask (-Infinity, 0 or a calibration bias per token) comes from that row's
 * own cursor alone, which the record's own tokens move, so masks keep the argument intact.
 */
export async function* generateCandidates(kernel: StepKernel, endOfRecord: number, plan: GenerationPlan, observe?: StepObserver): AsyncGenerator<Candidate> {
  checkPlan(plan, kernel.vocabSize);
  const { prefixes, temperature, maxTokens, randomSeed, firstIndex } = plan;
  const endIndex = plan.endIndex ?? Infinity;
  if (endIndex <= firstIndex) return;

  const starts = createStartStates(kernel, endOfRecord, prefixes, endIndex);
  const { batchSize, vocabSize, units } = kernel;
  const state = createState(units, batchSize);
  const tokens = new Int32Array(batchSize);
  const uniforms = new Float32Array(batchSize);
  const slots: (Slot | null)[] = new Array(batchSize).fill(null);
  const finished = new Map<number, Candidate>();
  const forcedByPrefix = prefixes.map((_, i) => {
    const pairs = plan.forced?.[i];
    return pairs && pairs.length > 0 ? new Map(pairs) : undefined;
  });
  const constraint = plan.constraint;
  // A constrained plan samples in the graph only when the kernel's graph takes a mask.
  // Exact conditions weigh each step by the model's own probabilities, so they need the logits.
  const exact = plan.sequences?.some((s) => s.conditioned !== undefined) === true;
  // An observer reads the logits, so it needs them out of the graph too.
  const fused = (constraint && !kernel.masked) || exact || observe ? undefined : kernel.stepSample?.bind(kernel);
  const maskRows = constraint && maskRowsOf(constraint);
  const mask = constraint ? new Float32Array(batchSize * vocabSize) : undefined;
  // The shared row each batch row of `mask` holds: a row whose cursor kept the same mask (most
  // steps of a free-text field) is not copied again. A calibrated step adds its sparse bias on
  // top (maskRows.ts); the first `biasedCount[row]` tokens of `biasedInMask` row `row` are the ones
  // it changed, put back before the next step (typed arrays: a JS array emptied and refilled at
  // every step of every row was garbage enough to slow generation by a tenth).
  const rowInMask: (Float32Array | undefined)[] = new Array(batchSize);
  const biasedInMask = constraint ? new Int32Array(batchSize * vocabSize) : undefined;
  const biasedCount = new Int32Array(batchSize);
  const firstLogits = constraint ? new Float32Array(vocabSize) : undefined;
  let isCloserClass: Uint8Array | undefined;
  if (constraint?.closerClass) {
    isCloserClass = new Uint8Array(vocabSize);
    for (const t of constraint.closerClass) isCloserClass[t] = 1;
  }
  let nextIndex = firstIndex;
  let nextToYield = firstIndex;
  let active = 0;

  const finish = (slot: Slot, ended: boolean, rejected = false): void => {
    finished.set(slot.index, { index: slot.index, prefix: slot.prefix, ids: slot.ids, ended, steps: slot.steps, ...(rejected ? { rejected: true as const } : {}) });
  };

  /**
   * Exact conditions, as rejection sampling: at a step inside a conditioned field the record goes
   * on with probability (mass of the tokens the condition allows) / (mass of the tokens the schema
   * allows), the model's own numbers at this temperature. The product over the field's steps is
   * the probability the model gives the condition after what the record wrote so far, so the
   * records kept are distributed as the model's records that meet it — fields written before the
   * condition included. False: the record is turned down here.
   */
  const keeps = (slot: Slot, logits: ArrayLike<number>, offset: number): boolean => {
    if (!maskRows || !atCondition(slot.cursor)) return true;
    const share = allowedShare(logits, offset, vocabSize, temperature, maskRows.rowOf(slot.cursor), maskRows.rowOf(slot.cursor.shadow!));
    return share >= 1 || slot.random() < share;
  };

  /** Appends a sampled (or forced) token; true when the record is complete (and recorded as finished). */
  const advance = (slot: Slot, drawn: number): boolean => {
    const token = isCloserClass ? closerOf(constraint!, slot.cursor, drawn, isCloserClass) : drawn;
    if (token !== endOfRecord) slot.ids.push(token);
    if (constraint) {
      // A copy moves a text field's character count on by the length of what it copies.
      const steps = constraint.copies ? copyLength(constraint.copies, slot.ids, token) : -1;
      if (steps < 0) advanceCursor(constraint, slot.cursor, token);
      else for (let k = 0; k < steps; k++) advanceCursor(constraint, slot.cursor, token);
    }
    const follow = slot.forced?.get(token);
    if (follow) slot.queue.push(...follow);
    const reason = stopReason(token, slot.ids.length, endOfRecord, maxTokens);
    if (reason === null) {
      slot.pending = token;
      return false;
    }
    finish(slot, reason === 'end-of-record');
    return true;
  };

  /** Starts candidate nextIndex in `row`; false when it finished without a step (the row stays empty). */
  const start = async (row: number): Promise<boolean> => {
    const index = nextIndex++;
    const prefix = index % prefixes.length;
    const slot: Slot = {
      index,
      prefix,
      ids: prefixes[prefix]!.slice(),
      random: candidateStream(randomSeed, index),
      pending: endOfRecord,
      steps: 0,
      cursor: startCursor(plan.sequences?.[prefix] ?? constraint?.sequence ?? NO_SEQUENCE),
      forced: forcedByPrefix[prefix],
      queue: [],
    };
    if (constraint) for (const id of slot.ids) advanceCursor(constraint, slot.cursor, id);
    // A prefix at or over the limit is the whole record (kept whole, never cut).
    if (slot.ids.length >= maxTokens) {
      finish(slot, false);
      return false;
    }
    const startState = await starts.forCandidate(index);
    if (!keeps(slot, startState.logits, 0)) {
      finish(slot, false, true);
      return false;
    }
    let logits = startState.logits;
    if (maskRows) {
      const row = maskRows.rowOf(slot.cursor);
      for (let t = 0; t < vocabSize; t++) firstLogits![t] = logits[t]! + row[t]!;
      logits = firstLogits!;
    }
    observe?.(logits, 0, slot.cursor);
    if (advance(slot, sampleToken(logits, 0, vocabSize, temperature, slot.random()))) return false;
    loadStartState(state, row, units, startState);
    slots[row] = slot;
    active++;
    return true;
  };

  /**
   * Gives every empty row the next candidate. At most batchSize candidates may finish without a
   * step per call, so a model that ends every record at once still hands them out as it goes
   * instead of looping here forever on an unbounded range.
   */
  const fillEmptyRows = async (): Promise<void> => {
    let instant = 0;
    for (let row = 0; row < batchSize; row++) {
      while (!slots[row] && nextIndex < endIndex && instant < batchSize) {
        if (!(await start(row))) instant++;
      }
    }
  };

  while (true) {
    await fillEmptyRows();
    while (finished.has(nextToYield)) {
      const candidate = finished.get(nextToYield)!;
      finished.delete(nextToYield++);
      yield candidate;
    }
    if (active === 0) {
      if (nextIndex >= endIndex) return;
      continue;
    }

    for (let row = 0; row < batchSize; row++) {
      const slot = slots[row];
      // Empty rows read a dummy token; their state and output are never looked at.
      tokens[row] = slot ? slot.pending : endOfRecord;
      if (fused) uniforms[row] = slot ? slot.random() : 0;
      if (maskRows) {
        // An empty row's output is never read; it gets the all-0 row.
        const wanted = slot ? maskRows.plainRowOf(slot.cursor) : maskRows.unconstrained;
        const offset = row * vocabSize;
        if (rowInMask[row] !== wanted) {
          mask!.set(wanted, offset);
          rowInMask[row] = wanted;
        } else {
          for (let k = offset, end = offset + biasedCount[row]!; k < end; k++) {
            const t = biasedInMask![k]!;
            mask![offset + t] = wanted[t]!;
          }
        }
        let changed = 0;
        const bias = slot && maskRows.biasOf(slot.cursor);
        if (bias) {
          for (let i = 0; i < bias.tokens.length; i++) {
            const t = bias.tokens[i]!;
            if (mask![offset + t] !== -Infinity) {
              mask![offset + t] = bias.values[i]!;
              biasedInMask![offset + changed++] = t;
            }
          }
        }
        biasedCount[row] = changed;
      }
    }
    const sampled = fused ? await fused(tokens, state, uniforms, temperature, mask) : null;
    const logits = sampled ? null : await kernel.step(tokens, state);
    if (exact && logits) {
      for (let row = 0; row < batchSize; row++) {
        const slot = slots[row];
        if (slot && slot.queue.length === 0 && !keeps(slot, logits, row * vocabSize)) {
          finish(slot, false, true);
          slots[row] = null;
          active--;
        }
      }
    }
    if (logits && mask) for (let i = 0; i < logits.length; i++) logits[i]! += mask[i]!;
    for (let row = 0; row < batchSize; row++) {
      const slot = slots[row];
      if (!slot) continue;
      slot.steps++;
      if (observe && slot.queue.length === 0) observe(logits!, row * vocabSize, slot.cursor);
      // A forced token replaces the sample; the fused path drew its uniform anyway, the other
      // path draws none, and each path is deterministic per candidate on its own.
      const token = slot.queue.length > 0 ? slot.queue.shift()! : sampled ? sampled[row]! : sampleToken(logits!, row * vocabSize, vocabSize, temperature, slot.random());
      if (advance(slot, token)) {
        slots[row] = null;
        active--;
      }
    }
  }
}

/**
 * The share of softmax((logits + reference) / temperature) on the tokens `allowed` admits (not
 * -Infinity there) among those `reference` admits — the reference row's calibration biases
 * included; greedy (temperature 0): 1 when the reference's best token is allowed, else 0.
 */
export function allowedShare(logits: ArrayLike<number>, offset: number, vocabSize: number, temperature: number, allowed: Float32Array, reference: Float32Array): number {
  let max = -Infinity;
  let best = -1;
  for (let i = 0; i < vocabSize; i++) {
    const value = logits[offset + i]! + reference[i]!;
    if (value > max) {
      max = value;
      best = i;
    }
  }
  if (max === -Infinity || Number.isNaN(max)) return 1;
  if (!(temperature > 0)) return allowed[best] !== -Infinity ? 1 : 0;
  let inside = 0;
  let total = 0;
  for (let i = 0; i < vocabSize; i++) {
    if (reference[i] === -Infinity) continue;
    const w = Math.exp((logits[offset + i]! + reference[i]! - max) / temperature);
    total += w;
    if (allowed[i] !== -Infinity) inside += w;
  }
  return total > 0 ? inside / total : 1;
}

/** Unconstrained plans: cursors are never read. */
const NO_SEQUENCE: FieldSequence = { opener: -1, automata: new Int32Array(0), closers: new Int32Array(0) };

/** Rejects plans that would loop forever or index out of range; the CLI reports user mistakes earlier. */
function checkPlan(plan: GenerationPlan, vocabSize: number): void {
  const { prefixes, temperature, maxTokens, randomSeed, firstIndex, endIndex } = plan;
  if (prefixes.length === 0) throw new RangeError('generation needs at least one prefix (it may be empty)');
  if (plan.sequences !== undefined && (plan.sequences.length !== prefixes.length || !plan.constraint)) throw new RangeError(`sequences need a constraint and one entry per prefix`);
  if (plan.forced !== undefined && plan.forced.length !== prefixes.length) throw new RangeError(`forced has ${plan.forced.length} entries for ${prefixes.length} prefixes`);
  const forcedTokens = (plan.forced ?? []).flatMap((pairs) => pairs.flatMap(([trigger, tokens]) => [trigger, ...tokens]));
  for (const prefix of [...prefixes, forcedTokens]) {
    for (const id of prefix) {
      if (!Number.isInteger(id) || id < 0 || id >= vocabSize) throw new RangeError(`prefix token ${id} is outside the vocabulary of ${vocabSize}`);
    }
  }
  if (!Number.isFinite(temperature) || temperature < 0) throw new RangeError(`temperature must be a finite number >= 0, got ${temperature}`);
  if (!Number.isSafeInteger(maxTokens) || maxTokens < 0) throw new RangeError(`maxTokens must be a non-negative integer, got ${maxTokens}`);
  if (!Number.isInteger(randomSeed) || randomSeed < 0 || randomSeed > 0xffffffff) throw new RangeError(`randomSeed must be a uint32, got ${randomSeed}`);
  if (!Number.isSafeInteger(firstIndex) || firstIndex < 0) throw new RangeError(`firstIndex must be a non-negative integer, got ${firstIndex}`);
  if (endIndex !== undefined && !(Number.isSafeInteger(endIndex) && endIndex >= firstIndex)) {
    throw new RangeError(`endIndex must be an integer >= firstIndex, got ${endIndex}`);
  }
}
