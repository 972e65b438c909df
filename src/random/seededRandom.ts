/**
 * Seeded uniform sources and what is drawn from them, for training and evaluation alike.
 * Generation has its own counter-based streams (engine/rng.ts): a record's draws there must not
 * depend on which worker makes it, which a sequential generator cannot give.
 */

/** A uniform [0, 1) source; training draws every random number (init, shuffle, dropout) from one. */
export type Random = () => number;

/**
 * sfc32 seeded from a 32-bit integer: small, fast, and good enough for shuffling, initialisation
 * and dropout masks, and it makes `--random-seed` reproduce a training run exactly.
 */
export function seededRandom(seed: number): Random {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

/** Fisher–Yates shuffle in place (arrays and typed arrays alike). */
export function shuffleInPlace<A extends { length: number; [i: number]: unknown }>(items: A, random: Random): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const item = items[i];
    items[i] = items[j];
    items[j] = item;
  }
  return items;
}

/** The indices 0 .. n-1 in a Uint32Array (the identity permutation). */
export function indices(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * k distinct indices from 0 .. n-1, uniformly, in random order: the first k steps of a
 * Fisher–Yates shuffle of `pool` (the identity permutation when absent). A pool kept between
 * calls stays a permutation, so drawing again costs k steps, not n.
 */
export function sampleWithoutReplacement(n: number, k: number, random: Random, pool: Uint32Array = indices(n)): Uint32Array {
  const take = Math.min(k, n);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (n - i));
    const item = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = item;
  }
  return pool.slice(0, take);
}

/**
 * The evaluation report's source (held-out split, baselines, closest-record sampling): mulberry32.
 * A second algorithm only so that a report on the same data draws what earlier versions drew and
 * the published quality tables (bench/results/quality-tables.json) stay comparable.
 */
export function evaluationRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws from a uniform source (Box–Muller, both values of each pair used). */
export function normalSource(uniform: Random): Random {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    // 1 - u is in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}
