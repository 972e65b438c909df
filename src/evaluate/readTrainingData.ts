import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { UsageError } from '../errors.js';
import type { RecordKind } from '../model/manifest.js';

export interface TrainingData {
  /** The first row of a delimited file; undefined for text. */
  header?: string[];
  /** Records as field arrays (one field per record for text). */
  records: string[][];
}

/**
 * Reads the data file the way the model's records are shaped: delimited models get a real CSV
 * parse with the header in the first row; text models get one record per non-empty line.
 */
export async function readTrainingData(dataPath: string, kind: RecordKind): Promise<TrainingData> {
  let text: string;
  try {
    text = await readFile(dataPath, 'utf8');
  } catch (error) {
    throw new UsageError(`--data ${dataPath} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give the file the model was trained on`);
  }
  const data = kind.kind === 'delimited' ? parseDelimited(text, kind, dataPath) : parseText(text);
  if (data.records.length === 0) throw new UsageError(`--data ${dataPath} holds no records to compare with`);
  return data;
}

function parseDelimited(text: string, kind: Extract<RecordKind, { kind: 'delimited' }>, dataPath: string): TrainingData {
  let rows: string[][];
  try {
    rows = parse(text, { delimiter: kind.delimiter, bom: true, skip_empty_lines: true });
  } catch (error) {
    throw new UsageError(`--data ${dataPath} is not valid delimited data: ${(error as Error).message}`);
  }
  const [header, ...records] = rows;
  if (!header) return { records: [] };
  if (header.length !== kind.header.length) {
    throw new UsageError(
      `--data ${dataPath} has ${header.length} fields per record but the model has ${kind.header.length} (${kind.header.join(kind.delimiter)}); give the file the model was trained on`,
    );
  }
  return { header, records };
}

function parseText(text: string): TrainingData {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  return { records: lines.filter((line) => line !== '').map((line) => [line]) };
}
