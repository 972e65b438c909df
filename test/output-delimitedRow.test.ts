import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { formatDelimitedRow } from '../src/output/delimitedRow.js';

test('fields holding delimiters, quotes and line breaks are quoted and parse back unchanged', () => {
  const fields = ['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', '', ' padded '];
  const row = formatDelimitedRow(fields, ',');
  assert.equal(row, 'plain,"a,b","say ""hi""","two\nlines","cr\r\nlf",, padded ');
  assert.deepEqual(parse(row), [fields]);
});

test('the model delimiter is used and quoted when a field holds it', () => {
  assert.equal(formatDelimitedRow(['a;b', 'c,d', 'e'], ';'), '"a;b";c,d;e');
  assert.equal(formatDelimitedRow(['a\tb', 'c'], '\t'), '"a\tb"\tc');
});

test('a lone empty field is written as "" so it does not read as a blank line', () => {
  assert.equal(formatDelimitedRow([''], ','), '""');
  assert.deepEqual(parse(formatDelimitedRow([''], ',')), [['']]);
});

test('any fields round-trip through csv-stringify and csv-parse for common delimiters', () => {
  const tricky = fc.constantFrom(',', ';', '\t', '|', '"', '\n', '\r', ' ', 'a', 'é', '😀');
  const field = fc.oneof(fc.string(), fc.array(tricky, { maxLength: 8 }).map((chars) => chars.join('')));
  fc.assert(
    fc.property(fc.array(field, { minLength: 1, maxLength: 6 }), fc.constantFrom(',', ';', '\t', '|'), (fields, delimiter) => {
      const row = formatDelimitedRow(fields, delimiter);
      const rows = parse(row + '\n' + row, { delimiter, relax_column_count: true });
      assert.deepEqual(rows, [fields, fields]);
    }),
    { numRuns: 500 },
  );
});
