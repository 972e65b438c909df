/**
 * A record's identity for copy detection: all fields, in order, joined by NUL, which the data reader
 * refuses in text files, so field borders stay exact. (JSON.stringify did the same at 5× the cost:
 * it was the largest part of scoring 100,000 records.)
 */
export function recordKey(fields: readonly string[]): string {
  return fields.join('\u0000');
}

/** The set of record keys of a reference set, built once and reused for several comparisons. */
export function recordKeySet(records: Iterable<readonly string[]>): Set<string> {
  const keys = new Set<string>();
  for (const fields of records) keys.add(recordKey(fields));
  return keys;
}

/** Share of `records` whose fields all equal those of some reference record (0 for no records). */
export function exactCopyShare(records: readonly (readonly string[])[], reference: ReadonlySet<string>): number {
  if (records.length === 0) return 0;
  let copies = 0;
  for (const fields of records) if (reference.has(recordKey(fields))) copies++;
  return copies / records.length;
}
