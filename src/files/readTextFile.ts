import { open } from 'node:fs/promises';

/** A file given by the user held more than the reader takes; nothing past the limit was read. */
export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`larger than ${maxBytes / 2 ** 20} MiB`);
    this.name = 'FileTooLargeError';
  }
}

const CHUNK_BYTES = 1 << 20;

/**
 * Reads a whole UTF-8 file of at most `maxBytes`, stopping as soon as it holds more. The limit
 * is counted while reading, not taken from stat, because a pipe or a device such as /dev/zero
 * reports no size: readFile would grow a buffer until the string limit, through 600 MB of memory.
 */
export async function readTextFile(file: string, maxBytes: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw new FileTooLargeError(maxBytes);
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await handle.close();
  }
}
