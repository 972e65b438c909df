import { message, option, UsageError } from '../errors.js';

/** Checks of API option values, worded with the option's key (the CLI renders it as its flag). */

export function wholeNumber(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new UsageError(message`${option(name)} must be a whole number from ${min} to ${max}, got ${value}`);
}

export function numberIn(name: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !(value >= min && value <= max)) throw new UsageError(message`${option(name)} must be a number from ${min} to ${max}, got ${value}`);
}

export function oneOf<T extends string>(name: string, value: T, choices: readonly T[]): void {
  if (!choices.includes(value)) throw new UsageError(message`${option(name)} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
}
