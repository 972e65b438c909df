import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, from dist/test/helpers. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const cliPath = path.join(repoRoot, 'bin', 'synth.js');

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI in a child process, as a user would. */
export function runCli(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return runCommand(process.execPath, [cliPath, ...args], options);
}

/** Runs a shell pipeline (bash, with pipefail) so tests can use `| head -1` like a user. */
export function runShell(script: string, options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return runCommand('bash', ['-c', `set -o pipefail; ${script}`], options);
}

/** Runs a program with no input and collects what it prints (killed after `timeoutMs`). */
export function runCommand(file: string, args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd ?? repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}
