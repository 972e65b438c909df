// GNU parallel on the doc check's PATH (it is often not installed): the documented form
// `parallel [-jN] 'COMMAND with {}' ::: A B ...` runs COMMAND once per argument, in order.
// The exit status is the number of failed jobs, as GNU parallel's.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const sep = args.indexOf(':::');
if (sep < 0) {
  process.stderr.write('doc check: parallel needs the form parallel [-jN] COMMAND ::: ARGS\n');
  process.exit(255);
}
const template = args.slice(0, sep).filter((a, i, all) => !/^-j\d*$|^--jobs/.test(a) && !/^-j$/.test(all[i - 1] ?? '')).join(' ');
let failed = 0;
for (const value of args.slice(sep + 1)) {
  const command = template.includes('{}') ? template.replaceAll('{}', value) : `${template} ${value}`;
  if (spawnSync('bash', ['-c', command], { stdio: 'inherit' }).status !== 0) failed++;
}
process.exit(Math.min(failed, 101));
