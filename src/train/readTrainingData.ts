import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { UsageError } from '../errors.js';
import type { RecordKind } from '../model/manifest.js';
import { findTextProblem } from './checkTextBytes.js';

export interface TrainingRecords {
  kind: RecordKind;
  /** Each record as its fields (one field for plain text). */
  records: string[][];
}

export interface ReadTrainingOptions {
  /**
   * Forces CSV with this one-character delimiter, or plain text with null; otherwise .csv → ','
   * and .tsv → tab, else plain text.
   */
  delimiter?: string | null;
  /** The flag that named the file, for messages (default --input). */
  flag?: string;
}

/**
 * Reads a training file. CSV (by extension or an explicit delimiter) goes through csv-parse, the
 * first row being the header; anything else is one record per non-empty line. A UTF-8 BOM is
 * dropped and CRLF line ends are accepted. Bad input is a UsageError naming the file, line and why.
 */
export async function readTrainingData(file: string, options: ReadTrainingOptions = {}): Promise<TrainingRecords> {
  const flag = options.flag ?? '--input';
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? (error as Error).message})`;
    throw new UsageError(`${flag} ${file} ${why}; give a CSV or text file with one record per line`);
  }
  const problem = findTextProblem(bytes);
  if (problem) throw new UsageError(`${flag} ${file} line ${problem.line} ${problem.reason}`);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new UsageError(`${flag} ${file} is empty; there is nothing to train on`);

  const delimiter = options.delimiter === undefined ? delimiterForExtension(file) : options.delimiter;
  return delimiter === null ? readText(text) : readDelimited(text, delimiter, `${flag} ${file}`);
}

function delimiterForExtension(file: string): string | null {
  const ext = path.extname(file).toLowerCase();
  return ext === '.csv' ? ',' : ext === '.tsv' ? '\t' : null;
}

function readText(text: string): TrainingRecords {
  const records = text.split(/\r?\n/).filter((line) => line !== '').map((line) => [line]);
  return { kind: { kind: 'text' }, records };
}

interface ParsedRow {
  record: string[];
  info: { lines: number };
}

function readDelimited(text: string, delimiter: string, source: string): TrainingRecords {
  let rows: ParsedRow[];
  try {
    rows = parse(text, { delimiter, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as ParsedRow[];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    const where = line === undefined ? '' : ` line ${line}`;
    throw new UsageError(`${source}${where} is not valid CSV: ${(error as Error).message}`);
  }
  const [headerRow, ...dataRows] = rows;
  if (!headerRow) throw new UsageError(`${source} is empty; there is nothing to train on`);
  const header = headerRow.record;
  if (dataRows.length === 0) {
    throw new UsageError(`${source} has a header row but no data rows; the first row is read as the header`);
  }
  for (const row of dataRows) {
    if (row.record.length !== header.length) {
      throw new UsageError(
        `${source} line ${row.info.lines}: the row has ${row.record.length} fields but the header has ${header.length}; every row needs the header's field count`,
      );
    }
  }
  return { kind: { kind: 'delimited', delimiter, header }, records: dataRows.map((row) => row.record) };
}
