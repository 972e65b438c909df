import { describeType, type UserValidator } from './loadUserValidator.js';
import { message, option } from '../errors.js';
import { VALID, invalid, type GeneratedRecord, type Verdict } from './record.js';

/** Longest delay setTimeout honours; larger values fire at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Turns a user validator's outcome into a verdict: true accepts; anything else, a throw, a
 * rejection or a promise that does not settle within `timeoutMs` rejects with a reason.
 * A synchronous answer stays synchronous, so a sync validator costs no promise or timer per record.
 * A synchronous endless loop cannot be interrupted from this thread; only async results time out.
 */
export function userValidatorCheck(
  validate: UserValidator,
  timeoutMs: number,
): (record: GeneratedRecord) => Verdict | Promise<Verdict> {
  const delayMs = Math.min(timeoutMs, MAX_TIMEOUT_MS);
  const timeoutReason = message`validator did not settle within ${timeoutMs} ms (raise ${option('validatorTimeoutMs')} if it needs longer)`;

  return (record) => {
    let result: unknown;
    try {
      result = validate(record.text, record.fields);
    } catch (error) {
      return invalid(reasonOf(error));
    }
    if (!isThenable(result)) return verdictOf(result);

    return new Promise<Verdict>((resolve) => {
      const timer = setTimeout(() => resolve(invalid(timeoutReason)), delayMs);
      const settle = (verdict: Verdict) => {
        clearTimeout(timer);
        resolve(verdict);
      };
      try {
        result.then(
          (value) => settle(verdictOf(value)),
          (error: unknown) => settle(invalid(reasonOf(error))),
        );
      } catch (error) {
        settle(invalid(reasonOf(error)));
      }
    });
  };
}

function verdictOf(value: unknown): Verdict {
  if (value === true) return VALID;
  if (value === false) return invalid(message`rejected by ${option('validator')}`);
  return invalid(`validator returned ${describeType(value)}, expected true or false`);
}

/** The thrown message is the reason; a throw without one still gets a readable reason. */
function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message || `validator threw ${error.name} without a message`;
  if (typeof error === 'string' && error !== '') return error;
  return `validator threw ${describeType(error)}`;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
