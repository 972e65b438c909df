import { InternalError } from '../errors.js';
import type { RecordKind } from '../model/manifest.js';
import type { TypedRecord } from '../validate/record.js';
import type { OutputFormat } from './format.js';
import { createLineSink } from './lineSink.js';
import { recordLines, type SqlSetting } from './recordLines.js';

/** Re-exported for building GeneratedRecord.text, so text and csv output share one quoting. */
export { formatDelimitedRow } from './delimitedRow.js';

export interface RecordWriterOptions {
  format: OutputFormat;
  records: RecordKind;
  output: NodeJS.WritableStream;
  /** Names the destination in write errors ("stdout", "out.csv"). */
  outputName?: string;
  /** sql: table, --no-create and the schema for column types (default: table "records", created, all TEXT). */
  sql?: SqlSetting;
}

export interface RecordWriter {
  /** Writes one record (one write per record, so a file never holds half a row unless the write itself fails).
   *  Returns nothing when the stream can take more; else a promise settling on 'drain' or failure. */
  write(record: TypedRecord): void | Promise<void>;
  /** Writes the header if no record came and the footer (sql's COMMIT), then waits until everything written is out. Does not
   *  close the stream: whoever opened it closes it (openOutput's close()). */
  end(): Promise<void>;
}

export function createRecordWriter(options: RecordWriterOptions): RecordWriter {
  const sink = createLineSink(options.output, options.outputName ?? 'the output');
  const lines = recordLines(options.format, options.records, options.sql);
  let headerPending = lines.header !== undefined;
  let ended = false;

  return {
    write(record) {
      if (ended) return Promise.reject(new InternalError('a record was written after the writer ended'));
      if (!headerPending) return sink.write(lines.line(record));
      headerPending = false;
      return sink.write(lines.header! + lines.line(record));
    },
    async end() {
      if (ended) return sink.flush();
      ended = true;
      const last = (headerPending ? lines.header! : '') + lines.footer();
      headerPending = false;
      if (last !== '') await sink.write(last);
      await sink.flush();
    },
  };
}
