import { concatRecords, NineBitIds, tokenIdArray, type EncodedRecords, type TokenIds } from './encodedRecords.js';
import { reorderedRecords, type FieldOrderPlan } from './fieldOrders.js';
import { indices, sampleWithoutReplacement, type Random } from '../random/seededRandom.js';
import { makeWindows, type Windows } from './trainingBatches.js';

/** A token stream and its windows: what one epoch (or the validation pass) runs over. */
export interface TokenData {
  stream: TokenIds;
  windows: Windows;
  /** Records in the stream. */
  records: number;
}

/** What each epoch trains on; epochs are asked for in order, 1, 2, 3, ... */
export interface EpochSource {
  /** Records each epoch trains on. */
  readonly recordsPerEpoch: number;
  epoch(epoch: number): TokenData;
}

/** Windows over the whole of some encoded records (the training part, or the validation records). */
export function allRecords(records: EncodedRecords, sequenceLength: number, endOfRecord: number): TokenData {
  return { stream: records.ids, windows: makeWindows(records.ids, sequenceLength, endOfRecord), records: records.count };
}

/**
 * A field-token model's records get fresh field orders each epoch (fieldOrders.ts), drawn from
 * `random`, a stream of their own.
 */
export interface FieldOrders {
  plan: FieldOrderPlan;
  random: Random;
}

/**
 * Every epoch trains on every training record (windows in a fresh order each epoch, chosen by the
 * loop); with `orders`, each epoch's records in freshly drawn field orders (same windows: a
 * record's length does not depend on its order).
 */
export function everyRecordEachEpoch(train: EncodedRecords, sequenceLength: number, endOfRecord: number, orders?: FieldOrders): EpochSource {
  const data = allRecords(train, sequenceLength, endOfRecord);
  if (!orders) return { recordsPerEpoch: train.count, epoch: () => data };
  let current: { epoch: number; data: TokenData } | null = null;
  return {
    recordsPerEpoch: train.count,
    epoch(epoch) {
      if (current?.epoch === epoch) return current.data;
      const stream = freshStream(train.ids, endOfRecord);
      reorderedRecords(train, null, orders.plan, orders.random, stream);
      current = { epoch, data: { ...data, stream } };
      return current.data;
    },
  };
}

function freshStream(like: TokenIds, endOfRecord: number): TokenIds {
  const vocabBound = like instanceof Uint8Array ? 0x100 : like instanceof Uint16Array ? 0x10000 : like instanceof Uint32Array || like instanceof Int32Array ? 0x10001 : 0x200;
  const stream = tokenIdArray(vocabBound, like.length);
  if (stream instanceof NineBitIds) stream.set(0, endOfRecord);
  else stream[0] = endOfRecord;
  return stream;
}

/**
 * Each epoch trains on `perEpoch` training records drawn without replacement, independently per
 * epoch, from `random` (a stream of its own, so sampling leaves the rest of a seeded run as it
 * was). The chosen records are copied into a stream of their own, a few bytes per token, and cut
 * into windows as the whole training part would be, each window starting at an end-of-record.
 */
export function sampledRecordsEachEpoch(
  train: EncodedRecords,
  perEpoch: number,
  sequenceLength: number,
  endOfRecord: number,
  random: Random,
  orders?: FieldOrders,
): EpochSource {
  if (perEpoch >= train.count) return everyRecordEachEpoch(train, sequenceLength, endOfRecord, orders);
  const pool = indices(train.count);
  let current: { epoch: number; data: TokenData } | null = null;
  return {
    recordsPerEpoch: perEpoch,
    epoch(epoch) {
      if (current?.epoch === epoch) return current.data;
      const chosen = sampleWithoutReplacement(train.count, perEpoch, random, pool);
      let stream = concatRecords(train, chosen, endOfRecord);
      if (orders) stream = reorderedRecords(train, chosen, orders.plan, orders.random, stream);
      current = { epoch, data: { stream, windows: makeWindows(stream, sequenceLength, endOfRecord), records: perEpoch } };
      return current.data;
    },
  };
}
