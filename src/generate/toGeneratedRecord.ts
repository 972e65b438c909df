import type { Candidate } from '../engine/generator.js';
import type { RecordKind } from '../model/manifest.js';
import { formatDelimitedRow } from '../output/delimitedRow.js';
import type { CharTokenizer } from '../tokenizer/charTokenizer.js';
import type { GeneratedRecord } from '../validate/record.js';

/** Decodes a candidate's token ids into the record the validators and writers see. */
export function toGeneratedRecord(candidate: Candidate, tokenizer: CharTokenizer, records: RecordKind): GeneratedRecord {
  const fields = tokenizer.decodeFields(candidate.ids);
  const text = records.kind === 'delimited' ? formatDelimitedRow(fields, records.delimiter) : fields.join('');
  return { index: candidate.index, text, fields };
}
