import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { UsageError } from '../errors.js';
import type { RecordKind } from '../model/manifest.js';
import { TextByteCheck, type TextProblem } from './checkTextBytes.js';
import { chooseDelimiter } from './detectDelimiter.js';

export interface TrainingRecords {
  kind: RecordKind;
  /** Each record as its fields (one field for plain text). */
  records: string[][];
  /** Set when the delimiter was detected from the content rather than given or implied by the extension. */
  detected?: string;
}

export interface ReadTrainingOptions {
  /**
   * Forces CSV with this one-character delimiter, or plain text with null; otherwise the delimiter
   * is chosen from the extension and the first lines (see detectDelimiter.ts).
   */
  delimiter?: string | null;
  /** The flag that named the file, for messages (default --input). */
  flag?: string;
}

export interface ScanResult {
  kind: RecordKind;
  /** Data records passed to the visitor (the header row not counted). */
  records: number;
  /** One line for the user when the delimiter was detected rather than given or implied. */
  detected?: string;
}

/** Bytes read at a time: large enough that per-chunk work is noise, small enough to stay flat. */
const CHUNK_BYTES = 1 << 20;

/**
 * Streams a training file and calls `onRecord` with every data record in file order, never
 * holding more than a chunk and one record. CSV (by extension, detection or an explicit
 * delimiter) goes through csv-parse's streaming parser, the first row being the header; anything
 * else is one record per non-empty line. A UTF-8 BOM is dropped and CRLF (CR-only for CSV) line
 * ends are accepted. Bad input rejects with a UsageError naming the file, line and why; records
 * before the bad line have been visited by then, so callers must not keep results of a failed scan.
 */
export async function scanTrainingFile(
  file: string,
  options: ReadTrainingOptions,
  onRecord: (fields: string[]) => void,
): Promise<ScanResult> {
  const flag = options.flag ?? '--input';
  const source = `${flag} ${file}`;
  await refuseUnreadable(file, flag);
  const choice = options.delimiter === undefined ? await chooseDelimiter(file, source) : { delimiter: options.delimiter };
  const bytes = checkedBytes(file, source);
  const scanned = choice.delimiter === null ? await scanText(bytes, source, onRecord) : await scanDelimited(bytes, choice.delimiter, source, onRecord);
  return choice.detected === undefined ? scanned : { ...scanned, detected: choice.detected };
}

/** Reads a whole training file into memory: for small files and tests; big ones go through scanTrainingFile. */
export async function readTrainingData(file: string, options: ReadTrainingOptions = {}): Promise<TrainingRecords> {
  const records: string[][] = [];
  const { kind, detected } = await scanTrainingFile(file, options, (fields) => records.push(fields));
  return detected === undefined ? { kind, records } : { kind, records, detected };
}

async function refuseUnreadable(file: string, flag: string): Promise<void> {
  const refuse = (why: string): never => {
    throw new UsageError(`${flag} ${file} ${why}; give a CSV or text file with one record per line`);
  };
  const info = await stat(file).catch((error: NodeJS.ErrnoException) =>
    refuse(error.code === 'ENOENT' ? 'does not exist' : `cannot be read (${error.code ?? error.message})`),
  );
  if (info.isDirectory()) refuse('is a directory');
}

/** The file's bytes in chunks, each checked by TextByteCheck before it is passed on. */
async function* checkedBytes(file: string, source: string): AsyncGenerator<Uint8Array> {
  const check = new TextByteCheck();
  const refuse = (problem: TextProblem) => new UsageError(`${source} line ${problem.line} ${problem.reason}`);
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
      const result = check.chunk(chunk);
      if ('problem' in result) throw refuse(result.problem);
      if (result.bytes.length > 0) yield result.bytes;
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${source} cannot be read (${code ?? (error as Error).message}); give a CSV or text file with one record per line`);
  }
  const problem = check.end();
  if (problem) throw refuse(problem);
  if (!check.sawContent) throw new UsageError(`${source} is empty; there is nothing to train on`);
}

/** One record per line; blank lines are skipped, a CR before the LF dropped. */
async function scanText(bytes: AsyncIterable<Uint8Array>, source: string, onRecord: (fields: string[]) => void): Promise<ScanResult> {
  const decoder = new TextDecoder('utf-8');
  let records = 0;
  let rest = '';
  const visit = (line: string): void => {
    const record = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (record === '') return;
    records++;
    onRecord([record]);
  };
  for await (const chunk of bytes) {
    const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
    rest = lines.pop()!;
    for (const line of lines) visit(line);
  }
  visit(rest + decoder.decode());
  if (records === 0) throw new UsageError(`${source} is empty; there is nothing to train on`);
  return { kind: { kind: 'text' }, records };
}

/**
 * Records go to the visitor from csv-parse's on_record hook, which returns null so nothing is
 * queued in the stream: the parser holds one record at a time whatever the file size.
 */
async function scanDelimited(
  bytes: AsyncIterable<Uint8Array>,
  delimiter: string,
  source: string,
  onRecord: (fields: string[]) => void,
): Promise<ScanResult> {
  let header: string[] | null = null;
  let records = 0;
  const parser = parse({
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    on_record: (record: string[], context: { lines: number }) => {
      if (header === null) {
        header = record;
        return null;
      }
      if (record.length !== header.length) {
        throw new UsageError(
          `${source} line ${context.lines}: the row has ${record.length} fields but the header has ${header.length}; every row needs the header's field count`,
        );
      }
      records++;
      onRecord(record);
      return null;
    },
  });
  try {
    await pipeline(bytes, parser, async (rows: AsyncIterable<unknown>) => {
      for await (const _ of rows); // on_record consumed every row; this only waits for the end
    });
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new UsageError(`${source}${line === undefined ? '' : ` line ${line}`} is not valid CSV: ${error.message}`);
    }
    throw error;
  }
  if (header === null) throw new UsageError(`${source} is empty; there is nothing to train on`);
  if (records === 0) throw new UsageError(`${source} has a header row but no data rows; the first row is read as the header`);
  return { kind: { kind: 'delimited', delimiter, header }, records };
}
