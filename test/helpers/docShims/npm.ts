// `npm` on the doc check's PATH. Installing is checked on a fresh clone by CI (.ci/run), and
// `npm test` / `npm run` scripts run for minutes or would run this check again; here a documented
// script must exist in package.json, and nothing is installed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../runCli.js';

const [verb, ...rest] = process.argv.slice(2);
const scripts = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const fail = (line: string): never => {
  process.stderr.write(`doc check: ${line}\n`);
  process.exit(1);
};

if (verb === 'install' || verb === 'i' || verb === 'ci') {
  process.stderr.write(`doc check: npm ${verb} not run (installs are checked on a fresh clone by .ci/run)\n`);
} else if (verb === 'test' || verb === 't') {
  if (!scripts.test) fail('package.json has no "test" script');
} else if (verb === 'run' || verb === 'run-script') {
  const name = rest.find((a) => !a.startsWith('-'));
  if (!name || !scripts[name]) fail(`package.json has no script "${name ?? ''}" for npm ${verb}`);
} else {
  fail(`npm ${verb ?? ''} is not one the doc check knows; show it outside a runnable block, or teach test/helpers/docShims/npm.ts`);
}
