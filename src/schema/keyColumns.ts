import type { KeySpec } from './schema.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CODE = /^(\D*)(\d+)(\D*)$/;
/** Longer digit runs pass 2^53 and would lose exactness as numbers; such columns are not keys. */
const MAX_DIGITS = 15;
/**
 * A key's numbers fill at least this share of their range. Identifiers are handed out in order
 * and so are dense; a zip code's 42,000 values spread over 00501-99950 carry meaning in their
 * digits and would be taken for a key without it.
 */
export const KEY_MIN_DENSITY = 0.5;

/**
 * Watches one column's values as they stream by for an identifier's shape: all UUIDs, or the same
 * non-digit prefix and suffix around a digit run that is either zero-padded to one width or a
 * plain integer. Keeps a few numbers, never the values; distinctness is the profiler's to tell.
 */
export class KeyShapeTracker {
  private uuid = true;
  private uppercase = true;
  private code = true;
  private prefix: string | undefined;
  private suffix = '';
  private width = -1;
  private sameWidth = true;
  private leadingZero = false;
  private min = Infinity;
  private max = -Infinity;
  private count = 0;

  add(value: string): void {
    this.count++;
    if (this.uuid) {
      if (!UUID.test(value)) this.uuid = false;
      else if (value !== value.toUpperCase()) this.uppercase = false;
    }
    if (this.code) this.addCode(value);
  }

  private addCode(value: string): void {
    const match = CODE.exec(value);
    if (!match || match[2]!.length > MAX_DIGITS) return void (this.code = false);
    const [, prefix, digits, suffix] = match as unknown as [string, string, string, string];
    if (this.prefix === undefined) {
      this.prefix = prefix;
      this.suffix = suffix;
      this.width = digits.length;
    } else if (prefix !== this.prefix || suffix !== this.suffix) {
      return void (this.code = false);
    }
    if (digits.length !== this.width) this.sameWidth = false;
    if (digits.length > 1 && digits[0] === '0') this.leadingZero = true;
    const n = Number(digits);
    if (n < this.min) this.min = n;
    if (n > this.max) this.max = n;
  }

  /**
   * The key this column's values make when they were all distinct and none blank (the caller
   * knows), or undefined when their shape is not an identifier's.
   */
  finish(): KeySpec | undefined {
    if (this.count === 0) return undefined;
    if (this.uuid) return this.uppercase ? { format: 'uuid', uppercase: true } : { format: 'uuid' };
    if (!this.code || this.prefix === undefined) return undefined;
    // Zero padding says the width is part of the format; without it the number is a plain integer.
    if (this.leadingZero && !this.sameWidth) return undefined;
    if (this.count < KEY_MIN_DENSITY * (this.max - this.min + 1)) return undefined;
    return { format: 'sequence', prefix: this.prefix, digits: this.leadingZero ? this.width : 0, suffix: this.suffix, start: this.max + 1 };
  }
}

/** The key of a column of `values` (all of them), or undefined when it is not one. */
export function detectKey(values: readonly string[]): KeySpec | undefined {
  if (values.length === 0 || values.includes('') || new Set(values).size !== values.length) return undefined;
  const tracker = new KeyShapeTracker();
  for (const value of values) tracker.add(value);
  return tracker.finish();
}

/** "C + 5 digits + -X", "an integer", "a UUID": a key's format in words, for inspect and messages. */
export function describeKey(key: KeySpec): string {
  if (key.format === 'uuid') return `a version-4 UUID${key.uppercase ? ' (upper case)' : ''}`;
  const number = key.digits > 0 ? `${key.digits} digits${key.fixedWidth ? ' (fixed width)' : ''}` : 'an integer';
  const parts = [key.prefix && JSON.stringify(key.prefix), number, key.suffix && JSON.stringify(key.suffix)].filter((p) => p);
  return `${parts.join(' + ')}, fresh from ${formatKeyNumber(key, key.start, key.digits)}`;
}

/** The value of a sequence key for number `n`, zero-padded to `digits`. */
export function formatKeyNumber(key: Extract<KeySpec, { format: 'sequence' }>, n: number, digits: number): string {
  return `${key.prefix}${String(n).padStart(digits, '0')}${key.suffix}`;
}
