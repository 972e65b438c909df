import { spawn } from 'node:child_process';
import { chmod, cp, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocCommand } from './docBlocks.js';
import { repoRoot, type CliResult } from './runCli.js';

const shimDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'docShims');

/**
 * Writes `synth`, `npx`, `npm` and `parallel` into `binDir`, for the front of PATH: documented
 * commands then run exactly as written (see the shims for what each does).
 */
export async function writeShimBin(binDir: string): Promise<void> {
  await mkdir(binDir, { recursive: true });
  const node = (script: string): string => `#!/bin/sh\nexec "${process.execPath}" "${path.join(shimDir, script)}" "$@"\n`;
  const scripts: Record<string, string> = {
    synth: node('synth.js'),
    npm: node('npm.js'),
    parallel: node('parallel.js'),
    // `npx synth` and `npx --yes synth` only: anything else would reach the network.
    npx: '#!/bin/sh\ncase "$1" in --yes|-y) shift;; esac\n[ "$1" = synth ] || { echo "doc check: npx runs only synth here" >&2; exit 1; }\nshift\nexec synth "$@"\n',
  };
  for (const [name, text] of Object.entries(scripts)) {
    await writeFile(path.join(binDir, name), text);
    await chmod(path.join(binDir, name), 0o755);
  }
}

/** Flags whose value is a file or directory the command reads. */
const INPUT_FLAGS = ['--input', '--data', '--synthetic', '--model', '--seed-file', '--validator', '--schema-file'];
/** Names the pages use for the bundled data, besides the fixtures' own names. */
const DATA_ALIASES: Record<string, string> = { 'people.csv': 'fixtures/customers.csv' };

/**
 * Makes the inputs a command names that are not yet in the workspace: a file the page shows
 * (`// adults.mjs`), a fixture of that name (fixtures/, fixtures/public/, or an alias above), a
 * text file for `*.txt` training input (the customers table's lines), or the bundled model for a
 * model directory. Anything else is left missing, and synth's own message names it.
 */
export async function prepareInputs(command: DocCommand, workspace: string, shown: Map<string, string>): Promise<void> {
  for (const { flag, value } of namedInputs(command.text)) {
    const target = path.resolve(workspace, value);
    if (!target.startsWith(workspace) || (await exists(target))) continue;
    await mkdir(path.dirname(target), { recursive: true });
    const name = path.basename(value);
    const fixture = await findFixture(name);
    if (shown.has(name)) await writeFile(target, shown.get(name)!);
    else if (flag === '--model') await cp(path.join(repoRoot, 'fixtures/default-model'), target, { recursive: true });
    else if (fixture) await cp(fixture, target);
    else if (flag === '--input' && name.endsWith('.txt')) {
      const rows = (await readFile(path.join(repoRoot, 'fixtures/customers.csv'), 'utf8')).split('\n').slice(1);
      await writeFile(target, rows.join('\n'));
    }
  }
}

function namedInputs(text: string): { flag: string; value: string }[] {
  const found: { flag: string; value: string }[] = [];
  const tokens = text.split(/\s+/).map((t) => t.replace(/^['"]|['"]$/g, ''));
  tokens.forEach((token, i) => {
    const [flag, joined] = token.split('=', 2) as [string, string | undefined];
    const value = joined ?? tokens[i + 1];
    if (INPUT_FLAGS.includes(flag) && value && !value.startsWith('-')) found.push({ flag, value });
    // `synth inspect DIR`: the model directory is an argument.
    if (token === 'inspect' && tokens[i - 1] === 'synth' && value && !value.startsWith('-')) found.push({ flag: '--model', value });
  });
  return found;
}

async function findFixture(name: string): Promise<string | undefined> {
  const candidates = [DATA_ALIASES[name], `fixtures/${name}`, `fixtures/public/${name}`].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    const file = path.join(repoRoot, candidate);
    if ((await stat(file).catch(() => null))?.isFile()) return file;
  }
  return undefined;
}

const exists = (file: string): Promise<boolean> => stat(file).then(() => true, () => false);

/** Runs one documented command with bash (pipefail) in the workspace, the shims first on PATH. */
export function runDocCommand(command: DocCommand, options: { workspace: string; binDir: string; logFile: string; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `set -o pipefail; ${command.text}`], {
      cwd: options.workspace,
      env: { ...process.env, ...command.env, PATH: `${options.binDir}${path.delimiter}${process.env.PATH ?? ''}`, SYNTH_DOC_LOG: options.logFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}
