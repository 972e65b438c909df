import type { Candidate } from '../engine/generator.js';
import type { RecordKind } from '../model/manifest.js';
import { formatDelimitedRow } from '../output/delimitedRow.js';
import type { CharTokenizer } from '../tokenizer/charTokenizer.js';
import type { GeneratedRecord } from '../validate/record.js';

/** Decodes a candidate's token ids into the record the validators and writers see. */
export function toGeneratedRecord(candidate: Candidate, tokenizer: CharTokenizer, records: RecordKind): GeneratedRecord {
  return recordOfFields(candidate.index, tokenizer.decodeFields(candidate.ids), records);
}

/** The record of candidate `index` with these fields (in the table's order). */
export function recordOfFields(index: number, fields: string[], records: RecordKind): GeneratedRecord {
  const text = records.kind === 'delimited' ? formatDelimitedRow(fields, records.delimiter) : fields.join('');
  return { index, text, fields };
}
