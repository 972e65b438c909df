import { isUtf8 } from 'node:buffer';

/** Longest physical line accepted in a training file; longer ones are almost always not records. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** Why a file's bytes are not trainable text, with the 1-based line it happens on. */
export interface TextProblem {
  line: number;
  reason: string;
}

/**
 * Checks that the bytes are text a person would train on: no NUL (a binary file), valid UTF-8,
 * and no line over 1 MB. Returns the first problem found, or null.
 */
export function findTextProblem(bytes: Uint8Array): TextProblem | null {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return { line: lineAt(bytes, nul), reason: 'holds a NUL byte, so it looks like a binary file, not text or CSV' };
  }
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8Offset(bytes);
    return {
      line: lineAt(bytes, offset),
      reason: `holds a byte sequence that is not valid UTF-8 (byte 0x${bytes[offset]!.toString(16).padStart(2, '0')} at byte offset ${offset}); save the file as UTF-8`,
    };
  }
  let start = 0;
  let line = 1;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    if (end - start > MAX_LINE_BYTES) {
      return { line, reason: `is ${end - start} bytes long; lines over ${MAX_LINE_BYTES} bytes (1 MB) are refused` };
    }
    start = end + 1;
    line++;
  }
  return null;
}

/** 1-based line number of a byte offset. */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (RFC 3629: no overlongs, no surrogates). */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let length: number;
    let min: number;
    if (b < 0x80) { i++; continue; }
    else if (b >= 0xc2 && b <= 0xdf) { length = 2; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { length = 3; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { length = 4; min = 0x10000; }
    else return i;
    if (i + length > bytes.length) return i;
    let code = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k]!;
      if ((next & 0xc0) !== 0x80) return i;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += length;
  }
  return bytes.length;
}
