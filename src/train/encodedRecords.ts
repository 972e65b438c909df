/**
 * Token ids of a stream in the narrowest storage that holds the vocabulary: a byte each up to 256
 * symbols, 9 bits (NineBitIds) up to 512, then 16 or 32 (Int32Array only in hand-made streams).
 * Read with idAt / copyIds, which serve every kind.
 */
export type TokenIds = Uint8Array | NineBitIds | Uint16Array | Uint32Array | Int32Array;

/**
 * Ids below 512 as a byte each plus one bit per id in a second array: 1.125 bytes per token where
 * 16-bit ids take 2. Why: value tokens put most tables' vocabularies just past 256 (the bundled
 * customers table has 300 symbols), and the training part is the one thing in memory that grows
 * with the table: 285 MB of 16-bit ids for the 3,000,000-row table, 160 MB in 9 bits.
 */
export class NineBitIds {
  /** The low 8 bits of each id. */
  readonly low: Uint8Array;
  /** Bit i % 8 of high[i >> 3] is bit 8 of id i. */
  readonly high: Uint8Array;

  constructor(readonly length: number, arrays?: { low: Uint8Array; high: Uint8Array }) {
    this.low = arrays?.low ?? new Uint8Array(length);
    this.high = arrays?.high ?? new Uint8Array((length + 7) >>> 3);
  }

  get byteLength(): number {
    return this.low.byteLength + this.high.byteLength;
  }

  get(i: number): number {
    return this.low[i]! | (((this.high[i >>> 3]! >>> (i & 7)) & 1) << 8);
  }

  set(i: number, id: number): void {
    this.low[i] = id & 0xff;
    const bit = 1 << (i & 7);
    if (id & 0x100) this.high[i >>> 3]! |= bit;
    else this.high[i >>> 3]! &= ~bit;
  }

  /** A copy of the first `length` ids. */
  slice(_from: 0, length: number): NineBitIds {
    return new NineBitIds(length, { low: this.low.slice(0, length), high: this.high.slice(0, (length + 7) >>> 3) });
  }

  /** The first `length` ids, sharing this stream's memory. */
  subarray(_from: 0, length: number): NineBitIds {
    return new NineBitIds(length, { low: this.low.subarray(0, length), high: this.high.subarray(0, (length + 7) >>> 3) });
  }
}

/** Id i of any kind of stream. */
export function idAt(ids: TokenIds, i: number): number {
  return ids instanceof NineBitIds ? ids.get(i) : ids[i]!;
}

/** Copies ids [from, to) of `source` into `target` from position `at`. */
export function copyIds(source: TokenIds, from: number, to: number, target: TokenIds, at: number): void {
  if (!(source instanceof NineBitIds) && !(target instanceof NineBitIds)) {
    target.set(source.subarray(from, to), at);
  } else if (source instanceof NineBitIds && target instanceof Int32Array) {
    for (let i = from, j = at; i < to; i++, j++) target[j] = source.get(i);
  } else {
    for (let i = from, j = at; i < to; i++, j++) setId(target, j, idAt(source, i));
  }
}

/** All ids of a stream as plain numbers (a copy: for tests and small streams). */
export function plainIds(ids: TokenIds): Int32Array {
  const out = new Int32Array(ids.length);
  copyIds(ids, 0, ids.length, out, 0);
  return out;
}

/** Record i's ids, its end-of-record last, as plain numbers. */
export function recordIds(records: EncodedRecords, i: number): Int32Array {
  const from = records.offsets[i]!;
  const out = new Int32Array(records.offsets[i + 1]! - from);
  copyIds(records.ids, from, from + out.length, out, 0);
  return out;
}

function setId(ids: TokenIds, i: number, id: number): void {
  if (ids instanceof NineBitIds) ids.set(i, id);
  else ids[i] = id;
}

/** Positions in a token array: 4 bytes each while they fit, 8 beyond 2^32 tokens. */
export type Positions = Uint32Array | Float64Array;

/**
 * Encoded records back to back as one token stream, [EOR, record 0..., EOR, record 1..., EOR]:
 * every record follows an end-of-record, exactly the context generation starts from. Record i is
 * ids[offsets[i], offsets[i + 1]), its own end-of-record last. A few bytes per token, and no
 * JavaScript object per record.
 */
export interface EncodedRecords {
  ids: TokenIds;
  /** count + 1 entries; offsets[0] = 1 (after the leading end-of-record), offsets[count] = ids.length. */
  offsets: Positions;
  count: number;
}

export function tokenIdArray(vocabSize: number, length: number): TokenIds {
  if (vocabSize <= 0x100) return new Uint8Array(length);
  if (vocabSize <= 0x200) return new NineBitIds(length);
  return vocabSize <= 0x10000 ? new Uint16Array(length) : new Uint32Array(length);
}

/** An empty stream of the same kind as `ids`. */
function sameKind(ids: TokenIds, length: number): TokenIds {
  return ids instanceof NineBitIds ? new NineBitIds(length) : new (ids.constructor as new (n: number) => Exclude<TokenIds, NineBitIds>)(length);
}

export function positionArray(length: number, largest: number): Positions {
  return largest < 2 ** 32 ? new Uint32Array(length) : new Float64Array(length);
}

/**
 * Appends encoded records to preallocated arrays. The caller passes an upper bound of the tokens
 * (from the first pass), so the arrays are allocated once; a tokenizer that outgrows the bound
 * still works, by growing 1.5×.
 */
export class EncodedRecordsBuilder {
  private ids: TokenIds;
  private offsets: Positions;
  private length = 1;
  private count = 0;

  constructor(private readonly vocabSize: number, recordCount: number, tokenCapacity: number, endOfRecord: number) {
    this.ids = tokenIdArray(vocabSize, Math.max(1, tokenCapacity + 1));
    setId(this.ids, 0, endOfRecord);
    this.offsets = positionArray(recordCount + 1, tokenCapacity + 1);
    this.offsets[0] = 1;
  }

  /** One record's ids as the tokenizer's encodeRecord gives them (its end-of-record last). */
  add(record: ArrayLike<number>): void {
    if (this.length + record.length > this.ids.length) this.growIds(this.length + record.length);
    if (this.count + 1 >= this.offsets.length) this.growOffsets();
    const { ids } = this;
    if (ids instanceof NineBitIds) for (let i = 0; i < record.length; i++) ids.set(this.length + i, record[i]!);
    else for (let i = 0; i < record.length; i++) ids[this.length + i] = record[i]!;
    this.length += record.length;
    this.offsets[++this.count] = this.length;
  }

  /** The records so far; the arrays are trimmed when more than an eighth of them is unused. */
  finish(): EncodedRecords {
    const trim = <T extends TokenIds | Positions>(array: T, used: number): T =>
      (used < array.length * 0.875 ? array.slice(0, used) : array.subarray(0, used)) as T;
    return { ids: trim(this.ids, this.length), offsets: trim(this.offsets, this.count + 1), count: this.count };
  }

  private growIds(needed: number): void {
    const grown = tokenIdArray(this.vocabSize, Math.max(needed, Math.ceil(this.ids.length * 1.5)));
    copyIds(this.ids, 0, this.length, grown, 0);
    this.ids = grown;
    if (this.offsets instanceof Uint32Array && grown.length >= 2 ** 32) {
      const wide = new Float64Array(this.offsets.length);
      wide.set(this.offsets);
      this.offsets = wide;
    }
  }

  private growOffsets(): void {
    const grown = this.offsets instanceof Uint32Array ? new Uint32Array(Math.ceil(this.offsets.length * 1.5) + 1) : new Float64Array(Math.ceil(this.offsets.length * 1.5) + 1);
    grown.set(this.offsets);
    this.offsets = grown;
  }
}

/**
 * The stream [EOR, records[i0]..., records[i1]..., ...] of the chosen records, in the given
 * order: what one sampled epoch trains on.
 */
export function concatRecords(records: EncodedRecords, chosen: ArrayLike<number>, endOfRecord: number): TokenIds {
  const { ids, offsets } = records;
  let length = 1;
  for (let k = 0; k < chosen.length; k++) length += offsets[chosen[k]! + 1]! - offsets[chosen[k]!]!;
  const out = sameKind(ids, length);
  setId(out, 0, endOfRecord);
  let at = 1;
  for (let k = 0; k < chosen.length; k++) {
    const i = chosen[k]!;
    copyIds(ids, offsets[i]!, offsets[i + 1]!, out, at);
    at += offsets[i + 1]! - offsets[i]!;
  }
  return out;
}
