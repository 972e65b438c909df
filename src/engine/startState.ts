import { createState, type LstmState, type StepKernel } from './kernels/kernel.js';

/** The network after reading [endOfRecord, ...prefix] from the zero state: where every record starts. */
export interface StartState {
  /** Logits of the first token to sample, [vocabSize]. */
  logits: Float32Array;
  /** One row per state array of LstmState (layer 1 h, layer 1 c, layer 2 h, ...), each [units]. */
  rows: Float32Array[];
}

export interface StartStates {
  /** The start state of candidate `index`'s prefix (index % prefixes.length). */
  forCandidate(index: number): Promise<StartState>;
}

/** Memory the cache may hold; a --seed-file of 100k seeds must not keep 100k states alive. */
const CACHE_BYTES = 32 * 1024 * 1024;

/**
 * Start states of the prefixes, computed on demand and batched: on a miss, the prefixes of the next
 * batchSize candidates (index, index+1, ... before endIndex) advance together, shorter ones
 * captured at their own length, identical ones computed once. Every prefix is cached while they
 * fit in CACHE_BYTES; beyond that the oldest are dropped (candidates visit prefixes in cyclic
 * order, so first-in first-out is the right policy) and recomputed when their turn comes again.
 */
export function createStartStates(
  kernel: StepKernel,
  endOfRecord: number,
  prefixes: readonly (readonly number[])[],
  endIndex: number,
  cacheBytes = CACHE_BYTES,
): StartStates {
  const bytesPerEntry = 4 * (kernel.vocabSize + 2 * kernel.units.reduce((a, b) => a + b, 0));
  const capacity = Math.max(2 * kernel.batchSize, Math.floor(cacheBytes / bytesPerEntry));
  const cache = new Map<number, StartState>();

  return {
    async forCandidate(index: number): Promise<StartState> {
      const wanted = cache.get(index % prefixes.length);
      if (wanted) return wanted;
      // Group the missing prefixes of the next candidates by content, up to one batch of groups.
      const groups = new Map<string, number[]>();
      for (let k = index; k < endIndex && groups.size < kernel.batchSize && k - index < capacity; k++) {
        const p = k % prefixes.length;
        if (cache.has(p)) continue;
        const key = prefixes[p]!.join(',');
        const same = groups.get(key);
        if (!same) groups.set(key, [p]);
        else if (!same.includes(p)) same.push(p);
      }
      const batch = [...groups.values()];
      const states = await runPrefixes(kernel, endOfRecord, batch.map((group) => prefixes[group[0]!]!));
      batch.forEach((group, row) => group.forEach((p) => cache.set(p, states[row]!)));
      for (const oldest of cache.keys()) {
        if (cache.size <= capacity) break;
        cache.delete(oldest);
      }
      return cache.get(index % prefixes.length)!;
    },
  };
}

/** Feeds [endOfRecord, ...prefix] for up to batchSize prefixes at once from the zero state. */
async function runPrefixes(kernel: StepKernel, endOfRecord: number, batch: readonly (readonly number[])[]): Promise<StartState[]> {
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
