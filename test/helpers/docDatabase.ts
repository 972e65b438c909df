import { PostgresCluster, postgresBin } from './databases.js';

/** A command that loads into the database a reader's CI job provides. */
export const usesDatabaseUrl = (command: string): boolean => /\$\{?DATABASE_URL\b/.test(command);

/**
 * `$DATABASE_URL` for the doc check: a throwaway PostgreSQL cluster, started on the first block
 * that needs it, so a page's `... | psql "$DATABASE_URL"` recipe really loads into PostgreSQL.
 * Each block gets a fresh database, as a CI job's service would give it.
 */
export class DocDatabases {
  private cluster: Promise<PostgresCluster> | undefined;
  private count = 0;

  /** Why blocks that need a database cannot run here, or false when they can. */
  static async unavailable(): Promise<string | false> {
    return (await postgresBin()) ? false : 'PostgreSQL server binaries are not installed (scripts/setup-test-services.sh)';
  }

  /** A connection URL to a new, empty database on the cluster's unix socket. */
  async freshUrl(): Promise<string> {
    this.cluster ??= postgresBin().then((bin) => PostgresCluster.start(bin!));
    const cluster = await this.cluster;
    const name = `doc_${++this.count}`;
    const created = await cluster.psql('', ['-c', `CREATE DATABASE ${name}`]);
    if (created.status !== 0) throw new Error(`CREATE DATABASE ${name}: ${created.stderr}`);
    return `postgresql://synth@/${name}?host=${encodeURIComponent(cluster.dir)}`;
  }

  async stop(): Promise<void> {
    await (await this.cluster?.catch(() => undefined))?.stop();
  }
}
