import { open } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { message, option, type Message } from '../errors.js';

/** Bytes read from the head of the file to choose a delimiter. */
const SAMPLE_BYTES = 64 * 1024;
/** Rows (header included) that must agree on a field count for a delimiter to fit. */
const SAMPLE_ROWS = 20;

export interface DelimiterChoice {
  /** The CSV delimiter, or null for plain text (one record per line). */
  delimiter: string | null;
  /** A line for the user when the content overruled the extension's default. */
  detected?: Message;
}

/**
 * Per extension: the default, then the other delimiters that may overrule it. A .txt file is
 * plain text unless `;`, tab or `|` clearly fits; a comma never turns a .txt into CSV, since prose
 * has commas on every line. Other extensions keep today's meaning (plain text) untouched.
 */
const RULES: Record<string, { fallback: string | null; candidates: string[] }> = {
  '.csv': { fallback: ',', candidates: [',', ';', '\t', '|'] },
  '.tsv': { fallback: '\t', candidates: ['\t', ',', ';', '|'] },
  '.txt': { fallback: null, candidates: [';', '\t', '|'] },
};

/**
 * Chooses how to read a training file that came without --delimiter. A delimiter fits when the
 * first rows (up to 20, at least 2, read with real CSV quoting) all have the same number of fields,
 * and more than one. The extension's default wins whenever it fits; otherwise the fitting
 * candidate that gives the most fields (ties in the order listed above); when nothing fits, the
 * default stays and the usual checks report what is wrong with the file.
 */
export async function chooseDelimiter(file: string, source: Message): Promise<DelimiterChoice> {
  const rule = RULES[path.extname(file).toLowerCase()];
  if (!rule) return { delimiter: null };
  const rows = await headRows(file);
  let best: { delimiter: string; fields: number } | null = null;
  for (const delimiter of rule.candidates) {
    const fields = consistentFieldCount(rows, delimiter);
    if (fields === null) continue;
    if (delimiter === rule.fallback) return { delimiter };
    if (best === null || fields > best.fields) best = { delimiter, fields };
  }
  if (best === null) return { delimiter: rule.fallback };
  const name = best.delimiter === '\t' ? 'tab' : `'${best.delimiter}'`;
  return {
    delimiter: best.delimiter,
    detected: message`reading ${source} as delimited by ${name}: its first rows all have ${best.fields} fields that way (pass ${option('delimiter')} to choose another${
      rule.fallback === null ? message`, or ${option('delimiter')} none for plain text` : ''
    })`,
  };
}

/** The head of the file cut after its last complete line, BOM dropped; bad bytes are left for the full check. */
async function headRows(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    let text = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
    if (bytesRead === SAMPLE_BYTES) text = text.slice(0, Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r')) + 1);
    return text;
  } finally {
    await handle.close();
  }
}

/** The field count every one of the first rows has with this delimiter, or null. */
function consistentFieldCount(text: string, delimiter: string): number | null {
  let rows: string[][];
  try {
    rows = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, to: SAMPLE_ROWS }) as string[][];
  } catch {
    return null;
  }
  if (rows.length < 2) return null;
  const fields = rows[0]!.length;
  return fields > 1 && rows.every((row) => row.length === fields) ? fields : null;
}
