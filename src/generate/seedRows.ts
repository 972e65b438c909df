import { csvProblem } from '../data/csvProblem.js';
import { parse } from 'csv-parse/sync';
import { message, UsageError, type Message } from '../errors.js';
import type { RecordKind } from '../model/manifest.js';
import { checkCondition, fieldIndex, type ConditionValue } from '../schema/checkCondition.js';
import { satisfies, type FieldCondition } from '../schema/fieldCondition.js';
import type { RecordSchema } from '../schema/schema.js';

/**
 * One record to generate with some fields fixed (a --seed-file row under a header, an entry of the
 * API's seedRecords). A blank or null cell leaves its field free. `source` names the row in errors.
 */
export interface SeedRow {
  source: Message;
  cells: { field: string; value: ConditionValue | null }[];
}

/**
 * A --seed-file's rows when its first line is a header: every cell of it (split by the model's
 * delimiter) a column name of the model. Otherwise undefined, and each line is a start string as
 * before; a first line naming some columns and some unknown names is an error (a typo). Empty lines are skipped; a row with another cell count than the header is an
 * error naming the file and line.
 */
export function seedFileRows(lines: readonly string[], records: RecordKind, file: string): SeedRow[] | undefined {
  if (records.kind !== 'delimited' || lines.length === 0) return undefined;
  const header = cellsOfLine(lines[0]!, records.delimiter);
  if (header === undefined) return undefined;
  const unknown = header.filter((name) => !records.header.includes(name));
  // Some cells naming columns and some not is a header with a typo far more often than a start string.
  if (unknown.length > 0 && unknown.length < header.length && header.length > 1) {
    throw new UsageError(
      `${file} line 1 names columns (${header.filter((n) => records.header.includes(n)).join(', ')}) but also ${unknown.map((n) => JSON.stringify(n)).join(', ')}, which the model does not have; a header row names only the model's columns (${records.header.join(', ')})`,
    );
  }
  if (unknown.length > 0) return undefined;
  if (new Set(header).size !== header.length) throw new UsageError(`${file} line 1 names a column twice (${header.join(records.delimiter)}); name each column once`);
  const rows: SeedRow[] = [];
  const shape = header.join(records.delimiter);
  try {
    // on_record's context gives each row's line (info: true costs twice as much on a large file).
    parse(lines.join('\n'), {
      delimiter: records.delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      from_line: 2,
      on_record: (record: string[], context: { lines: number }) => {
        if (record.length !== header.length) {
          throw new UsageError(`${file} line ${context.lines} has ${record.length} cells but the header has ${header.length} (${shape}); leave a cell empty to leave its field free`);
        }
        rows.push({ source: message`${file} line ${context.lines}`, cells: header.map((field, i) => ({ field, value: record[i]! })) });
        return null;
      },
    });
  } catch (error) {
    if (UsageError.is(error)) throw error;
    const line = (error as { lines?: number }).lines;
    throw new UsageError(`${file}${line === undefined ? '' : ` line ${line}`} is not valid CSV under its header (${csvProblem(error as Error)}); quote a cell that holds "${records.delimiter}"`);
  }
  if (rows.length === 0) throw new UsageError(`${file} has a header (${shape}) but no rows; add one row per record`);
  return rows;
}

function cellsOfLine(line: string, delimiter: string): string[] | undefined {
  try {
    const rows = parse(line, { delimiter, relax_quotes: true }) as string[][];
    return rows.length === 1 ? rows[0] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Each row's fixed fields as values conditions of one value, checked against the schema. A row
 * fixing a field that `where` also conditions must meet it: the two together would ask for nothing.
 */
export function checkSeedRows(rows: readonly SeedRow[], schema: RecordSchema, where: readonly FieldCondition[], whereSources: readonly Message[]): FieldCondition[][] {
  // Seed files repeat their values (a country per row): each distinct cell is checked once.
  const checked = new Map<string, FieldCondition>();
  return rows.map((row) =>
    row.cells.flatMap(({ field, value }) => {
      if (value === null || value === '') {
        fieldIndex({ source: row.source, field }, schema);
        return [];
      }
      const key = `${field}\u0000${typeof value}\u0000${value}`;
      let condition = checked.get(key);
      if (condition === undefined) {
        condition = checkCondition({ source: row.source, field, kind: 'values', values: [value] }, schema);
        const at = where.findIndex((w) => w.field === condition!.field);
        if (at >= 0 && condition.kind === 'values' && !satisfies(condition.values[0]!, schema.fields[condition.field]!, where[at]!)) {
          throw new UsageError(message`${row.source}: ${field} ${JSON.stringify(condition.values[0])} does not meet ${whereSources[at]!}; change the row or the condition`);
        }
        checked.set(key, condition);
      }
      return [condition];
    }),
  );
}
