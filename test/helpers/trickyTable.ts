import { stringify } from 'csv-stringify/sync';

/**
 * A training table whose values try to break out of a SQL literal: quotes, backslashes,
 * semicolons, line breaks followed by sqlite3 and psql commands, and non-ASCII, in a closed set
 * (copied whole) and in free text (recombined by the model); plus a boolean and a datetime.
 */
export const TRICKY_NAMES = ["O'Brien", 'back\\slash', 'semi;colon', 'two\nlines', 'Zoë "Zed" Müller', "'); DROP TABLE t; --", 'a\n.quit\n\\q', '東京 😀'];
const PIECES = ["'", '\\', ';', '\n', '"', 'é', '東', '😀', 'ab', ' ', '--', 'x', "''"];

export function trickyCsv(rows = 240): string {
  const table = [['id', 'name', 'note', 'amount', 'member', 'seen']];
  for (let i = 0; i < rows; i++) {
    const note = i % 5 === 0 ? '' : Array.from({ length: 3 + (i % 4) }, (_, k) => PIECES[(i * 7 + k * 11 + ((i * k) >> 2)) % PIECES.length]).join('');
    const day = String((i % 28) + 1).padStart(2, '0');
    table.push([String(1000 + i), TRICKY_NAMES[i % TRICKY_NAMES.length]!, note, ((i * 37) % 9000 / 100).toFixed(2), i % 3 ? 'yes' : 'no', `${day}.03.2024 1${i % 10}:${String((i * 13) % 60).padStart(2, '0')}`]);
  }
  return stringify(table);
}
