import type { RecordKind } from '../model/manifest.js';
import type { GeneratedRecord } from '../validate/record.js';
import { formatDelimitedRow } from './delimitedRow.js';
import type { OutputFormat } from './format.js';

/** How one output format spells a file: an optional first line, then one line per record. */
export interface RecordLines {
  header: string | undefined;
  line(record: GeneratedRecord): string;
}

/** Text models have one column, named "text" in csv and jsonl. */
const TEXT_COLUMN = 'text';

/** The lines of `format` for records of `kind`; every returned string ends with "\n". */
export function recordLines(format: OutputFormat, kind: RecordKind): RecordLines {
  switch (format) {
    case 'text':
      // record.text is already the record as one line (the CSV row for delimited models).
      return { header: undefined, line: (record) => record.text + '\n' };
    case 'csv':
      if (kind.kind === 'delimited') {
        return { header: formatDelimitedRow(kind.header, kind.delimiter) + '\n', line: (record) => record.text + '\n' };
      }
      return {
        header: TEXT_COLUMN + '\n',
        line: (record) => formatDelimitedRow([record.text], ',') + '\n',
      };
    case 'jsonl':
      if (kind.kind === 'delimited') return { header: undefined, line: jsonObjectLine(kind.header) };
      return { header: undefined, line: (record) => `{"text":${JSON.stringify(record.text)}}\n` };
  }
}

/**
 * Fields by header name, in header order. The object is spelled by hand because JSON.stringify of
 * an object would move integer-like column names first and turn a "__proto__" column into a prototype.
 * With --no-validate a record may have too few fields (missing ones are null) or too many (extra
 * ones are named by their 1-based position, "field_N").
 */
function jsonObjectLine(header: readonly string[]): (record: GeneratedRecord) => string {
  const keys = header.map((name) => JSON.stringify(name) + ':');
  return (record) => {
    const { fields } = record;
    let line = '{';
    const count = Math.max(keys.length, fields.length);
    for (let i = 0; i < count; i++) {
      if (i > 0) line += ',';
      line += keys[i] ?? `"field_${i + 1}":`;
      line += i < fields.length ? JSON.stringify(fields[i]) : 'null';
    }
    return line + '}\n';
  };
}
