import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];
process.once('exit', () => {
  for (const dir of made) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // an exit handler that throws would fail the test file; a leftover directory is the lesser harm
    }
  }
});

/** A new directory under os.tmpdir(), removed when this test file's process exits (passed, failed or timed out), so test runs leave nothing in /tmp. */
export async function tempDirectory(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
