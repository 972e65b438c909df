import { spawnSync } from 'node:child_process';

// Tests that need file permissions enforced (a read-only directory, an unwritable HOME) used to
// run the child as "nobody", which cannot read a checkout under a 0700 directory (mktemp -d, a
// private home). Root without the two capabilities that bypass permission checks reads its own
// checkout and is refused like any user elsewhere; another user needs nothing dropped.
const DROP = ['--bounding-set', '-dac_override,-dac_read_search', '--'];

const isRoot = process.getuid?.() === 0;

/** Why permissions cannot be enforced on a child here, or undefined when they can. */
export function unprivilegedUnavailable(): string | undefined {
  if (!isRoot) return undefined;
  const probe = spawnSync('setpriv', [...DROP, 'true'], { encoding: 'utf8' });
  if (probe.error) return 'running as root and setpriv (util-linux) is missing: it drops the capabilities that bypass file permissions';
  if (probe.status !== 0) return `running as root and setpriv cannot drop capabilities here (${probe.stderr.trim()})`;
  return undefined;
}

/** `file args` as a command whose file permission checks apply (root: through setpriv, dropping CAP_DAC_*). */
export function unprivileged(file: string, args: string[]): { file: string; args: string[] } {
  return isRoot ? { file: 'setpriv', args: [...DROP, file, ...args] } : { file, args };
}
