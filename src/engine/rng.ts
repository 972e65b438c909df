import { randomBytes } from 'node:crypto';

/**
 * Per-candidate random streams built on Philox4x32-10, a counter-based generator: block n of
 * stream (seed, k) is a keyed bijection of the counter (n, 0, k_lo, k_hi) under the key (seed,
 * STREAM_KEY_HI). No state is carried between streams, so stream k is the same whichever worker,
 * slot or batch size draws it, and in whatever order streams are created.
 *
 * Reference: J. K. Salmon, M. A. Moraes, R. O. Dror, D. E. Shaw, "Parallel random numbers: as easy
 * as 1, 2, 3", SC11 (https://doi.org/10.1145/2063384.2063405); constants and known-answer vectors
 * from the Random123 library (kat_vectors), checked in test/engine-rng.test.ts.
 */

const PHILOX_M0 = 0xd2511f53;
const PHILOX_M1 = 0xcd9e8d57;
const PHILOX_W0 = 0x9e3779b9;
const PHILOX_W1 = 0xbb67ae85;
const ROUNDS = 10;
/** Second key word, fixed so that a future second use of the same seed can pick another one. */
const STREAM_KEY_HI = 0x73796e74; // "synt"

/** Largest candidate index whose stream is distinct (the counter holds 53 bits of it exactly). */
export const MAX_CANDIDATE_INDEX = Number.MAX_SAFE_INTEGER;

/** Scale of a 24-bit integer to [0, 1): every uniform is exactly representable as float32. */
const UNIFORM_SCALE = 2 ** -24;

/** High 32 bits of the 64-bit product of two uint32, exactly (float64 holds each 48-bit part). */
function mulHi(a: number, b: number): number {
  const aHi = a >>> 16;
  const aLo = a & 0xffff;
  // a*b / 2^32 = (aHi*b + aLo*b / 2^16) / 2^16; both partial products are below 2^48.
  return Math.floor((aHi * b + Math.floor((aLo * b) / 0x10000)) / 0x10000) >>> 0;
}

/** Philox4x32-10 of `counter` under `key`, written into `out` (4 uint32). */
export function philox4x32(counter: ArrayLike<number>, key: ArrayLike<number>, out: Uint32Array): Uint32Array {
  let c0 = counter[0]! >>> 0;
  let c1 = counter[1]! >>> 0;
  let c2 = counter[2]! >>> 0;
  let c3 = counter[3]! >>> 0;
  let k0 = key[0]! >>> 0;
  let k1 = key[1]! >>> 0;
  for (let round = 0; round < ROUNDS; round++) {
    if (round > 0) {
      k0 = (k0 + PHILOX_W0) >>> 0;
      k1 = (k1 + PHILOX_W1) >>> 0;
    }
    const hi0 = mulHi(PHILOX_M0, c0);
    const lo0 = Math.imul(PHILOX_M0, c0) >>> 0;
    const hi1 = mulHi(PHILOX_M1, c2);
    const lo1 = Math.imul(PHILOX_M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
  return out;
}

/**
 * The uniform stream of candidate `index` under `randomSeed`: values in [0, 1), each a multiple of
 * 2^-24. 24 bits rather than 53 because kernels that sample in-graph receive the uniforms as
 * float32; with exact float32 values, JS-side and in-graph sampling see the same number.
 */
export function candidateStream(randomSeed: number, index: number): () => number {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`candidate index ${index} is not a non-negative safe integer`);
  const counter = new Uint32Array([0, 0, index >>> 0, Math.floor(index / 2 ** 32) >>> 0]);
  const key = new Uint32Array([randomSeed >>> 0, STREAM_KEY_HI]);
  const block = new Uint32Array(4);
  let used = 4;
  return () => {
    if (used === 4) {
      philox4x32(counter, key, block);
      // 2^32 blocks (2^34 draws) per candidate is far beyond any record length limit.
      counter[0] = (counter[0]! + 1) >>> 0;
      used = 0;
    }
    return (block[used++]! >>> 8) * UNIFORM_SCALE;
  };
}

/** A fresh uint32 seed from the OS's cryptographic source, for runs without --random-seed. */
export function drawRandomSeed(): number {
  return randomBytes(4).readUInt32LE(0);
}
