import { InternalError } from '../errors.js';
import type { RecordKind } from '../model/manifest.js';
import type { GeneratedRecord } from '../validate/record.js';
import type { OutputFormat } from './format.js';
import { createLineSink } from './lineSink.js';
import { recordLines } from './recordLines.js';

/** Re-exported for building GeneratedRecord.text, so text and csv output share one quoting. */
export { formatDelimitedRow } from './delimitedRow.js';

export interface RecordWriterOptions {
  format: OutputFormat;
  records: RecordKind;
  output: NodeJS.WritableStream;
  /** Names the destination in write errors ("stdout", "out.csv"). */
  outputName?: string;
}

export interface RecordWriter {
  /** Writes one record (one write per record, so a file never holds half a row unless the write itself fails).
   *  Returns nothing when the stream can take more; else a promise settling on 'drain' or failure. */
  write(record: GeneratedRecord): void | Promise<void>;
  /** Writes the csv header if no record came, then waits until everything written is out. Does not
   *  close the stream: whoever opened it closes it (openOutput's close()). */
  end(): Promise<void>;
}

export function createRecordWriter(options: RecordWriterOptions): RecordWriter {
  const sink = createLineSink(options.output, options.outputName ?? 'the output');
  const lines = recordLines(options.format, options.records);
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
      ended = true;
      if (headerPending) {
        headerPending = false;
        await sink.write(lines.header!);
      }
      await sink.flush();
    },
  };
}
