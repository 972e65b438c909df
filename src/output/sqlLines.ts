import { message, option, UsageError } from '../errors.js';
import type { RecordSchema } from '../schema/schema.js';
import type { TypedRecord } from '../validate/record.js';
import { quoteIdentifier, sqlLiteral } from './sqlLiteral.js';
import { createTableStatement, qualifiedName, sqlColumns } from './sqlTable.js';

/** Rows per INSERT: few statements for the database to parse, small enough that a lost batch is little. */
export const SQL_BATCH_ROWS = 100;

/** --format sql: where the rows go and whether to create the table. */
export interface SqlTarget {
  /** The table, as one name or [schema, table] (already checked by parseTableName). */
  table: readonly string[];
  /** false: inserts only (--no-create). */
  create: boolean;
}

export interface SqlLines {
  header: string;
  line(record: TypedRecord): string;
  footer(): string;
}

/**
 * A SQL script that SQLite (3.23+) and PostgreSQL both load: CREATE TABLE IF NOT EXISTS, then the
 * rows in one transaction, SQL_BATCH_ROWS per INSERT. Each record is written as it comes (streaming,
 * no batch held in memory): the first row of a batch opens the INSERT, the batch's last row or the
 * footer closes it, so a run stopped early (exit 4, an interrupt) still ends in a loadable file.
 */
export function sqlLines(target: SqlTarget, header: readonly string[], schema: RecordSchema | undefined, textModel: boolean): SqlLines {
  const columns = sqlColumns(header, schema, textModel);
  const table = qualifiedName(target.table);
  const insert = `INSERT INTO ${table} (${columns.map((c) => quoteIdentifier(c.name)).join(', ')}) VALUES\n`;
  let inBatch = 0;
  return {
    header: (target.create ? createTableStatement(target.table, columns) : '') + 'BEGIN;\n',
    line(record) {
      const values = columns.map((column, i) => {
        const raw = textModel ? record.text : (record.fields[i] ?? '');
        if (raw.includes('\0')) {
          throw new UsageError(
            message`${option('format')} sql: record ${record.index}, column ${JSON.stringify(column.name)} holds a NUL character (U+0000), which PostgreSQL text cannot store; write ${option('format')} csv or jsonl instead`,
          );
        }
        const value = textModel ? record.text : (record.values[i] ?? null);
        return sqlLiteral(value, raw, column.type);
      });
      const row = `(${values.join(', ')})`;
      inBatch++;
      const start = inBatch === 1 ? insert : ',\n';
      if (inBatch < SQL_BATCH_ROWS) return start + row;
      inBatch = 0;
      return start + row + ';\n';
    },
    footer() {
      const close = inBatch > 0 ? ';\n' : '';
      inBatch = 0;
      return close + 'COMMIT;\n';
    },
  };
}
