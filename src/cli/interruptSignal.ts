import { InterruptedError } from '../errors.js';

/**
 * Turns the first SIGINT / SIGTERM into an AbortSignal whose reason is an InterruptedError, which
 * the API's calls reject with, so the run can flush and exit 130 / 143; a second signal exits at
 * once for a user who really wants out.
 */
export function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (name: 'SIGINT' | 'SIGTERM') => () => {
    const interrupted = new InterruptedError(name);
    if (controller.signal.aborted) process.exit(interrupted.exitStatus);
    controller.abort(interrupted);
  };
  const onInt = onSignal('SIGINT');
  const onTerm = onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
