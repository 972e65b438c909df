import { createState, type LstmState, type StepKernel } from './kernels/kernel.js';

/** The network after reading [endOfRecord, ...prefix] from the zero state: where every record starts. */
export interface StartState {
  /** Logits of the first token to sample, [vocabSize]. */
  logits: Float32Array;
  /** One row per state array of LstmState (layer 1 h, layer 1 c, layer 2 h, ...), each [units]. */
  rows: Float32Array[];
}

/**
 * Start states of the prefixes listed in `wanted` (indices into `prefixes`), computed once each and
 * batched: up to batchSize distinct prefixes advance together, the shorter ones captured at their
 * own length while the others go on. Identical prefixes share one computation.
 */
export async function computeStartStates(
  kernel: StepKernel,
  endOfRecord: number,
  prefixes: readonly (readonly number[])[],
  wanted: Iterable<number>,
): Promise<Map<number, StartState>> {
  const byText = new Map<string, number[]>();
  for (const p of wanted) {
    const key = prefixes[p]!.join(',');
    const same = byText.get(key);
    if (same) same.push(p);
    else byText.set(key, [p]);
  }
  const groups = [...byText.values()];
  const result = new Map<number, StartState>();
  for (let first = 0; first < groups.length; first += kernel.batchSize) {
    const batch = groups.slice(first, first + kernel.batchSize);
    const states = await runBatch(kernel, endOfRecord, batch.map((g) => prefixes[g[0]!]!));
    batch.forEach((group, row) => group.forEach((p) => result.set(p, states[row]!)));
  }
  return result;
}

async function runBatch(kernel: StepKernel, endOfRecord: number, batch: readonly (readonly number[])[]): Promise<StartState[]> {
  const { batchSize, vocabSize, units } = kernel;
  const state: LstmState = createState(units, batchSize);
  const tokens = new Int32Array(batchSize).fill(endOfRecord);
  const out: StartState[] = new Array(batch.length);
  // Input t of row r is endOfRecord at t = 0, then prefix[t - 1]; rows past their end read a dummy.
  const longest = Math.max(...batch.map((p) => p.length)) + 1;
  for (let t = 0; t < longest; t++) {
    batch.forEach((prefix, row) => {
      tokens[row] = t === 0 || t > prefix.length ? endOfRecord : prefix[t - 1]!;
    });
    const logits = await kernel.step(tokens, state);
    batch.forEach((prefix, row) => {
      if (prefix.length !== t) return;
      out[row] = {
        logits: logits.slice(row * vocabSize, (row + 1) * vocabSize),
        rows: state.map((array, i) => array.slice(row * units[i >> 1]!, (row + 1) * units[i >> 1]!)),
      };
    });
  }
  return out;
}

/** Copies a start state into row `row` of a batch state. */
export function loadStartState(state: LstmState, row: number, units: readonly number[], start: StartState): void {
  for (let i = 0; i < state.length; i++) state[i]!.set(start.rows[i]!, row * units[i >> 1]!);
}
