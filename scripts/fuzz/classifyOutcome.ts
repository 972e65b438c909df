import type { RunOutcome } from './runSynthCase.js';

/** The exit statuses a user mistake may end with; 1 (internal) is a bug by definition. */
export const ACCEPTED_STATUSES: readonly number[] = [0, 2, 3, 4];

/** A stack frame line, as Node prints them ("    at fn (file:...)"). */
const STACK_FRAME = /^\s+at .+[:(]/m;

export type Verdict = { ok: true } | { ok: false; problem: string };

/**
 * Judges one run: it must end by itself (no hang, no memory blow-up, no signal) with an accepted
 * status, print no stack trace, and on a non-zero exit print exactly one stderr line — "synth:
 * error: ..." — that names one of `names` (the file, flag or field at fault).
 */
export function classifyOutcome(outcome: RunOutcome, names: readonly string[], maxRssKiB: number): Verdict {
  if (outcome.timedOut) return fail(`hang: killed after ${outcome.elapsedMs} ms (${outcome.cpuMs} ms of CPU)`);
  if (outcome.overMemory || outcome.peakRssKiB > maxRssKiB) return fail(`memory: peak RSS ${Math.round(outcome.peakRssKiB / 1024)} MiB`);
  if (outcome.signal) return fail(`crash: killed by ${outcome.signal}`);
  if (outcome.status === null || !ACCEPTED_STATUSES.includes(outcome.status)) return fail(`exit ${outcome.status}: ${firstLine(outcome.stderr)}`);
  if (STACK_FRAME.test(outcome.stderr)) return fail(`stack trace on stderr: ${firstLine(outcome.stderr)}`);
  if (outcome.status === 0) return { ok: true };
  const lines = outcome.stderr.split('\n');
  if (lines.length !== 2 || lines[1] !== '') return fail(`exit ${outcome.status} with ${lines.length - 1} stderr lines, not one: ${firstLine(outcome.stderr)}`);
  const line = lines[0]!;
  if (!line.startsWith('synth: error: ')) return fail(`exit ${outcome.status}: the line is not "synth: error: ...": ${line}`);
  if (!names.some((name) => line.includes(name))) return fail(`exit ${outcome.status}: the line names none of ${JSON.stringify(names)}: ${line}`);
  return { ok: true };
}

function fail(problem: string): Verdict {
  return { ok: false, problem: problem.slice(0, 500) };
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '') ?? '(stderr empty)';
}
