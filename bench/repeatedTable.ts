import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from './runCli.js';

/**
 * A big table for the reading and memory benchmarks: fixtures/customers.csv's data rows repeated
 * to `rows` rows under its header (300,000 rows is about 29 MB), written to `dir`/`name`.
 */
export async function writeRepeatedTable(dir: string, rows: number, name = 'bench.csv'): Promise<string> {
  const [header, ...records] = (await readFile(path.join(REPO_ROOT, 'fixtures/customers.csv'), 'utf8')).trimEnd().split('\n');
  const file = path.join(dir, name);
  const lines = [header!];
  for (let i = 0; i < rows; i++) lines.push(records[i % records.length]!);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}
