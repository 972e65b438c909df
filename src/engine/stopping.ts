/** Why a record stopped growing, or null while it goes on. */
export type StopReason = 'end-of-record' | 'length-limit' | null;

/** The model closed the record: the sampled token is end-of-record. */
export function isEndOfRecord(token: number, endOfRecord: number): boolean {
  return token === endOfRecord;
}

/** The record holds `maxTokens` tokens (prefix included), so no further token may be sampled. */
export function reachedLengthLimit(length: number, maxTokens: number): boolean {
  return length >= maxTokens;
}

/**
 * The stopping rule of one record after `token` was sampled (and, unless it ended the record,
 * appended, giving `length`): end-of-record wins over the length limit.
 */
export function stopReason(token: number, length: number, endOfRecord: number, maxTokens: number): StopReason {
  if (isEndOfRecord(token, endOfRecord)) return 'end-of-record';
  if (reachedLengthLimit(length, maxTokens)) return 'length-limit';
  return null;
}
