import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import type { CaseRandom } from './random.js';

/**
 * Places a path that is not a readable regular file at `target`; returns what it is. No FIFO:
 * `--seed-file <(cmd)` is a pipe and must keep working, so a pipe no one writes to waits, as
 * `cat` does. (Model directories, which are never piped, refuse FIFOs; that kind places them.)
 */
export async function placeSpecialFile(random: CaseRandom, target: string): Promise<string> {
  const how = random.pick(['missing', 'directory', '/dev/zero', '/dev/null', 'loop'] as const);
  switch (how) {
    case 'missing':
      return 'a missing file';
    case 'directory':
      await mkdir(target);
      return 'a directory';
    case '/dev/zero':
    case '/dev/null':
      await symlink(how, target);
      return `a link to ${how}`;
    case 'loop':
      await symlink(path.basename(target), target);
      return 'a symbolic link to itself';
  }
}
