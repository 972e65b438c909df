/**
 * A record's identity for copy detection: all fields but the key columns (`keyColumns`, whose
 * values are made fresh and would hide a copy of the rest), in order, joined by NUL, which the
 * data reader refuses in text files, so field borders stay exact. (JSON.stringify did the same at
 * 5× the cost: it was the largest part of scoring 100,000 records.)
 */
export function recordKey(fields: readonly string[], keyColumns: ReadonlySet<number> = NO_KEYS): string {
  return keyColumns.size === 0 ? fields.join('\u0000') : fields.filter((_, i) => !keyColumns.has(i)).join('\u0000');
}

const NO_KEYS: ReadonlySet<number> = new Set();

/** The record keys of a reference set, built once and reused for several comparisons. */
export interface RecordKeySet {
  keys: ReadonlySet<string>;
  keyColumns: ReadonlySet<number>;
}

/** The set of record keys of a reference set, leaving out `keyColumns`. */
export function recordKeySet(records: Iterable<readonly string[]>, keyColumns: ReadonlySet<number> = NO_KEYS): RecordKeySet {
  const keys = new Set<string>();
  for (const fields of records) keys.add(recordKey(fields, keyColumns));
  return { keys, keyColumns };
}

/** Share of `records` whose fields (key columns aside) all equal those of some reference record (0 for no records). */
export function exactCopyShare(records: readonly (readonly string[])[], reference: RecordKeySet): number {
  if (records.length === 0) return 0;
  let copies = 0;
  for (const fields of records) if (reference.keys.has(recordKey(fields, reference.keyColumns))) copies++;
  return copies / records.length;
}
