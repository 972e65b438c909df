import { message, option, UsageError } from '../errors.js';

/** Shard `index` (1-based) of `count`: one of count disjoint parts of a run. */
export interface Shard {
  index: number;
  count: number;
}

/**
 * Candidate indices per shard: shard i draws candidates (i-1) * 2^40, (i-1) * 2^40 + 1, ..., so
 * shards never share a candidate (and its random stream) unless one needs more than 2^40
 * (~10^12) candidates, weeks of generation. Shard 1 starts at 0: `--shard 1/N` begins exactly like
 * the unsharded run. 2^53 / 2^40 bounds the shard count at 8192.
 */
export const SHARD_STRIDE = 2 ** 40;
export const MAX_SHARDS = 8192;

/** Parses "I/N" (1 <= I <= N <= 8192); throws a UsageError naming the accepted form. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw new UsageError(message`${option('shard')} ${text}: expected I/N with 1 <= I <= N <= ${MAX_SHARDS}, e.g. 2/4 for the second of four parts`);
  }
  return { index, count };
}

/** The part of `total` that shard `index` owns: [start, end), sizes differing by at most one. */
export function shardRange(total: number, { index, count }: Shard): { start: number; end: number } {
  return { start: Math.floor((total * (index - 1)) / count), end: Math.floor((total * index) / count) };
}

/** First candidate index of the shard (see SHARD_STRIDE). */
export function shardFirstIndex(shard: Shard | undefined): number {
  return shard ? (shard.index - 1) * SHARD_STRIDE : 0;
}
