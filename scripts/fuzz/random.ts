import { candidateStream } from '../../src/engine/rng.js';

/**
 * The random choices of one fuzz case. Case k of a run draws from the engine's counter-based stream
 * (seed, k), so any case can be replayed alone from its seed and number, whatever ran before it.
 */
export class CaseRandom {
  private readonly next: () => number;

  constructor(seed: number, caseIndex: number) {
    this.next = candidateStream(seed, caseIndex);
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return this.next();
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One of `choices`, each with its weight. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((sum, [w]) => sum + w, 0);
    let x = this.next() * total;
    for (const [w, value] of choices) {
      if ((x -= w) < 0) return value;
    }
    return choices.at(-1)![1];
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }

  /** `n` characters drawn from `alphabet`. */
  text(n: number, alphabet: string): string {
    const chars = [...alphabet];
    let out = '';
    for (let i = 0; i < n; i++) out += chars[Math.floor(this.next() * chars.length)];
    return out;
  }
}

/** A kind's own seed, so kinds run with the same --seed draw independent cases. */
export function kindSeed(seed: number, kind: string): number {
  let h = seed >>> 0;
  for (const c of kind) h = (Math.imul(h ^ c.charCodeAt(0), 0x01000193) + 0x9e3779b9) >>> 0;
  return h;
}
