/**
 * The doc check's mechanical substitutions: what it changes in a documented synth command so the
 * whole check stays fast. Each one keeps every flag the page shows, so a flag that disappears from
 * the CLI still fails the command (commander exits 2 on an unknown option).
 */

/** Most records a documented generate or evaluate command makes in the check. */
export const DOC_LINES_CAP = 100;
/** Training time a documented train command gets in the check (0.6 s; no epoch need finish). */
export const DOC_TRAIN_MINUTES = 0.01;

/**
 * `--lines N` above the cap becomes the cap (generate, evaluate; evaluate without --lines gets it,
 * its default being 1000); train gets `--max-minutes 0.01` in place of any limit, `--no-score`, and
 * `--workers 1` unless it names a count (a second worker costs more to start than 0.6 s of training gains).
 */
export function substituteSynthArgs(args: readonly string[]): string[] {
  const command = args.find((a) => !a.startsWith('-'));
  const out = [...args];
  if (command === 'generate' || command === 'evaluate') {
    const at = flagValueIndex(out, '--lines');
    if (at !== undefined) {
      const n = Number(out[at]);
      if (Number.isFinite(n) && n > DOC_LINES_CAP) out[at] = String(DOC_LINES_CAP);
    } else if (command === 'evaluate' && !out.includes('--synthetic') && !out.includes('--help')) {
      out.push('--lines', String(DOC_LINES_CAP));
    }
  }
  if (command === 'train' && !out.includes('--help')) {
    const at = flagValueIndex(out, '--max-minutes');
    if (at !== undefined) out[at] = String(DOC_TRAIN_MINUTES);
    else out.push('--max-minutes', String(DOC_TRAIN_MINUTES));
    if (!out.includes('--no-score')) out.push('--no-score');
    if (flagValueIndex(out, '--workers') === undefined) out.push('--workers', '1');
  }
  return out;
}

/** Index of a flag's value, accepting `--flag value` and rewriting `--flag=value` into that form. */
function flagValueIndex(args: string[], flag: string): number | undefined {
  const joined = args.findIndex((a) => a.startsWith(`${flag}=`));
  if (joined >= 0) args.splice(joined, 1, flag, args[joined]!.slice(flag.length + 1));
  const i = args.indexOf(flag);
  return i >= 0 && i + 1 < args.length ? i + 1 : undefined;
}
