import assert from 'node:assert/strict';
import type { CliResult } from './runCli.js';

/** A stack frame line, as Node prints them ("    at fn (file:...)"). */
const STACK_FRAME = /^\s+at .+[:(]/m;

/**
 * The run failed the way a user should see it: the exit status, nothing on stdout, exactly one
 * line on stderr starting "synth: error:", no stack trace, and every pattern found in that line.
 * Returns the line so the test can show or check it further.
 */
export function assertOneLineError(result: CliResult, status: number, ...patterns: RegExp[]): string {
  const context = `stderr: ${JSON.stringify(result.stderr)}`;
  assert.equal(result.signal, null, `killed by ${result.signal}; ${context}`);
  assert.equal(result.status, status, context);
  assert.equal(result.stdout, '', 'nothing on stdout');
  const lines = result.stderr.split('\n');
  assert.equal(lines.at(-1), '', `stderr ends with a line end; ${context}`);
  assert.equal(lines.length, 2, `exactly one line on stderr; ${context}`);
  const line = lines[0]!;
  assert.match(line, /^synth: error: /, context);
  assert.doesNotMatch(result.stderr, STACK_FRAME, `no stack trace; ${context}`);
  for (const pattern of patterns) assert.match(line, pattern);
  return line;
}

/** No stack trace anywhere on stderr. */
export function assertNoStackTrace(result: CliResult): void {
  assert.doesNotMatch(result.stderr, STACK_FRAME, `no stack trace; stderr: ${JSON.stringify(result.stderr)}`);
}
