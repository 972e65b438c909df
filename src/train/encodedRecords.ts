/** Token ids in the narrowest unsigned type that holds the vocabulary (Int32Array in batches). */
export type TokenIds = Uint8Array | Uint16Array | Uint32Array | Int32Array;

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
  return vocabSize <= 0x100 ? new Uint8Array(length) : vocabSize <= 0x10000 ? new Uint16Array(length) : new Uint32Array(length);
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
    this.ids[0] = endOfRecord;
    this.offsets = positionArray(recordCount + 1, tokenCapacity + 1);
    this.offsets[0] = 1;
  }

  /** One record's ids as the tokenizer's encodeRecord gives them (its end-of-record last). */
  add(record: ArrayLike<number>): void {
    if (this.length + record.length > this.ids.length) this.growIds(this.length + record.length);
    if (this.count + 1 >= this.offsets.length) this.growOffsets();
    const { ids } = this;
    for (let i = 0; i < record.length; i++) ids[this.length + i] = record[i]!;
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
    grown.set(this.ids.subarray(0, this.length));
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
  const out = new (ids.constructor as new (n: number) => TokenIds)(length);
  out[0] = endOfRecord;
  let at = 1;
  for (let k = 0; k < chosen.length; k++) {
    const i = chosen[k]!;
    const record = ids.subarray(offsets[i]!, offsets[i + 1]!);
    out.set(record, at);
    at += record.length;
  }
  return out;
}
