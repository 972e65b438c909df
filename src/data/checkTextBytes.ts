import { isUtf8 } from 'node:buffer';

/** Longest physical line accepted in a training file; longer ones are almost always not records. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** Why a file's bytes are not trainable text, with the 1-based line it happens on. */
export interface TextProblem {
  line: number;
  reason: string;
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * Checks a file's bytes chunk by chunk, as they stream in, that they are text a person would
 * train on: no NUL (a binary file), valid UTF-8, no line over 1 MB. `chunk` returns the bytes to
 * pass on (a leading UTF-8 BOM dropped) or the first problem; `end` reports a problem that only the
 * end of the file reveals (a cut UTF-8 sequence, an over-long last line). Lines are counted by
 * line feeds, so CRLF files count as people do; memory stays a few bytes whatever the line length.
 */
export class TextByteCheck {
  /** Whether a byte other than blank space or a line end was seen ("is empty" otherwise). */
  sawContent = false;
  private line = 1;
  private lineBytes = 0;
  private offset = 0;
  /** The bytes of a UTF-8 sequence cut by the chunk boundary, checked with the next chunk. */
  private carry: Uint8Array = new Uint8Array(0);
  private longLine = false;
  /** The first bytes while they could still be a BOM cut by a chunk boundary; null once decided. */
  private head: Uint8Array | null = new Uint8Array(0);

  chunk(input: Uint8Array): { bytes: Uint8Array } | { problem: TextProblem } {
    let bytes = input;
    if (this.head !== null) {
      bytes = this.head.length === 0 ? input : Buffer.concat([this.head, input]);
      if (bytes.length < 3 && bytes.every((b, i) => b === BOM[i])) {
        this.head = Uint8Array.from(bytes);
        return { bytes: new Uint8Array(0) };
      }
      this.head = null;
      if (BOM.every((b, i) => bytes[i] === b)) {
        bytes = bytes.subarray(3);
        this.offset = 3;
      }
    }
    // A line over the limit is refused once its end is seen, so the message gives its length.
    const problem = this.longLine ? null : this.checkNul(bytes) ?? this.checkUtf8(bytes);
    if (problem) return { problem };
    const tooLong = this.countLines(bytes);
    if (tooLong) return { problem: tooLong };
    this.offset += bytes.length;
    if (!this.sawContent) this.sawContent = bytes.some((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
    return { bytes: this.longLine ? new Uint8Array(0) : bytes };
  }

  end(): TextProblem | null {
    if (this.head !== null && this.head.length > 0) return this.invalidUtf8(this.head, 0, 0, 1);
    if (this.carry.length > 0) return this.invalidUtf8(this.carry, 0, this.offset - this.carry.length, this.line);
    if (this.lineBytes > MAX_LINE_BYTES) return this.lineTooLong(this.line, this.lineBytes);
    return null;
  }

  private checkNul(bytes: Uint8Array): TextProblem | null {
    const nul = bytes.indexOf(0);
    if (nul < 0) return null;
    return { line: this.line + countLineFeeds(bytes, 0, nul), reason: 'holds a NUL byte, so it looks like a binary file, not text or CSV' };
  }

  private checkUtf8(chunk: Uint8Array): TextProblem | null {
    const bytes = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    const start = this.offset - this.carry.length;
    const lineAtStart = this.line - countLineFeeds(this.carry, 0, this.carry.length);
    const complete = completeSequencesEnd(bytes);
    if (!isUtf8(bytes.subarray(0, complete))) {
      return this.invalidUtf8(bytes.subarray(0, complete), firstInvalidUtf8Offset(bytes.subarray(0, complete)), start, lineAtStart);
    }
    this.carry = Uint8Array.from(bytes.subarray(complete));
    return null;
  }

  private invalidUtf8(bytes: Uint8Array, at: number, fileOffset: number, lineAtStart: number): TextProblem {
    return {
      line: lineAtStart + countLineFeeds(bytes, 0, at),
      reason: `holds a byte sequence that is not valid UTF-8 (byte 0x${bytes[at]!.toString(16).padStart(2, '0')} at byte offset ${fileOffset + at}); save the file as UTF-8`,
    };
  }

  /** Advances the line count over a chunk; the first line found over the limit is the problem. */
  private countLines(bytes: Uint8Array): TextProblem | null {
    let start = 0;
    for (let end = bytes.indexOf(0x0a); end >= 0; end = bytes.indexOf(0x0a, start)) {
      const length = this.lineBytes + end - start;
      if (length > MAX_LINE_BYTES) return this.lineTooLong(this.line, length);
      this.lineBytes = 0;
      this.line++;
      start = end + 1;
    }
    this.lineBytes += bytes.length - start;
    if (this.lineBytes > MAX_LINE_BYTES) this.longLine = true;
    return null;
  }

  private lineTooLong(line: number, length: number): TextProblem {
    return { line, reason: `is ${length} bytes long; lines over ${MAX_LINE_BYTES} bytes (1 MB) are refused` };
  }
}

/** Checks a whole buffer at once (the same rules as TextByteCheck); the first problem or null. */
export function findTextProblem(bytes: Uint8Array): TextProblem | null {
  const check = new TextByteCheck();
  const result = check.chunk(bytes);
  return 'problem' in result ? result.problem : check.end();
}

function countLineFeeds(bytes: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let i = bytes.indexOf(0x0a, from); i >= 0 && i < to; i = bytes.indexOf(0x0a, i + 1)) count++;
  return count;
}

/**
 * Where the last complete UTF-8 sequence ends: a lead byte in the last three bytes whose
 * sequence runs past the end is left for the next chunk. Invalid bytes are left in place for
 * isUtf8 to refuse.
 */
function completeSequencesEnd(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for its lead
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
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
