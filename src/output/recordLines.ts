import type { RecordKind } from '../model/manifest.js';
import type { RecordSchema } from '../schema/schema.js';
import type { TypedRecord } from '../validate/record.js';
import { formatDelimitedRow } from './delimitedRow.js';
import type { OutputFormat } from './format.js';
import { sqlLines, type SqlTarget } from './sqlLines.js';
import { FALLBACK_TABLE } from './sqlTableName.js';

/** How one output format spells a file: an optional first part, one piece per record, and a last part. */
export interface RecordLines {
  header: string | undefined;
  line(record: TypedRecord): string;
  /** Written once after the last record (empty but for sql). */
  footer(): string;
}

/** What the sql format needs besides the record kind; the other formats ignore it. */
export interface SqlSetting extends SqlTarget {
  /** The schema the records were typed by (column types); undefined: every column TEXT. */
  schema: RecordSchema | undefined;
}

/** Text models have one column, named "text" in csv and jsonl. */
const TEXT_COLUMN = 'text';

const noFooter = () => '';

/** The lines of `format` for records of `kind`; every line-based format's strings end with "\n". */
export function recordLines(format: OutputFormat, kind: RecordKind, sql?: SqlSetting): RecordLines {
  switch (format) {
    case 'text':
      // record.text is already the record as one line (the CSV row for delimited models).
      return { header: undefined, line: (record) => record.text + '\n', footer: noFooter };
    case 'csv':
      if (kind.kind === 'delimited') {
        return { header: formatDelimitedRow(kind.header, kind.delimiter) + '\n', line: (record) => record.text + '\n', footer: noFooter };
      }
      return {
        header: TEXT_COLUMN + '\n',
        line: (record) => formatDelimitedRow([record.text], ',') + '\n',
        footer: noFooter,
      };
    case 'jsonl':
      if (kind.kind === 'delimited') return { header: undefined, line: jsonObjectLine(kind.header), footer: noFooter };
      return { header: undefined, line: (record) => `{"text":${JSON.stringify(record.text)}}\n`, footer: noFooter };
    case 'sql': {
      const setting = sql ?? { table: [FALLBACK_TABLE], create: true, schema: undefined };
      const header = kind.kind === 'delimited' ? kind.header : [TEXT_COLUMN];
      return sqlLines(setting, header, setting.schema, kind.kind === 'text');
    }
  }
}

/**
 * Typed values (schema/typedValue.ts) by header name, in header order. The object is spelled by hand because JSON.stringify of
 * an object would move integer-like column names first and turn a "__proto__" column into a prototype.
 * With --no-validate a record may have too few fields (missing ones are null) or too many (extra
 * ones are named by their 1-based position, "field_N").
 */
function jsonObjectLine(header: readonly string[]): (record: TypedRecord) => string {
  const keys = header.map((name) => JSON.stringify(name) + ':');
  return (record) => {
    const { values } = record;
    let line = '{';
    const count = Math.max(keys.length, values.length);
    for (let i = 0; i < count; i++) {
      if (i > 0) line += ',';
      line += keys[i] ?? `"field_${i + 1}":`;
      line += i < values.length ? JSON.stringify(values[i]) : 'null';
    }
    return line + '}\n';
  };
}
