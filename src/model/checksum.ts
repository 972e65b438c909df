import { createHash } from 'node:crypto';

/** Hex sha256 of a byte array; the checksum synth.json records for each weights file. */
export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
