import { execFileSync, spawn } from 'node:child_process';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** How to get the databases when a test has to skip for want of them. */
export const INSTALL_HINT = 'run scripts/setup-test-services.sh as root (apt-get install sqlite3 postgresql)';

export interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program with `input` on stdin (a SQL script), collecting its output. */
export function runTool(file: string, args: string[], input: string | Buffer, options: { uid?: number; gid?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env }, ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.on('error', () => {}); // a tool that exits early closes its stdin
    child.stdin.end(input);
  });
}

export function hasSqlite(): boolean {
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Loads a SQL script into the SQLite database file `db`; -bail stops at the first error with a nonzero status. */
export function sqlite(db: string, script: string | Buffer): Promise<ToolResult> {
  return runTool('sqlite3', ['-bail', db], script);
}

/** The rows of a query as JSON objects (sqlite3 -json). */
export async function sqliteRows(db: string, query: string): Promise<Record<string, unknown>[]> {
  const result = await runTool('sqlite3', ['-json', db, query], '');
  if (result.status !== 0) throw new Error(`sqlite3 ${query}: ${result.stderr}`);
  return result.stdout.trim() === '' ? [] : (JSON.parse(result.stdout) as Record<string, unknown>[]);
}

/** The newest PostgreSQL server binaries Debian's packages installed, or undefined. */
export async function postgresBin(): Promise<string | undefined> {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = (await readdir(root)).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(root, versions[0], 'bin');
}

/**
 * A throwaway PostgreSQL cluster in a temporary directory, listening only on a unix socket there
 * (no TCP port to collide with another test or engineer). Root may not run the server, so as root
 * it runs as the `postgres` user Debian's package creates.
 */
export class PostgresCluster {
  private constructor(
    private readonly bin: string,
    readonly dir: string,
    private readonly owner: { uid?: number; gid?: number },
  ) {}

  static async start(bin: string): Promise<PostgresCluster> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'synth-pg-'));
    const owner = process.getuid?.() === 0 ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) } : {};
    if (owner.uid !== undefined) await chown(dir, owner.uid, owner.gid!);
    const cluster = new PostgresCluster(bin, dir, owner);
    const data = path.join(dir, 'data');
    await cluster.server('initdb', ['-D', data, '-U', 'synth', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    await cluster.server('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-o', `-c listen_addresses='' -k ${dir} -c fsync=off`, 'start']);
    // A test process that exits without running after() (a failed before(), process.exit) must not leave a server behind.
    process.once('exit', cluster.stopNow);
    return cluster;
  }

  private readonly stopNow = (): void => {
    try {
      execFileSync(path.join(this.bin, 'pg_ctl'), ['-D', path.join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore', ...this.owner });
    } catch {
      // already stopped
    }
  };

  /** psql on the cluster's socket; ON_ERROR_STOP makes any failed statement a nonzero exit. */
  psql(script: string | Buffer, args: string[] = []): Promise<ToolResult> {
    return runTool(path.join(this.bin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', this.dir, '-U', 'synth', '-d', 'postgres', ...args], script, { env: { PGCLIENTENCODING: 'UTF8' } });
  }

  /** The rows of a query as JSON objects, in the order the query gives. */
  async rows(query: string): Promise<Record<string, unknown>[]> {
    const result = await this.psql('', ['-At', '-c', `SELECT coalesce(json_agg(q), '[]') FROM (${query}) q`]);
    if (result.status !== 0) throw new Error(`psql ${query}: ${result.stderr}`);
    return JSON.parse(result.stdout) as Record<string, unknown>[];
  }

  async stop(): Promise<void> {
    process.off('exit', this.stopNow);
    await this.server('pg_ctl', ['-D', path.join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']).catch(() => {});
    await rm(this.dir, { recursive: true, force: true });
  }

  private async server(program: string, args: string[]): Promise<void> {
    const result = await runTool(path.join(this.bin, program), args, '', { ...this.owner, env: { LC_ALL: 'C' } });
    if (result.status !== 0) throw new Error(`${program} failed (${result.status}): ${result.stderr}${result.stdout}`);
  }
}
