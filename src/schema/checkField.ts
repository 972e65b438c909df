import { dateKey, isRealDate, parseDate } from './dateFormat.js';
import type { FieldSchema, RecordSchema } from './schema.js';

const INTEGER = /^-?(0|[1-9]\d*)$/;
const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/**
 * Why `value` does not fit `field`, or null when it does. Lenient checks the format (a number, a
 * real date in the format, one of the values, the field's characters); strict also checks the
 * training range (min/max, length bounds).
 */
export function fieldProblem(field: FieldSchema, value: string, strict: boolean): string | null {
  if (value === '') return field.blankShare > 0 ? null : 'is blank, which training never had';
  switch (field.kind) {
    case 'set':
    case 'boolean':
      return field.values!.includes(value) ? null : `${JSON.stringify(value)} is not one of the ${field.values!.length} values seen in training`;
    case 'integer':
      if (!INTEGER.test(value)) return `${JSON.stringify(value)} is not an integer`;
      return strict ? rangeProblem(Number(value), field) : null;
    case 'decimal': {
      if (!DECIMAL.test(value)) return `${JSON.stringify(value)} is not a number`;
      const places = value.includes('.') ? value.length - value.indexOf('.') - 1 : 0;
      if (places > field.scale!) return `${value} has ${places} decimal places, more than ${field.scale}`;
      if (field.fixedScale && places !== field.scale) return `${value} has ${places} decimal places; training always had ${field.scale}`;
      return strict ? rangeProblem(Number(value), field) : null;
    }
    case 'date':
    case 'datetime': {
      const parts = parseDate(value, field.format!);
      if (!parts) return `${JSON.stringify(value)} is not a ${field.kind} in the format ${field.format}`;
      if (!isRealDate(parts)) return `${value} is not a calendar ${field.kind}`;
      if (!strict) return null;
      const key = dateKey(parts);
      if (key < dateKey(parseDate(field.min as string, field.format!)!)) return `${value} is before the training minimum ${field.min}`;
      if (key > dateKey(parseDate(field.max as string, field.format!)!)) return `${value} is after the training maximum ${field.max}`;
      return null;
    }
    case 'text': {
      for (const ch of value) if (!field.chars.includes(ch)) return `${JSON.stringify(value)} has ${JSON.stringify(ch)}, a character the field never had`;
      if (!strict) return null;
      const length = [...value].length;
      if (length < field.minLength) return `${JSON.stringify(value)} is shorter than the training minimum of ${field.minLength} characters`;
      if (length > field.maxLength) return `${JSON.stringify(value)} is longer than the training maximum of ${field.maxLength} characters`;
      return null;
    }
  }
}

function rangeProblem(n: number, field: FieldSchema): string | null {
  if (n < (field.min as number)) return `${n} is below the training minimum ${field.min}`;
  if (n > (field.max as number)) return `${n} is above the training maximum ${field.max}`;
  return null;
}

/** The first field of `fields` that does not fit, as `field "age": 91 is above ...`, or null. */
export function recordProblem(schema: RecordSchema, fields: readonly string[], strict: boolean): string | null {
  if (fields.length !== schema.fields.length) return null; // the field-count check reports this
  for (let i = 0; i < fields.length; i++) {
    // A key's value is made by synth, fresh and above the training range: nothing to check.
    if (schema.fields[i]!.key) continue;
    const problem = fieldProblem(schema.fields[i]!, fields[i]!, strict);
    if (problem) return `field ${JSON.stringify(schema.fields[i]!.name)}: ${problem}`;
  }
  return null;
}
