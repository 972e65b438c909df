import { stringify, type Options } from 'csv-stringify/sync';

/** A field list becomes one CSV row; quoting is csv-stringify's, so it round-trips through csv-parse. */
const optionsByDelimiter = new Map<string, { plain: Options; single: Options }>();

/**
 * One CSV row without its line end: fields holding the delimiter, quotes or line breaks are quoted.
 * A lone empty field is written as "" so the row is not mistaken for a blank line.
 */
export function formatDelimitedRow(fields: readonly string[], delimiter: string): string {
  let options = optionsByDelimiter.get(delimiter);
  if (options === undefined) {
    // record_delimiter stays unset on purpose: setting it makes csv-stringify quote only that
    // delimiter, leaving a field with a bare "\r" unquoted (found by the round-trip property test).
    const plain: Options = { delimiter, eof: false };
    options = { plain, single: { ...plain, quoted_empty: true } };
    optionsByDelimiter.set(delimiter, options);
  }
  return stringify([fields as string[]], fields.length === 1 ? options.single : options.plain);
}
