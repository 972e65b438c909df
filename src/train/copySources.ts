import type { RecordSchema } from '../schema/schema.js';
import { MIN_COPY_LENGTH, normalizedCopy, type CopySpec } from '../tokenizer/charTokenizer.js';

/**
 * Share of records in which a text field must hold another field's value for that value to get a
 * copy token. Below it a copy is a coincidence the model may as well spell.
 */
export const MIN_COPY_SHARE = 0.1;

/** Records kept from the first pass to find copies in: enough for a share of 10% ± 1%. */
export const COPY_SAMPLE_RECORDS = 5000;

/**
 * The copies worth a token: for each free-text field, the other fields whose value (as is, or
 * lower-cased letters and digits — an e-mail's "mary.smith") it holds in at least MIN_COPY_SHARE
 * of `records`. Keys (made at generation) are never sources, and a field that copies others is
 * not copied from (of two fields that hold each other, the stronger direction wins), so expanding
 * a copy never waits for another copy.
 */
export function findCopySources(schema: RecordSchema, records: readonly (readonly string[])[]): CopySpec[] {
  const fields = schema.fields;
  const targets = fields.flatMap((f, i) => (f.kind === 'text' && !f.key ? [i] : []));
  const candidates: (CopySpec & { share: number })[] = [];
  for (const field of targets) {
    for (let source = 0; source < fields.length; source++) {
      if (source === field || fields[source]!.key) continue;
      let exact = 0;
      let normalized = 0;
      for (const record of records) {
        const text = record[field] ?? '';
        const value = record[source] ?? '';
        if (value.length >= MIN_COPY_LENGTH && text.includes(value)) exact++;
        else {
          const lower = normalizedCopy(value);
          if (lower.length >= MIN_COPY_LENGTH && text.includes(lower)) normalized++;
        }
      }
      const total = Math.max(1, records.length);
      if (exact / total >= MIN_COPY_SHARE) candidates.push({ field, source, normalized: false, share: exact / total });
      if (normalized / total >= MIN_COPY_SHARE) candidates.push({ field, source, normalized: true, share: normalized / total });
    }
  }
  // Strongest copies first; a field that copies is not copied from, and one copied from does not
  // copy. An airport's name holds its city in 66% of rows and a city its airport's name in 16%
  // (where they are equal): the name copies the city.
  const copying = new Set<number>();
  const sources = new Set<number>();
  const kept: CopySpec[] = [];
  for (const { field, source, normalized } of candidates.sort((a, b) => b.share - a.share)) {
    if (copying.has(source) || sources.has(field)) continue;
    kept.push({ field, source, normalized });
    copying.add(field);
    sources.add(source);
  }
  return kept.sort((a, b) => a.field - b.field || a.source - b.source || Number(a.normalized) - Number(b.normalized));
}

/** `order` with every copy source moved just before the first field that copies it, if it came later. */
export function sourcesFirst(order: readonly number[], copies: readonly CopySpec[]): number[] {
  const result = [...order];
  for (const target of [...new Set(copies.map((c) => c.field))]) {
    for (const source of copies.filter((c) => c.field === target).map((c) => c.source)) {
      const at = result.indexOf(target);
      const from = result.indexOf(source);
      if (from < at) continue;
      result.splice(from, 1);
      result.splice(at, 0, source);
    }
  }
  return result;
}
