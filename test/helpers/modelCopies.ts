import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A fresh copy of a model directory (in a new directory under `parent`), to corrupt without touching the original. */
export async function copyModelDirectory(source: string, parent: string = os.tmpdir()): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(parent, 'model-copy-')), 'model');
  await cp(source, dir, { recursive: true });
  return dir;
}

/** Rewrites a JSON file through `edit`, which may change the parsed value in place. */
export async function editJsonFile(file: string, edit: (value: any) => void): Promise<void> {
  const value = JSON.parse(await readFile(file, 'utf8'));
  edit(value);
  await writeFile(file, JSON.stringify(value, null, 2));
}
