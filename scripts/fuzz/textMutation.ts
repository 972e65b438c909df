import type { CaseRandom } from './random.js';

/** A file's bytes after one damage, and what was done, for the report. */
export interface Damaged {
  bytes: Buffer;
  what: string;
}

const INVALID_UTF8: readonly Buffer[] = [
  Buffer.from([0xff]),
  Buffer.from([0xc3]), // a lead byte without its continuation
  Buffer.from([0xc0, 0xaf]), // overlong "/"
  Buffer.from([0xed, 0xa0, 0x80]), // a UTF-16 surrogate encoded
  Buffer.from([0xf4, 0x90, 0x80, 0x80]), // past U+10FFFF
  Buffer.from([0x80, 0x80]),
];

/**
 * Byte-level damage every text input must survive: line-end styles, a BOM, NUL bytes, invalid
 * UTF-8, flipped, cut or inserted bytes. Applied to training files, seed files and schema files.
 */
export function damageText(random: CaseRandom, bytes: Buffer): Damaged {
  const at = random.int(0, bytes.length);
  const choice = random.weighted<() => Damaged>([
    [2, () => ({ bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]), what: 'UTF-8 BOM' })],
    [2, () => ({ bytes: Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1'), what: 'CRLF line ends' })],
    [2, () => ({ bytes: Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r'), 'latin1'), what: 'CR line ends' })],
    [1, () => ({ bytes: Buffer.from(bytes.toString('latin1').replace(/\n/g, () => random.pick(['\n', '\r\n', '\r'])), 'latin1'), what: 'mixed line ends' })],
    [3, () => ({ bytes: splice(bytes, at, 0, Buffer.from([0])), what: `NUL byte at ${at}` })],
    [3, () => ({ bytes: splice(bytes, at, 0, random.pick(INVALID_UTF8)), what: `invalid UTF-8 at ${at}` })],
    [2, () => ({ bytes: bytes.subarray(0, at), what: `truncated at byte ${at}` })],
    [2, () => flipBits(random, bytes)],
    [2, () => ({ bytes: splice(bytes, at, random.int(1, 20), Buffer.alloc(0)), what: `bytes deleted at ${at}` })],
    [2, () => ({ bytes: splice(bytes, at, 0, random.bytes(random.int(1, 16))), what: `random bytes inserted at ${at}` })],
    [1, () => ({ bytes: splice(bytes, at, 0, Buffer.from('😀é\u0301\u202e')), what: `emoji, combining and bidi characters at ${at}` })],
    [1, () => ({ bytes: Buffer.alloc(0), what: 'empty file' })],
    [1, () => ({ bytes: Buffer.from('\n\n\r\n\n'), what: 'line ends only' })],
  ]);
  return choice();
}

function flipBits(random: CaseRandom, bytes: Buffer): Damaged {
  const out = Buffer.from(bytes);
  const n = random.int(1, 8);
  for (let i = 0; i < n && out.length > 0; i++) out[random.int(0, out.length - 1)]! ^= 1 << random.int(0, 7);
  return { bytes: out, what: `${n} bits flipped` };
}

export function splice(bytes: Buffer, at: number, deleteCount: number, insert: Buffer): Buffer {
  return Buffer.concat([bytes.subarray(0, at), insert, bytes.subarray(Math.min(bytes.length, at + deleteCount))]);
}
