import { BudgetError, message, option, UsageError, type Message } from '../errors.js';

/** Counts rejected records and stops the run once more than --max-invalid were rejected. */
export class InvalidBudget {
  #count = 0;

  /** `described` names the limit in the message when it came from a share ("100 (10% of --lines)"). */
  constructor(
    readonly maxInvalid: number,
    readonly described: Message = message`${maxInvalid}`,
  ) {
    if (!(Number.isInteger(maxInvalid) && maxInvalid >= 0) && maxInvalid !== Infinity) {
      throw new UsageError(message`${option('maxInvalid')} must be a whole number of records, 0 or more, got ${maxInvalid}`);
    }
  }

  /** Rejected records so far. */
  get count(): number {
    return this.#count;
  }

  /**
   * Counts one rejected record; throws BudgetError when the count exceeds --max-invalid.
   * `validCount` is how many valid records were written before this one, for the message.
   */
  reject(validCount: number): void {
    this.#count++;
    if (this.#count > this.maxInvalid) {
      throw new BudgetError(
        message`${plural(this.#count, 'record was', 'records were')} rejected, more than ${option('maxInvalid')} ${this.described}; ${plural(
          validCount,
          'valid record was',
          'valid records were',
        )} written. Loosen the validator or raise ${option('maxInvalid')}.`,
        validCount,
        this.#count,
      );
    }
  }
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
