import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { candidateStream, drawRandomSeed, philox4x32 } from '../src/engine/rng.js';

const draw = (next: () => number, n: number): number[] => Array.from({ length: n }, () => next());

describe('philox4x32', () => {
  // Random123 kat_vectors, "philox4x32 10" lines: counter, key, expected.
  const vectors: [number[], number[], number[]][] = [
    [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
    [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
    [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
  ];
  for (const [counter, key, expected] of vectors) {
    it(`matches the Random123 known answer for key ${key.map((w) => w.toString(16)).join(' ')}`, () => {
      assert.deepEqual([...philox4x32(counter, key, new Uint32Array(4))], expected);
    });
  }
});

describe('candidateStream', () => {
  it('gives uniforms in [0, 1) that are exact float32 multiples of 2^-24', () => {
    for (const u of draw(candidateStream(12345, 7), 10_000)) {
      assert.ok(u >= 0 && u < 1, `${u} out of range`);
      assert.equal(Math.fround(u), u);
      assert.ok(Number.isInteger(u * 2 ** 24));
    }
  });

  it('gives the same stream for the same seed and index whatever else was drawn, and in any order', () => {
    const alone = draw(candidateStream(99, 3), 50);
    const a = candidateStream(99, 5);
    const b = candidateStream(99, 3);
    const interleaved: number[] = [];
    for (let i = 0; i < 50; i++) {
      a();
      interleaved.push(b());
    }
    assert.deepEqual(interleaved, alone);
  });

  it('gives different streams for neighbouring indices, seeds, and indices 2^32 apart', () => {
    const base = draw(candidateStream(1, 0), 8);
    assert.notDeepEqual(draw(candidateStream(1, 1), 8), base);
    assert.notDeepEqual(draw(candidateStream(2, 0), 8), base);
    assert.notDeepEqual(draw(candidateStream(1, 2 ** 32), 8), base);
  });

  it('is close to uniform: mean and decile counts of 100k draws', () => {
    const values = draw(candidateStream(7, 11), 100_000);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
    const deciles = new Array<number>(10).fill(0);
    for (const u of values) deciles[Math.floor(u * 10)]!++;
    for (const count of deciles) assert.ok(Math.abs(count - 10_000) < 500, `decile count ${count}`);
  });

  it('rejects an index that is negative or not an integer', () => {
    assert.throws(() => candidateStream(1, -1), RangeError);
    assert.throws(() => candidateStream(1, 1.5), RangeError);
  });
});

describe('drawRandomSeed', () => {
  it('returns a uint32 that varies between calls', () => {
    const seeds = Array.from({ length: 8 }, drawRandomSeed);
    for (const seed of seeds) assert.ok(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff);
    assert.ok(new Set(seeds).size > 1);
  });
});
