import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { candidateStream } from '../src/engine/rng.js';
import { argmax, sampleToken } from '../src/engine/sampler.js';
import { isEndOfRecord, reachedLengthLimit, stopReason } from '../src/engine/stopping.js';

const logitsOf = (probabilities: number[]): Float32Array => Float32Array.from(probabilities, Math.log);

describe('argmax', () => {
  it('returns the index of the largest logit relative to the offset, the first one on ties', () => {
    const row = Float32Array.from([9, 9, 1, 5, 7, 7, 2]);
    assert.equal(argmax(row, 0, 3), 0);
    assert.equal(argmax(row, 3, 4), 1);
  });
});

describe('sampleToken', () => {
  it('is argmax at temperature 0 whatever the uniform', () => {
    const row = Float32Array.from([0.1, 3, 2.9]);
    for (const u of [0, 0.5, 0.999]) assert.equal(sampleToken(row, 0, 3, 0, u), 1);
  });

  it('inverts the cumulative softmax with the uniform', () => {
    const row = logitsOf([0.1, 0.2, 0.7]);
    assert.equal(sampleToken(row, 0, 3, 1, 0), 0);
    assert.equal(sampleToken(row, 0, 3, 1, 0.09), 0);
    assert.equal(sampleToken(row, 0, 3, 1, 0.11), 1);
    assert.equal(sampleToken(row, 0, 3, 1, 0.29), 1);
    assert.equal(sampleToken(row, 0, 3, 1, 0.31), 2);
    assert.equal(sampleToken(row, 0, 3, 1, 1 - 2 ** -24), 2);
  });

  it('divides the logits by the temperature', () => {
    // logits [0, ln 4] at T = 2 give probabilities 1/3 and 2/3 instead of 1/5 and 4/5.
    const row = Float32Array.from([0, Math.log(4)]);
    assert.equal(sampleToken(row, 0, 2, 2, 0.32), 0);
    assert.equal(sampleToken(row, 0, 2, 2, 0.34), 1);
    assert.equal(sampleToken(row, 0, 2, 1, 0.21), 1);
  });

  it('reads only its row of a batch', () => {
    const batch = Float32Array.from([50, 0, 0, 0, 0, 50]);
    assert.equal(sampleToken(batch, 3, 3, 1, 0.5), 2);
  });

  it('draws with the softmax frequencies', () => {
    const probabilities = [0.05, 0.15, 0.3, 0.5];
    const row = logitsOf(probabilities);
    const next = candidateStream(3, 0);
    const counts = [0, 0, 0, 0];
    const n = 40_000;
    for (let i = 0; i < n; i++) counts[sampleToken(row, 0, 4, 1, next())]!++;
    counts.forEach((count, i) => assert.ok(Math.abs(count / n - probabilities[i]!) < 0.01, `token ${i}: ${count / n}`));
  });

  it('never picks a token of zero weight, even with a uniform just below 1', () => {
    const row = Float32Array.from([1, 2, -Infinity, -Infinity]);
    assert.equal(sampleToken(row, 0, 4, 1, 1 - 2 ** -53), 1);
    assert.equal(sampleToken(Float32Array.from([-Infinity, 0, -Infinity]), 0, 3, 0.7, 0.9999), 1);
  });

  it('copes with huge, infinite and NaN logits', () => {
    const huge = Float32Array.from([3e38, -3e38, 3e38]);
    assert.equal(sampleToken(huge, 0, 3, 1, 0.2), 0);
    assert.equal(sampleToken(huge, 0, 3, 1, 0.8), 2);
    assert.equal(sampleToken(Float32Array.from([0, Infinity, 5]), 0, 3, 1, 0.9), 1);
    assert.equal(sampleToken(Float32Array.from([-Infinity, -Infinity]), 0, 2, 1, 0.9), 0);
    assert.equal(sampleToken(Float32Array.from([NaN, 0, NaN]), 0, 3, 1, 0.9), 1);
    assert.equal(sampleToken(Float32Array.from([1, 2]), 0, 2, 1e-320, 0.5), 1);
  });

  it('always returns an index inside the row (property)', () => {
    const logit = fc.oneof(fc.float(), fc.constantFrom(Infinity, -Infinity, NaN, 3.4e38, -3.4e38));
    fc.assert(
      fc.property(
        fc.array(logit, { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        (values, u, temperature) => {
          const token = sampleToken(Float32Array.from(values), 0, values.length, temperature, u);
          return Number.isInteger(token) && token >= 0 && token < values.length;
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('stopping criteria', () => {
  it('stops on the end-of-record token before looking at the length', () => {
    assert.equal(isEndOfRecord(0, 0), true);
    assert.equal(isEndOfRecord(3, 0), false);
    assert.equal(stopReason(0, 10, 0, 10), 'end-of-record');
  });

  it('stops when the record holds maxChars tokens, not before', () => {
    assert.equal(reachedLengthLimit(9, 10), false);
    assert.equal(reachedLengthLimit(10, 10), true);
    assert.equal(stopReason(4, 10, 0, 10), 'length-limit');
    assert.equal(stopReason(4, 9, 0, 10), null);
  });
});
