import { InternalError } from '../errors.js';
import { VALID, invalid, type RecordCheck } from './record.js';

/** Delimited models: a record must have exactly the model's number of fields. */
export function fieldCountCheck(fieldCount: number): RecordCheck {
  if (!Number.isInteger(fieldCount) || fieldCount < 1) {
    throw new InternalError(`the model's field count must be a positive integer, got ${fieldCount}`);
  }
  return (record) =>
    record.fields.length === fieldCount
      ? VALID
      : invalid(`has ${record.fields.length} field${record.fields.length === 1 ? '' : 's'}, expected ${fieldCount}`);
}
