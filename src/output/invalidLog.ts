import type { GeneratedRecord } from '../validate/record.js';
import { createLineSink } from './lineSink.js';
import { openOutput } from './openOutput.js';

/** --invalid-output FILE: rejected records with their reasons, one JSON object per line. */
export interface InvalidLog {
  /** Same backpressure contract as RecordWriter.write. */
  write(record: GeneratedRecord, reason: string): void | Promise<void>;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

/** Opens the log now, so a bad path is a usage error naming --invalid-output before generation starts. */
export async function openInvalidLog(target: string): Promise<InvalidLog> {
  const output = await openOutput(target, '--invalid-output');
  const sink = createLineSink(output.stream, output.name);
  return {
    write: (record, reason) => sink.write(invalidLine(record, reason)),
    async close() {
      try {
        await sink.flush();
      } catch (error) {
        await output.close().catch(() => {}); // the flush failure is the one to report
        throw error;
      }
      await output.close();
    },
  };
}

/** {"index":k,"text":...,"fields":[...],"reason":...} and a line end. */
export function invalidLine(record: GeneratedRecord, reason: string): string {
  return JSON.stringify({ index: record.index, text: record.text, fields: record.fields, reason }) + '\n';
}
