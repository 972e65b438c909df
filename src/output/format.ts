import path from 'node:path';
import { message, option, UsageError } from '../errors.js';

export const OUTPUT_FORMATS = ['text', 'csv', 'jsonl', 'sql'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * Formats implied by a file extension (case-insensitive). .tsv is deliberately absent: the csv
 * format writes the model's own delimiter, so a .tsv name would promise tabs it might not hold.
 */
const FORMAT_OF_EXTENSION: Readonly<Record<string, OutputFormat>> = {
  '.txt': 'text',
  '.csv': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.sql': 'sql',
};

/** The format an output path's extension implies, if any. */
export function formatFromPath(outputPath: string): OutputFormat | undefined {
  return FORMAT_OF_EXTENSION[path.extname(outputPath).toLowerCase()];
}

/**
 * The output format from --format and -o: an explicit --format wins unless the file's extension
 * says otherwise (then it is a usage error); else the extension; else text.
 */
export function resolveFormat(flag: string | undefined, outputPath: string | undefined): OutputFormat {
  const fromPath = outputPath === undefined || outputPath === '-' ? undefined : formatFromPath(outputPath);
  if (flag === undefined) return fromPath ?? 'text';
  if (!isOutputFormat(flag)) {
    throw new UsageError(message`${option('format')} ${flag} is not supported; use one of ${OUTPUT_FORMATS.join(', ')}`);
  }
  if (fromPath !== undefined && fromPath !== flag) {
    throw new UsageError(
      message`${option('format')} ${flag} contradicts ${option('output')} ${outputPath}, whose extension means ${fromPath}; drop ${option('format')} or change the file name`,
    );
  }
  return flag;
}

function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}
