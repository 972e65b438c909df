import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { startSynth, waitUntil } from './helpers/cliProcess.js';
import { hasSqlite, INSTALL_HINT, PostgresCluster, postgresBin, sqlite, sqliteRows } from './helpers/databases.js';
import { runCli } from './helpers/runCli.js';
import { TRICKY_NAMES, trickyCsv } from './helpers/trickyTable.js';

/**
 * synth's --format sql loaded into real databases: Debian's sqlite3, and a PostgreSQL cluster this
 * suite starts in a temporary directory. Without them the suites skip, saying how to get them.
 */
const LINES = 400;
const SEED = 5;
const sqliteMissing = hasSqlite() ? false : `sqlite3 is not installed; ${INSTALL_HINT}`;

let work: string;
/** The bundled model's records: as SQL and as jsonl (same run), and the tricky model's as SQL and CSV. */
const out = { customersSql: '', customersJsonl: [] as Record<string, unknown>[], trickyModel: '', trickySql: '', trickyCsv: [] as Record<string, string>[], keyedSchema: '' };

async function synth(args: string[]): Promise<string> {
  const r = await runCli(args, { timeoutMs: 300_000 });
  assert.equal(r.status, 0, `synth ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'synth-sql-'));
  const run = ['generate', '--lines', String(LINES), '--random-seed', String(SEED), '-q'];
  const [sql, jsonl] = await Promise.all([synth([...run, '--format', 'sql', '--table', 'customers']), synth([...run, '--format', 'jsonl'])]);
  out.customersSql = sql;
  out.customersJsonl = jsonl.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

  // --no-keys: this table's id column would be a key, and a second run into the same table (--no-create) repeats a run's fresh keys.
  const input = path.join(work, 'tricky data.csv');
  await writeFile(input, trickyCsv());
  out.trickyModel = path.join(work, 'tricky-model');
  await synth(['train', '--input', input, '--out', out.trickyModel, '--embedding-dim', '16', '--lstm-units', '32', '--epochs', '4', '--sequence-length', '40', '--random-seed', '1', '--max-minutes', '1', '--no-keys', '-q']);
  const tricky = ['generate', '--model', out.trickyModel, '--lines', '300', '--random-seed', '3', '-q'];
  const [trickySql, trickyCsvText] = await Promise.all([synth([...tricky, '--format', 'sql']), synth([...tricky, '--format', 'csv'])]);
  out.trickySql = trickySql;
  out.trickyCsv = parse(trickyCsvText, { columns: true }) as Record<string, string>[];

  // The bundled model's schema with customer_id marked as a key, as synth inspect --json gives it.
  const inspect = JSON.parse(await synth(['inspect', 'fixtures/default-model', '--json'])) as { schema: { fields: Record<string, unknown>[] } };
  inspect.schema.fields[0]!.key = { format: 'sequence', prefix: 'C', digits: 5, suffix: '', start: 3001 };
  out.keyedSchema = path.join(work, 'keyed.json');
  await writeFile(out.keyedSchema, JSON.stringify(inspect.schema));
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

test('the tricky training data reached the generated records: quotes, backslashes, semicolons, line breaks, non-ASCII', () => {
  const text = out.trickyCsv.map((r) => `${r.name}${r.note}`).join('');
  for (const piece of ["'", '\\', ';', '\n', '"', 'é', '😀']) assert.ok(text.includes(piece), `no ${JSON.stringify(piece)} in the generated records`);
  assert.ok(out.trickyCsv.some((r) => r.name === 'a\n.quit\n\\q'), 'a value with sqlite3 and psql commands on their own lines');
});

test('the default table name comes from the training file: "tricky data.csv" → tricky_data', () => {
  assert.match(out.trickySql, /^CREATE TABLE IF NOT EXISTS "tricky_data" \(/);
});

/** A tricky model's row as the CSV says it should come back (blank note: NULL). */
function expectedTrickyRow(r: Record<string, string>, booleans: (b: boolean) => unknown, stamp: (iso: string) => string): Record<string, unknown> {
  const [d, m, rest] = r.seen!.split(/[.]/);
  const [y, time] = rest!.split(' ');
  return { id: Number(r.id), name: r.name, note: r.note === '' ? null : r.note, amount: Number(r.amount), member: booleans(r.member === 'yes'), seen: stamp(`${y}-${m}-${d}T${time}:00`) };
}
const sortedJson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();

describe('SQLite (sqlite3)', { skip: sqliteMissing }, () => {
  const db = (name: string) => path.join(work, name);

  test('the bundled model\'s SQL loads: every row, the values jsonl gives, the declared types', async () => {
    const load = await sqlite(db('customers.db'), out.customersSql);
    assert.equal(load.status, 0, load.stderr);
    const rows = await sqliteRows(db('customers.db'), 'SELECT * FROM customers ORDER BY rowid');
    assert.equal(rows.length, LINES);
    assert.deepEqual(rows, out.customersJsonl);
    assert.ok(rows.some((r) => r.company === null) && rows.every((r) => Number.isInteger(r.age)));
    const columns = await sqliteRows(db('customers.db'), 'PRAGMA table_info(customers)');
    const declared = Object.fromEntries(columns.map((c) => [c.name, `${c.type}${c.notnull ? ' NOT NULL' : ''}`]));
    assert.deepEqual(declared, {
      customer_id: 'TEXT NOT NULL', first_name: 'TEXT NOT NULL', last_name: 'TEXT NOT NULL', email: 'TEXT NOT NULL', age: 'INTEGER NOT NULL', city: 'TEXT NOT NULL',
      country: 'TEXT NOT NULL', company: 'TEXT', signup_date: 'DATE NOT NULL', plan: 'TEXT NOT NULL', monthly_spend: 'NUMERIC(6,2) NOT NULL',
    });
  });

  test('shards one after another, and a second run with --key-offset, do not fail on CREATE TABLE or the key', async () => {
    const parts = await Promise.all([1, 2, 3].map((i) => synth(['generate', '--lines', '90', '--random-seed', '8', '--shard', `${i}/3`, '--format', 'sql', '-q'])));
    for (const part of parts) assert.equal((await sqlite(db('shards.db'), part)).status, 0);
    assert.equal((await sqliteRows(db('shards.db'), 'SELECT count(*) AS n FROM customers'))[0]!.n, 90);
    // A second run into the same table: its CREATE is a no-op, and --key-offset keeps its keys after the first run's.
    const more = await Promise.all([1, 2, 3].map((i) => synth(['generate', '--lines', '90', '--random-seed', '9', '--shard', `${i}/3`, '--key-offset', '90', '--format', 'sql', '-q'])));
    const again = await sqlite(db('shards.db'), more.join(''));
    assert.equal(again.status, 0, again.stderr);
    assert.equal((await sqliteRows(db('shards.db'), 'SELECT count(*) AS n FROM customers'))[0]!.n, 180);
  });

  test('values with quotes, backslashes, semicolons, line breaks and non-ASCII come back exactly as generated', async () => {
    const load = await sqlite(db('tricky.db'), out.trickySql);
    assert.equal(load.status, 0, load.stderr);
    const rows = await sqliteRows(db('tricky.db'), 'SELECT * FROM tricky_data ORDER BY rowid');
    assert.deepEqual(rows, out.trickyCsv.map((r) => expectedTrickyRow(r, (b) => (b ? 1 : 0), (iso) => iso.replace('T', ' '))));
    assert.deepEqual((await sqliteRows(db('tricky.db'), "SELECT name FROM sqlite_master WHERE type = 'table'")).map((r) => r.name), ['tricky_data'], 'no value ran as a statement');
  });

  test('--no-create adds rows to an existing table', async () => {
    const rows = await synth(['generate', '--model', out.trickyModel, '--lines', '7', '--random-seed', '9', '--format', 'sql', '--no-create', '--table', 'tricky_data', '-q']);
    assert.doesNotMatch(rows, /CREATE/);
    assert.equal((await sqlite(db('tricky.db'), rows)).status, 0);
    assert.equal((await sqliteRows(db('tricky.db'), 'SELECT count(*) AS n FROM tricky_data'))[0]!.n, 307);
  });

  test('a key column from --schema-file is the PRIMARY KEY', async () => {
    const sql = await synth(['generate', '--lines', '5', '--random-seed', String(SEED), '--format', 'sql', '--table', 'keyed', '--schema-file', out.keyedSchema, '-q']);
    assert.match(sql, /"customer_id" TEXT NOT NULL PRIMARY KEY/);
    assert.equal((await sqlite(db('keyed.db'), sql)).status, 0);
    const pk = (await sqliteRows(db('keyed.db'), 'PRAGMA table_info(keyed)')).filter((c) => c.pk === 1).map((c) => c.name);
    assert.deepEqual(pk, ['customer_id']);
  });

  test('three shards loaded into one keyed table have no key collision', async () => {
    const parts = await Promise.all([1, 2, 3].map((i) => synth(['generate', '--lines', '600', '--random-seed', String(SEED), '--shard', `${i}/3`, '--format', 'sql', '--table', 'customers', '--schema-file', out.keyedSchema, '-q'])));
    for (const [i, part] of parts.entries()) {
      const load = await sqlite(db('keyed-shards.db'), part);
      assert.equal(load.status, 0, `shard ${i + 1}: ${load.stderr}`);
    }
    assert.equal((await sqliteRows(db('keyed-shards.db'), 'SELECT count(DISTINCT customer_id) AS n FROM customers'))[0]!.n, 600);
  });

  test('a run stopped by the --max-invalid budget (exit 4) leaves a file that loads, with every record written', async () => {
    const r = await runCli(['generate', '--lines', '2000', '--random-seed', '3', '--match', ',enterprise,', '--max-invalid', '25', '--format', 'sql', '-q']);
    assert.equal(r.status, 4, r.stderr);
    const written = r.stdout.match(/^\(/gm)?.length ?? 0;
    assert.ok(written > 0 && r.stdout.endsWith('COMMIT;\n'), `${written} rows; ends ${JSON.stringify(r.stdout.slice(-20))}`);
    assert.equal((await sqlite(db('budget.db'), r.stdout)).status, 0);
    assert.equal((await sqliteRows(db('budget.db'), 'SELECT count(*) AS n FROM customers'))[0]!.n, written);
  });

  test('an interrupted run (SIGINT, exit 130) leaves a file that loads, with every record written', async () => {
    const file = path.join(work, 'interrupted.sql');
    const run = startSynth(['generate', '--lines', '1000000', '--random-seed', '4', '--workers', '1', '-o', file, '-q'], { timeoutMs: 120_000 });
    // Until the run ends, -o FILE is written as a staged sibling (FILE.tmp-PID-XXXXXXXX).
    const staged = async () => {
      const name = (await readdir(work)).find((n) => n.startsWith('interrupted.sql.tmp-'));
      return name ? (await stat(path.join(work, name)).catch(() => ({ size: 0 }))).size : 0;
    };
    await waitUntil(async () => (await staged()) > 20_000, 'the staged file has a few batches');
    run.child.kill('SIGINT');
    const result = await run.result;
    assert.equal(result.status, 130, result.stderr);
    const text = await readFile(file, 'utf8');
    assert.ok(text.endsWith('COMMIT;\n'));
    assert.equal((await sqlite(db('interrupted.db'), text)).status, 0);
    assert.equal((await sqliteRows(db('interrupted.db'), 'SELECT count(*) AS n FROM customers'))[0]!.n, text.match(/^\(/gm)!.length);
  });
});

describe('PostgreSQL (a throwaway cluster on a unix socket)', async () => {
  const bin = await postgresBin();
  let pg: PostgresCluster;
  before(async () => {
    if (bin) pg = await PostgresCluster.start(bin);
  });
  after(async () => {
    await pg?.stop();
  });
  const skip = bin ? false : `PostgreSQL server binaries are not installed; ${INSTALL_HINT}`;

  test('the bundled model\'s SQL loads with no error: every row, the values jsonl gives, the column types', { skip }, async () => {
    const load = await pg.psql(out.customersSql);
    assert.equal(load.status, 0, load.stderr);
    const rows = await pg.rows('SELECT * FROM customers');
    assert.deepEqual(sortedJson(rows), sortedJson(out.customersJsonl));
    const columns = await pg.rows("SELECT column_name, data_type, numeric_precision, numeric_scale, is_nullable FROM information_schema.columns WHERE table_name = 'customers' ORDER BY ordinal_position");
    const types = Object.fromEntries(columns.map((c) => [c.column_name, `${c.data_type}${c.data_type === 'numeric' ? `(${c.numeric_precision},${c.numeric_scale})` : ''}${c.is_nullable === 'NO' ? ' not null' : ''}`]));
    assert.deepEqual(types, {
      customer_id: 'text not null', first_name: 'text not null', last_name: 'text not null', email: 'text not null', age: 'integer not null', city: 'text not null',
      country: 'text not null', company: 'text', signup_date: 'date not null', plan: 'text not null', monthly_spend: 'numeric(6,2) not null',
    });
  });

  test('values with quotes, backslashes, semicolons, line breaks and non-ASCII come back exactly; boolean and timestamp columns', { skip }, async () => {
    const load = await pg.psql(out.trickySql);
    assert.equal(load.status, 0, load.stderr);
    const rows = await pg.rows('SELECT * FROM tricky_data');
    assert.deepEqual(sortedJson(rows), sortedJson(out.trickyCsv.map((r) => expectedTrickyRow(r, (b) => b, (iso) => iso))));
    const types = await pg.rows("SELECT data_type FROM information_schema.columns WHERE table_name = 'tricky_data' ORDER BY ordinal_position");
    assert.deepEqual(types.map((t) => t.data_type), ['integer', 'text', 'text', 'numeric', 'boolean', 'timestamp without time zone']);
    assert.deepEqual((await pg.rows("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).map((t) => t.table_name).sort(), ['customers', 'tricky_data']);
    assert.deepEqual(TRICKY_NAMES.filter((n) => !rows.some((r) => r.name === n)), [], 'every value of the closed set came back whole');
  });

  test('shards concatenated load into one table; a key column is the PRIMARY KEY', { skip }, async () => {
    const parts = await Promise.all([1, 2, 3].map((i) => synth(['generate', '--lines', '60', '--random-seed', '8', '--shard', `${i}/3`, '--format', 'sql', '--table', 'sharded', '-q'])));
    const load = await pg.psql(parts.join(''));
    assert.equal(load.status, 0, load.stderr);
    assert.equal((await pg.rows('SELECT count(*) AS n FROM sharded'))[0]!.n, 60);
    const keyed = await synth(['generate', '--lines', '5', '--random-seed', String(SEED), '--format', 'sql', '--table', 'keyed', '--schema-file', out.keyedSchema, '-q']);
    assert.equal((await pg.psql(keyed)).status, 0);
    const pk = await pg.rows("SELECT k.column_name FROM information_schema.table_constraints c JOIN information_schema.key_column_usage k USING (constraint_name) WHERE c.table_name = 'keyed' AND c.constraint_type = 'PRIMARY KEY'");
    assert.deepEqual(pk, [{ column_name: 'customer_id' }]);
  });

  test('three shards loaded into one keyed table have no key collision', { skip }, async () => {
    const parts = await Promise.all([1, 2, 3].map((i) => synth(['generate', '--lines', '600', '--random-seed', String(SEED), '--shard', `${i}/3`, '--format', 'sql', '--table', 'keyed_shards', '--schema-file', out.keyedSchema, '-q'])));
    for (const [i, part] of parts.entries()) {
      const load = await pg.psql(part);
      assert.equal(load.status, 0, `shard ${i + 1}: ${load.stderr}`);
    }
    assert.equal((await pg.rows('SELECT count(DISTINCT customer_id) AS n FROM keyed_shards'))[0]!.n, 600);
  });
});
