import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { findTextProblem, TextByteCheck } from '../src/data/checkTextBytes.js';

// The reader checks a file chunk by chunk as it streams; where the chunks fall must not change what
// is found, nor the bytes passed on (BOM dropped, everything else untouched).

const piece = fc.constantFrom(
  [0x61], [0x62], [0x20], [0x2c], [0x0a], [0x0d, 0x0a], // a b space , LF CRLF
  [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], // é € 😀
  [0xff], [0xc3], [0xe2, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf], // invalid: stray, cut, bad continuation, surrogate, overlong
);

function checkInChunks(bytes: Uint8Array, cuts: number[]): { problem: unknown } | { bytes: number[] } {
  const check = new TextByteCheck();
  const out: number[] = [];
  let from = 0;
  for (const to of [...cuts.filter((c) => c < bytes.length).sort((a, b) => a - b), bytes.length]) {
    const result = check.chunk(bytes.subarray(from, to));
    if ('problem' in result) return { problem: result.problem };
    out.push(...result.bytes);
    from = to;
  }
  const problem = check.end();
  return problem ? { problem } : { bytes: out };
}

test('chunk boundaries change neither the problem found nor the bytes passed on', () => {
  fc.assert(
    fc.property(fc.boolean(), fc.array(piece, { maxLength: 60 }), fc.array(fc.nat(200), { maxLength: 8 }), (bom, pieces, cuts) => {
      const bytes = Uint8Array.from([...(bom ? [0xef, 0xbb, 0xbf] : []), ...pieces.flat()]);
      const whole = checkInChunks(bytes, []);
      assert.deepEqual(checkInChunks(bytes, cuts), whole);
      assert.deepEqual(findTextProblem(bytes) ?? null, 'problem' in whole ? whole.problem : null);
      assert.equal('bytes' in whole, isValid(bytes), 'refused exactly when the bytes are not UTF-8');
      if ('bytes' in whole) assert.deepEqual(whole.bytes, [...bytes.subarray(bom ? 3 : 0)]);
    }),
    { numRuns: 2000, seed: 13 },
  );
});

function isValid(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

test('the line of an invalid byte counts the line feeds before it, wherever the chunks fall', () => {
  const bytes = Buffer.concat([Buffer.from('one\ntwo\r\nthree é\n'), Buffer.from([0xe2, 0x28]), Buffer.from('\nfive\n')]);
  for (let cut = 1; cut < bytes.length; cut++) {
    const result = checkInChunks(bytes, [cut]);
    assert.deepEqual(result, { problem: { line: 4, reason: 'holds a byte sequence that is not valid UTF-8 (byte 0xe2 at byte offset 18); save the file as UTF-8' } }, `cut at ${cut}`);
  }
});
