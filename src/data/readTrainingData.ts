import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CsvError, parse } from 'csv-parse';
import { message, option, UsageError, type Message, type OptionName } from '../errors.js';
import type { RecordKind } from '../model/manifest.js';
import { collectGarbage } from '../memory/collectGarbage.js';
import { TextByteCheck, type TextProblem } from './checkTextBytes.js';
import { chooseDelimiter } from './detectDelimiter.js';
import { csvProblem } from './csvProblem.js';

export interface TrainingRecords {
  kind: RecordKind;
  /** Each record as its fields (one field for plain text). */
  records: string[][];
  /** Set when the delimiter was detected from the content rather than given or implied by the extension. */
  detected?: Message;
}

/** Training data: a file's path, or records already in memory and checked (recordsInMemory.ts). */
export type TrainingSource = string | TrainingRecords;

export interface ReadTrainingOptions {
  /**
   * Forces CSV with this one-character delimiter, or plain text with null; otherwise the delimiter
   * is chosen from the extension and the first lines (see detectDelimiter.ts).
   */
  delimiter?: string | null;
  /** The option that named the file, for messages (default input: --input to a CLI user). */
  option?: string;
  /** Aborting stops the read at the next chunk; the scan rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Force full collections of read buffers as the scan goes (see COLLECT_EVERY_BYTES); process-wide, so off unless asked. */
  collectGarbage?: boolean;
}

/** The read was stopped by ReadTrainingOptions.signal; scanTrainingFile rejects with its reason instead. */
class ReadAborted extends Error {
  constructor() {
    super('reading the training data was interrupted');
  }
}

export interface ScanResult {
  kind: RecordKind;
  /** Data records passed to the visitor (the header row not counted). */
  records: number;
  /** One line for the user when the delimiter was detected rather than given or implied. */
  detected?: Message;
}

/** Bytes read at a time: large enough that per-chunk work is noise, small enough to stay flat. */
const CHUNK_BYTES = 1 << 20;
/**
 * Read chunks (and csv-parse's joins of them) outlive a young-generation collection, so only a
 * full one frees them, and V8 starts one for external memory only ~64 MB past the last: a full
 * collection every 8 MB read holds the garbage to ~16 MB at no measurable cost (both passes of
 * prepareTrainingData on the 30 MB table: peak RSS 129 → 110 MB, 4.5 s either way; collecting
 * every 16 MB did not lower it; AMD EPYC Zen 5).
 */
const COLLECT_EVERY_BYTES = 8 * CHUNK_BYTES;

/**
 * Streams a training file and calls `onRecord` with every data record in file order, never
 * holding more than a chunk and a few records. CSV (by extension, detection or an explicit
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
  const named = option(options.option ?? 'input');
  const source = message`${named} ${file}`;
  const bytes = await refuseUnreadable(file, named);
  options.signal?.throwIfAborted();
  const choice = options.delimiter === undefined ? await chooseDelimiter(file, source) : { delimiter: options.delimiter };
  const scanned = await (
    choice.delimiter === null
      ? scanText(checkedBytes(file, source, options), source, onRecord)
      : scanDelimited(file, choice.delimiter, source, onRecord, options)
  ).catch((error: unknown) => {
    if (error instanceof ReadAborted) options.signal!.throwIfAborted();
    throw error;
  });
  if (options.collectGarbage && bytes >= RELEASE_AFTER_BYTES) await releaseReadBuffers();
  return choice.detected === undefined ? scanned : { ...scanned, detected: choice.detected };
}

/** scanTrainingFile for a file; records in memory are visited as they are. */
export async function scanTrainingSource(source: TrainingSource, options: ReadTrainingOptions, onRecord: (fields: string[]) => void): Promise<ScanResult> {
  if (typeof source === 'string') return scanTrainingFile(source, options, onRecord);
  options.signal?.throwIfAborted();
  for (const record of source.records) onRecord(record);
  return { kind: source.kind, records: source.records.length };
}

/** The problems any training data can have, worded once for files and records in memory. */
export const dataProblem = {
  empty: (source: Message) => new UsageError(message`${source} is empty; there is nothing to train on`),
  headerOnly: (source: Message) => new UsageError(message`${source} has a header row but no data rows; the first row is read as the header`),
  ragged: (where: Message, fields: number, expected: number) =>
    new UsageError(message`${where}: the row has ${fields} fields but the header has ${expected}; every row needs the header's field count`),
};

/** Reads a whole training file into memory: for small files and tests; big ones go through scanTrainingFile. */
export async function readTrainingData(file: string, options: ReadTrainingOptions = {}): Promise<TrainingRecords> {
  const records: string[][] = [];
  const { kind, detected } = await scanTrainingFile(file, options, (fields) => records.push(fields));
  return detected === undefined ? { kind, records } : { kind, records, detected };
}

/** The file's size in bytes, once it is known to be a readable file. */
async function refuseUnreadable(file: string, named: OptionName): Promise<number> {
  const refuse = (why: string): never => {
    throw new UsageError(message`${named} ${file} ${why}; give a CSV or text file with one record per line`);
  };
  const info = await stat(file).catch((error: NodeJS.ErrnoException) =>
    refuse(error.code === 'ENOENT' ? 'does not exist' : `cannot be read (${error.code ?? error.message})`),
  );
  if (info.isDirectory()) refuse('is a directory');
  // A pipe (--input <(zcat data.csv.gz)) would read as empty the second time it is scanned.
  if (!info.isFile()) refuse('is a pipe or a device, not a file: it is read twice, so save it to a file first');
  return info.size;
}

/** Files from this size on are followed by releaseReadBuffers (smaller ones leave little). */
const RELEASE_AFTER_BYTES = 4 * CHUNK_BYTES;

/**
 * The last chunks of a scan are still garbage when it ends, and the memory of collected ones
 * comes back a turn after their collection. One turn lets the stream finish closing, a full
 * collection frees the buffers, a second turn lets V8 hand their memory back, so the caller
 * (training starts its workers next) builds on what the scan kept, not on what it dropped: RSS
 * after both passes of prepareTrainingData on the 30 MB table fell from 152 to 95 MB.
 */
async function releaseReadBuffers(): Promise<void> {
  await nextTurn();
  collectGarbage();
  await nextTurn();
}

/** The file's bytes in chunks, each checked by TextByteCheck before it is passed on. */
async function* checkedBytes(file: string, source: Message, { signal, collectGarbage: collect }: ReadTrainingOptions): AsyncGenerator<Uint8Array> {
  const check = new TextByteCheck();
  const refuse = (problem: TextProblem) => new UsageError(message`${source} line ${problem.line} ${problem.reason}`);
  let uncollected = 0;
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw new ReadAborted();
      uncollected += chunk.length;
      if (collect && uncollected >= COLLECT_EVERY_BYTES) {
        uncollected = 0;
        collectGarbage();
      }
      const result = check.chunk(chunk);
      if ('problem' in result) throw refuse(result.problem);
      if (result.bytes.length > 0) yield result.bytes;
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ReadAborted) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(message`${source} cannot be read (${code ?? (error as Error).message}); give a CSV or text file with one record per line`);
  }
  const problem = check.end();
  if (problem) throw refuse(problem);
  if (!check.sawContent) throw dataProblem.empty(source);
}

/** One record per line; blank lines are skipped, a CR before the LF dropped. */
async function scanText(bytes: AsyncIterable<Uint8Array>, source: Message, onRecord: (fields: string[]) => void): Promise<ScanResult> {
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
  if (records === 0) throw dataProblem.empty(source);
  return { kind: { kind: 'text' }, records };
}

/**
 * csv-parse's streaming parser into a synchronous sink: one record in flight, no per-record
 * promise. Record line numbers cost csv-parse an object per record, so they are only looked up
 * (by a second parse up to the bad row) when a row is ragged.
 */
async function scanDelimited(
  file: string,
  delimiter: string,
  source: Message,
  onRecord: (fields: string[]) => void,
  options: ReadTrainingOptions,
): Promise<ScanResult> {
  let header: string[] | null = null;
  let records = 0;
  const sink = new Writable({
    objectMode: true,
    highWaterMark: 1024,
    write(record: string[], _encoding, done) {
      try {
        if (header === null) header = record;
        else if (record.length !== header.length) return done(new RaggedRow(records, record.length, header.length));
        else {
          records++;
          onRecord(record);
        }
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  try {
    await pipeline(checkedBytes(file, source, options), parse({ delimiter, relax_column_count: true, skip_empty_lines: true }), sink);
  } catch (error) {
    if (error instanceof RaggedRow) {
      const line = await lineOfRecord(file, delimiter, error.index);
      throw dataProblem.ragged(message`${source} line ${line}`, error.fields, error.expected);
    }
    throw csvUsageError(error, source);
  }
  if (header === null) throw dataProblem.empty(source);
  if (records === 0) throw dataProblem.headerOnly(source);
  return { kind: { kind: 'delimited', delimiter, header }, records };
}

/** Data record `index` (0-based, after the header) was ragged. */
class RaggedRow extends Error {
  constructor(readonly index: number, readonly fields: number, readonly expected: number) {
    super(`record ${index} has ${fields} fields, not ${expected}`);
  }
}

/** The line a data record ends on, as csv-parse counts lines (a quoted line break counts). */
async function lineOfRecord(file: string, delimiter: string, index: number): Promise<number> {
  let line = 0;
  let seen = -1;
  const found = new Error('found');
  const parser = parse({
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    on_record: (_record: string[], context: { lines: number }) => {
      if (seen++ === index) {
        line = context.lines;
        throw found;
      }
      return null;
    },
  });
  await pipeline(createReadStream(file), parser, new Writable({ objectMode: true, write: (_r, _e, done) => done() })).catch((error: unknown) => {
    if (error !== found) throw error;
  });
  return line;
}

function csvUsageError(error: unknown, source: Message): unknown {
  if (!(error instanceof CsvError)) return error;
  const line = (error as CsvError & { lines?: number }).lines;
  return new UsageError(message`${source}${line === undefined ? '' : ` line ${line}`} is not valid CSV: ${csvProblem(error)}`);
}
