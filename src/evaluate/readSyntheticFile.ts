import { csvProblem } from '../data/csvProblem.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { message, option, UsageError, type Message } from '../errors.js';
import type { JudgedCandidate } from './report.js';

/**
 * Reads `--synthetic FILE` as candidates in the shape of the real data: a delimited file with a
 * header (columns matched to the real header by name when it has them all, in any order; else by
 * position when the count matches), or one record per line for text data. A row with the wrong field
 * count is an invalid candidate, not an error: another tool's output is graded, not refused.
 */
export async function readSyntheticFile(
  file: string,
  real: { delimiter: string | null; header?: readonly string[] },
): Promise<{ candidates: JudgedCandidate[]; warnings: Message[] }> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? (error as Error).message})`;
    throw new UsageError(message`${option('synthetic')} ${file} ${why}; give a CSV or text file of synthetic records`);
  }
  // Record identity for copy detection joins fields with NUL (privacy/exactCopies.ts).
  if (text.includes('\u0000')) throw new UsageError(message`${option('synthetic')} ${file} holds a NUL byte, so it looks like a binary file, not text or CSV`);
  if (real.delimiter === null || !real.header) {
    const lines = text.split(/\r?\n/).filter((line) => line !== '');
    return { candidates: lines.map((line) => ({ text: line, fields: [line], valid: true })), warnings: [] };
  }
  const delimiter = delimiterFor(file, real.delimiter);
  let rows: string[][];
  try {
    rows = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, relax_quotes: true }) as string[][];
  } catch (error) {
    throw new UsageError(message`${option('synthetic')} ${file} is not valid CSV: ${csvProblem(error as Error)}`);
  }
  const [header, ...records] = rows;
  if (!header || records.length === 0) throw new UsageError(message`${option('synthetic')} ${file} has no records; the first row must be the header`);
  const warnings: Message[] = [];
  const byName = real.header.map((name) => header.indexOf(name));
  let pick: (fields: string[]) => string[] | undefined;
  if (byName.every((index) => index >= 0)) {
    pick = (fields) => (fields.length === header.length ? byName.map((index) => fields[index]!) : undefined);
  } else if (header.length === real.header.length) {
    warnings.push(message`the header of ${option('synthetic')} ${file} (${header.join(', ')}) differs from ${option('data')}'s (${real.header.join(', ')}); columns are matched by position`);
    pick = (fields) => (fields.length === header.length ? fields : undefined);
  } else {
    throw new UsageError(
      message`${option('synthetic')} ${file} has columns ${header.join(', ')} but ${option('data')} has ${real.header.join(', ')}; give a file with the same columns (any order)`,
    );
  }
  const candidates = records.map((fields): JudgedCandidate => {
    const picked = pick(fields);
    return { text: fields.join(delimiter), fields: picked ?? fields, valid: picked !== undefined };
  });
  return { candidates, warnings };
}

/** The synthetic file's own extension decides (.csv / .tsv), else the real data's delimiter. */
function delimiterFor(file: string, realDelimiter: string): string {
  const extension = path.extname(file).toLowerCase();
  return extension === '.csv' ? ',' : extension === '.tsv' ? '\t' : realDelimiter;
}
