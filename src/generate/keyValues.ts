import { philox4x32 } from '../engine/rng.js';
import { message, option, UsageError, type Warn } from '../errors.js';
import { describeKey, formatKeyNumber } from '../schema/keyColumns.js';
import type { KeySpec, RecordSchema } from '../schema/schema.js';

/**
 * Key stream of a UUID key: one Philox block per record number under (random seed, KEY_STREAM),
 * a key word of its own so these draws never coincide with a candidate's sampling stream.
 */
const KEY_STREAM = 0x6b657973; // "keys"

/** The record numbers a run gives keys to: `total` for the whole run (all shards). */
export interface KeyNumbering {
  total: number;
}

/** Writes the key fields of a record: value number `r` of each key (r: the record's place in the whole run). */
export type KeyFiller = (fields: string[], r: number) => void;

type SequenceKey = Extract<KeySpec, { format: 'sequence' }>;

/**
 * The filler of the schema's key fields for a run of `numbering.total` records, or undefined when
 * the schema has none. A sequence key that cannot hold the run's numbers at its width grows by
 * as many digits as it needs, for the whole run, and says so through `warn`; one with
 * `fixedWidth` stops the run here instead (UsageError).
 */
export function planKeys(schema: RecordSchema, numbering: KeyNumbering, randomSeed: number, warn: Warn): KeyFiller | undefined {
  const makers = schema.fields.flatMap((field, i) => (field.key ? [{ i, value: keyMaker(field.name, field.key, numbering.total, randomSeed, warn) }] : []));
  if (makers.length === 0) return undefined;
  return (fields, r) => {
    for (const { i, value } of makers) if (i < fields.length) fields[i] = value(r);
  };
}

function keyMaker(name: string, key: KeySpec, total: number, randomSeed: number, warn: Warn): (r: number) => string {
  if (key.format === 'uuid') return (r) => uuidOf(randomSeed, r, key.uppercase === true);
  const last = key.start + Math.max(0, total - 1);
  if (!Number.isSafeInteger(last)) throw new UsageError(message`${option('lines')} ${total}: key field ${JSON.stringify(name)} would pass ${Number.MAX_SAFE_INTEGER} counting up from ${key.start}; ask for fewer lines`);
  const digits = runDigits(name, key, total, last, warn);
  return (r) => formatKeyNumber(key, key.start + r, digits);
}

/** The width the run's numbers are written at: the key's own, or wider when the last does not fit. */
function runDigits(name: string, key: SequenceKey, total: number, last: number, warn: Warn): number {
  const needed = String(last).length;
  if (key.digits === 0 || needed <= key.digits) return key.digits;
  const holds = Math.max(0, 10 ** key.digits - key.start);
  if (key.fixedWidth) {
    const range = holds > 0 ? ` (${formatKeyNumber(key, key.start, key.digits)} to ${formatKeyNumber(key, 10 ** key.digits - 1, key.digits)})` : '';
    throw new UsageError(
      message`${option('lines')} ${total}: key field ${JSON.stringify(name)} (${describeKey(key)}) has a fixed width that holds ${holds.toLocaleString('en-US')} fresh values${range}; ask for at most that many, or drop "fixedWidth" from its key in the ${option('schemaFile')} so it may grow`,
    );
  }
  warn(
    message`key field ${JSON.stringify(name)}: ${key.digits} digits hold ${holds.toLocaleString('en-US')} fresh values, fewer than the run's ${total.toLocaleString('en-US')}; its keys have ${needed} digits in this run (${formatKeyNumber(key, key.start, needed)}, ...)`,
  );
  return needed;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const counter = new Uint32Array(4);
const streamKey = new Uint32Array(2);
const block = new Uint32Array(4);
/** The block's bytes in the platform's order (little-endian wherever Node runs), as the output contract is per machine. */
const bytes = new Uint8Array(block.buffer);

/** A version-4 (random) UUID drawn from record number r's block of the key stream. */
export function uuidOf(randomSeed: number, r: number, uppercase: boolean): string {
  counter[2] = r >>> 0;
  counter[3] = Math.floor(r / 2 ** 32) >>> 0;
  streamKey[0] = randomSeed >>> 0;
  streamKey[1] = KEY_STREAM;
  philox4x32(counter, streamKey, block);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  let text = '';
  for (let i = 0; i < 16; i++) text += (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + HEX[bytes[i]!]!;
  return uppercase ? text.toUpperCase() : text;
}
