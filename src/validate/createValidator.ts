import { message, option, UsageError } from '../errors.js';
import { fieldCountCheck } from './fieldCountCheck.js';
import { loadUserValidator } from './loadUserValidator.js';
import { matchCheck } from './matchCheck.js';
import type { RecordSchema } from '../schema/schema.js';
import { schemaCheck } from './schemaCheck.js';
import { VALID, type GeneratedRecord, type RecordCheck, type Verdict } from './record.js';
import { userValidatorCheck } from './userValidatorCheck.js';

export interface ValidatorOptions {
  /** Delimited models: the number of fields every record must have. */
  fieldCount?: number;
  /** --match: regular expression source the record text must match. */
  match?: string;
  /** --schema strict|lenient: the schema every field must fit; absent for --schema off or old models. */
  schema?: { schema: RecordSchema; mode: 'strict' | 'lenient' };
  /** --validator: path of a JS module, resolved against the current directory. */
  modulePath?: string;
  /** --validator-timeout: how long an async validator may take per record. */
  timeoutMs: number;
  /** false for --no-validate: every record is accepted and nothing is loaded. */
  enabled: boolean;
}

/**
 * Judges one record. Returns a plain verdict when every check is synchronous (no user module, or
 * one that answered synchronously), a promise only when the user module returned one;
 * `await` handles both. Call it in record order, awaiting each verdict before the next record.
 */
export type Validator = (record: GeneratedRecord) => Verdict | Promise<Verdict>;

/** Composes the built-in checks and the user module; bad options are UsageErrors raised here, at start. */
export async function createValidator(options: ValidatorOptions): Promise<Validator> {
  if (!options.enabled) return acceptAll;
  if (!(options.timeoutMs > 0) || !Number.isFinite(options.timeoutMs)) {
    throw new UsageError(message`${option('validatorTimeoutMs')} must be a positive number of milliseconds, got ${options.timeoutMs}`);
  }

  const checks: RecordCheck[] = [];
  if (options.fieldCount !== undefined) checks.push(fieldCountCheck(options.fieldCount));
  if (options.schema !== undefined) checks.push(schemaCheck(options.schema.schema, options.schema.mode));
  if (options.match !== undefined) checks.push(matchCheck(options.match));
  const builtIn = combine(checks);
  if (options.modulePath === undefined) return builtIn;

  const user = userValidatorCheck(await loadUserValidator(options.modulePath), options.timeoutMs);
  // The user module only sees records that passed the built-in checks, which are cheaper.
  return (record) => {
    const verdict = builtIn(record);
    return verdict.valid ? user(record) : verdict;
  };
}

const acceptAll: RecordCheck = () => VALID;

function combine(checks: RecordCheck[]): RecordCheck {
  if (checks.length === 0) return acceptAll;
  if (checks.length === 1) return checks[0]!;
  return (record) => {
    for (const check of checks) {
      const verdict = check(record);
      if (!verdict.valid) return verdict;
    }
    return VALID;
  };
}
