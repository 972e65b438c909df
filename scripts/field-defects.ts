/**
 * Field-by-field defects of generated records against the real table (issue 10's table):
 *   node dist/scripts/field-defects.js REAL.csv GENERATED.csv
 * Each field of the real table is profiled like `synth train` does; a generated value is a defect
 * when the schema rejects it strictly (a closed-set value never seen, a date that is not a
 * calendar date or is out of range, a number out of range or not a number). Free-text fields
 * (ids, e-mails) are left out, as in the issue. Prints a Markdown table and, with --json, JSON.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { fieldProblem } from '../src/schema/checkField.js';
import { profileRecords } from '../src/schema/profileRecords.js';

const [realPath, generatedPath] = process.argv.slice(2);
if (!realPath || !generatedPath) {
  process.stderr.write('usage: node dist/scripts/field-defects.js REAL.csv GENERATED.csv [--json]\n');
  process.exit(2);
}
const [header, ...real] = parse(await readFile(realPath, 'utf8')) as string[][];
const generated = (parse(await readFile(generatedPath, 'utf8'), { relax_column_count: true }) as string[][]).filter((r) => r.join(',') !== header!.join(','));
const schema = profileRecords(real, header!);
const rows = schema.fields.map((field, i) => {
  if (field.kind === 'text') return null;
  let count = 0;
  const examples = new Map<string, number>();
  for (const record of generated) {
    const value = record[i] ?? '';
    const problem = record.length !== header!.length ? 'wrong field count' : fieldProblem(field, value, true);
    if (!problem) continue;
    count++;
    examples.set(value, (examples.get(value) ?? 0) + 1);
  }
  const top = [...examples.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([v]) => v);
  return { field: field.name, kind: field.kind, defects: count, share: count / generated.length, examples: top };
}).filter((r) => r !== null);
const anyDefect = generated.filter((record) => schema.fields.some((f, i) => f.kind !== 'text' && fieldProblem(f, record[i] ?? '', true) !== null)).length;

if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ records: generated.length, anyDefect, rows }, null, 2)}\n`);
} else {
  process.stdout.write(`${generated.length} generated records checked against ${real.length} real ones\n\n| field | kind | defects | share of records | examples |\n| --- | --- | --- | --- | --- |\n`);
  for (const r of rows) process.stdout.write(`| ${r.field} | ${r.kind} | ${r.defects} | ${(100 * r.share).toFixed(2)}% | ${r.examples.join('; ')} |\n`);
  process.stdout.write(`\nrecords with any defect: ${anyDefect} (${((100 * anyDefect) / generated.length).toFixed(2)}%)\n`);
}
