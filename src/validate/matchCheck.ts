import { message, option, UsageError } from '../errors.js';
import { VALID, invalid, type RecordCheck } from './record.js';

/**
 * --match REGEX: the record text must contain a match (anchor with ^…$ for a whole-record match).
 * No flags, so `lastIndex` never carries state from one record to the next.
 */
export function matchCheck(source: string): RecordCheck {
  let pattern: RegExp;
  try {
    pattern = new RegExp(source);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new UsageError(message`${option('match')} ${JSON.stringify(source)} is not a valid regular expression: ${detail}`);
  }
  const reason = message`does not match ${option('match')} ${pattern}`;
  return (record) => (pattern.test(record.text) ? VALID : invalid(reason));
}
