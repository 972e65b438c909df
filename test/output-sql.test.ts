import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { UsageError } from '../src/errors.js';
import type { RecordKind } from '../src/model/manifest.js';
import { formatDelimitedRow } from '../src/output/delimitedRow.js';
import { createRecordWriter } from '../src/output/recordWriter.js';
import type { SqlSetting } from '../src/output/recordLines.js';
import { SQL_BATCH_ROWS } from '../src/output/sqlLines.js';
import { quoteIdentifier, sqlLiteral, stringLiteral } from '../src/output/sqlLiteral.js';
import { createTableStatement, sqlColumns } from '../src/output/sqlTable.js';
import { defaultTableName, parseTableName } from '../src/output/sqlTableName.js';
import { profileRecords } from '../src/schema/profileRecords.js';
import { compileTypedValues } from '../src/schema/typedValue.js';
import type { RecordSchema } from '../src/schema/schema.js';
import type { TypedRecord } from '../src/validate/record.js';

const HEADER = ['id', 'age', 'spend', 'member', 'day', 'stamp', 'note'];
const rows = Array.from({ length: 30 }, (_, i) => [
  `C${String(i).padStart(3, '0')}`,
  String(18 + (i % 50)),
  (i * 1.25).toFixed(2),
  i % 2 ? 'Y' : 'N',
  `${String((i % 28) + 1).padStart(2, '0')}.03.2024`,
  `2024-03-01 1${i % 10}:30`,
  i % 4 ? `n${i}` : '',
]);
// keys: false: the small table's id and age would be taken for keys; key columns have tests of their own.
const schema: RecordSchema = profileRecords(rows, HEADER, { closedSetMaxValues: 0, keys: false });
const kind: RecordKind = { kind: 'delimited', delimiter: ',', header: HEADER };
const typed = compileTypedValues(schema);
const record = (index: number, fields: string[]): TypedRecord => ({ index, text: formatDelimitedRow(fields, ','), fields, values: typed(fields) });

async function writeSql(records: TypedRecord[], sql: SqlSetting, records_: RecordKind = kind): Promise<string> {
  let text = '';
  const output = new Writable({ decodeStrings: false, write: (chunk: string, _e, done) => ((text += chunk), done()) });
  const writer = createRecordWriter({ format: 'sql', records: records_, output, sql });
  try {
    for (const r of records) await writer.write(r);
  } finally {
    await writer.end();
  }
  return text;
}

describe('--format sql', () => {
  test('column types come from the schema: INTEGER, NUMERIC(p,s), BOOLEAN, DATE, TIMESTAMP, TEXT; NOT NULL where training had no blank', () => {
    assert.equal(
      createTableStatement(['people'], sqlColumns(HEADER, schema, false)),
      'CREATE TABLE IF NOT EXISTS "people" (\n' +
        '  "id" TEXT NOT NULL,\n  "age" INTEGER NOT NULL,\n  "spend" NUMERIC(4,2) NOT NULL,\n  "member" BOOLEAN NOT NULL,\n' +
        '  "day" DATE NOT NULL,\n  "stamp" TIMESTAMP NOT NULL,\n  "note" TEXT\n);\n',
    );
  });

  test('a key column is the PRIMARY KEY (a second one UNIQUE); an integer key is BIGINT, its fresh values count past training\'s', () => {
    const keyed: RecordSchema = { ...schema, fields: schema.fields.map((f, i) => (i === 0 ? { ...f, key: { format: 'sequence', prefix: 'C', digits: 3, suffix: '', start: 30 } } : i === 1 ? { ...f, key: { format: 'uuid' } } : f)) };
    const columns = sqlColumns(HEADER, keyed, false);
    assert.deepEqual(columns.slice(0, 2).map((c) => [c.sqlType, c.primaryKey, c.unique, c.notNull]), [['TEXT', true, false, true], ['BIGINT', false, true, true]]);
    assert.match(createTableStatement(['t'], columns), /"id" TEXT NOT NULL PRIMARY KEY,\n {2}"age" BIGINT NOT NULL UNIQUE,/);
  });

  test('wide integers get BIGINT, then NUMERIC; a closed set of numbers is typed as numbers', () => {
    const wide = profileRecords([['3000000000', '1'], ['-5', '2.5']], ['big', 'small'], { closedSetMaxValues: 0 });
    assert.deepEqual(sqlColumns(['big', 'small'], wide, false).map((c) => c.sqlType), ['BIGINT', 'NUMERIC(2,1)']);
    const sets = profileRecords(Array.from({ length: 40 }, (_, i) => [String(i % 4), ['0.5', '12.25'][i % 2]!, ['007', '12'][i % 2]!]), ['n', 'd', 'code']);
    assert.deepEqual(sqlColumns(['n', 'd', 'code'], sets, false).map((c) => c.sqlType), ['INTEGER', 'NUMERIC(4,2)', 'TEXT']);
  });

  test('a repeated or empty header name still makes a valid table', () => {
    assert.deepEqual(sqlColumns(['a', 'a', '', 'a_2', ''], undefined, false).map((c) => c.name), ['a', 'a_2', 'column_3', 'a_2_2', 'column_5']);
  });

  test('values: numbers bare as generated, booleans TRUE/FALSE, dates ISO, timestamps with seconds, a blank NULL', async () => {
    const out = await writeSql([record(0, ['C001', '42', '12.50', 'Y', '31.03.2024', '2024-03-01 17:05', '']), record(1, ['C002', '18', '0.00', 'N', '01.03.2024', '2024-03-01 10:30', "it's"])], { table: ['people'], create: false, schema });
    assert.equal(
      out,
      'BEGIN;\nINSERT INTO "people" ("id", "age", "spend", "member", "day", "stamp", "note") VALUES\n' +
        "('C001', 42, 12.50, TRUE, '2024-03-31', '2024-03-01 17:05:00', NULL),\n" +
        "('C002', 18, 0.00, FALSE, '2024-03-01', '2024-03-01 10:30:00', 'it''s');\nCOMMIT;\n",
    );
  });

  test('string literals double quotes and nothing else; identifiers are quoted', () => {
    assert.equal(stringLiteral("O'Brien; DROP TABLE t; --"), "'O''Brien; DROP TABLE t; --'");
    assert.equal(stringLiteral('back\\slash\nnew line'), "'back\\slash\nnew line'");
    assert.equal(quoteIdentifier('say "hi"'), '"say ""hi"""');
    assert.equal(sqlLiteral('12', '12', 'text'), "'12'");
    assert.equal(sqlLiteral('9007199254740993', '9007199254740993', 'integer'), '9007199254740993', 'a big integer stays exact');
  });

  test(`rows go ${SQL_BATCH_ROWS} to an INSERT; the last batch is closed at the end; no records still give a loadable script`, async () => {
    const many = Array.from({ length: 2 * SQL_BATCH_ROWS + 3 }, (_, i) => record(i, ['C001', '20', '1.00', 'Y', '01.03.2024', '2024-03-01 10:30', 'x']));
    const out = await writeSql(many, { table: ['people'], create: true, schema });
    assert.equal(out.match(/^INSERT INTO/gm)?.length, 3);
    assert.equal(out.match(/^\(/gm)?.length, many.length);
    assert.ok(out.endsWith(");\nCOMMIT;\n"));
    assert.equal(out.match(/;\n/g)?.length, 1 + 1 + 3 + 1, 'CREATE, BEGIN, three INSERTs, COMMIT');
    assert.equal(await writeSql([], { table: ['people'], create: false, schema }), 'BEGIN;\nCOMMIT;\n');
  });

  test('a text model is one TEXT column named text; a model without a schema gets TEXT columns and its texts as they are', async () => {
    const text: TypedRecord = { index: 0, text: "it's 42", fields: ["it's 42"], values: ["it's 42"] };
    assert.match(await writeSql([text], { table: ['lines'], create: true, schema: undefined }, { kind: 'text' }), /"text" TEXT NOT NULL\n\);\nBEGIN;\nINSERT INTO "lines" \("text"\) VALUES\n\('it''s 42'\);/);
    const plain: TypedRecord = { index: 0, text: 'a,,3', fields: ['a', '', '3'], values: ['a', '', '3'] };
    const out = await writeSql([plain], { table: ['t'], create: true, schema: undefined }, { kind: 'delimited', delimiter: ',', header: ['x', 'y', 'z'] });
    assert.match(out, /"x" TEXT,\n {2}"y" TEXT,\n {2}"z" TEXT\n/);
    assert.match(out, /\('a', '', '3'\);/);
  });

  test('a NUL character, which PostgreSQL text cannot hold, stops the run with a usage error naming record and column, after the rows before it', async () => {
    const bad = record(7, ['C001', '20', '1.00', 'Y', '01.03.2024', '2024-03-01 10:30', 'a\0b']);
    let text = '';
    const output = new Writable({ decodeStrings: false, write: (chunk: string, _e, done) => ((text += chunk), done()) });
    const writer = createRecordWriter({ format: 'sql', records: kind, output, sql: { table: ['t'], create: false, schema } });
    await writer.write(record(6, ['C001', '20', '1.00', 'Y', '01.03.2024', '2024-03-01 10:30', 'ok']));
    assert.throws(() => writer.write(bad), (e: unknown) => e instanceof UsageError && /record 7, column "note" holds a NUL character \(U\+0000\)/.test(e.message));
    await writer.end();
    assert.match(text, /\('C001', 20, 1\.00, TRUE, '2024-03-01', '2024-03-01 10:30:00', 'ok'\);\nCOMMIT;\n$/);
  });

  test('--table takes a plain name or schema.table; the default comes from the training file\'s name', () => {
    assert.deepEqual(parseTableName('customers'), ['customers']);
    assert.deepEqual(parseTableName('public.Customers_2'), ['public', 'Customers_2']);
    for (const bad of ['a b', '2x', 'a.b.c', 'x"; DROP', '', 'a'.repeat(64)]) assert.throws(() => parseTableName(bad), UsageError, bad);
    assert.deepEqual(defaultTableName('fixtures/customers.csv'), ['customers']);
    assert.deepEqual(defaultTableName('/data/Sales Q1-2024.tsv'), ['sales_q1_2024']);
    assert.deepEqual(defaultTableName('2024.csv'), ['t_2024']);
    assert.deepEqual(defaultTableName(undefined), ['records']);
  });
});
