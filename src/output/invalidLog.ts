import type { GeneratedRecord } from '../validate/record.js';
import { createLineSink } from './lineSink.js';

/** --invalid-output FILE: rejected records with their reasons, one JSON object per line. */
export interface InvalidLog {
  /** Same backpressure contract as RecordWriter.write. */
  write(record: GeneratedRecord, reason: string): void | Promise<void>;
  /** Waits until every line is out; the stream is closed by whoever opened it (openOutput's close()). */
  end(): Promise<void>;
}

/** Open the stream with openOutput(path, option('invalidOutput')) so a bad path names that option. */
export function createInvalidLog(output: NodeJS.WritableStream, outputName = 'the rejected-records file'): InvalidLog {
  const sink = createLineSink(output, outputName);
  return {
    write: (record, reason) => sink.write(invalidLine(record, reason)),
    end: () => sink.flush(),
  };
}

/** {"index":k,"text":...,"fields":[...],"reason":...} and a line end. */
export function invalidLine(record: GeneratedRecord, reason: string): string {
  return JSON.stringify({ index: record.index, text: record.text, fields: record.fields, reason }) + '\n';
}
