import { recordProblem } from '../schema/checkField.js';
import type { RecordSchema } from '../schema/schema.js';
import { VALID, invalid, type RecordCheck } from './record.js';

/** --schema strict|lenient: every field must fit the learned schema (see schema/checkField.ts). */
export function schemaCheck(schema: RecordSchema, mode: 'strict' | 'lenient'): RecordCheck {
  const strict = mode === 'strict';
  return (record) => {
    const problem = recordProblem(schema, record.fields, strict);
    return problem === null ? VALID : invalid(problem);
  };
}
