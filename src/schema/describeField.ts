import type { FieldSchema } from './schema.js';

/** One line of what a field holds, for `synth inspect`: "4 values: free, basic, pro, enterprise". */
export function describeField(field: FieldSchema): string {
  switch (field.kind) {
    case 'set':
    case 'boolean': {
      const values = field.values!;
      const shown = values.slice(0, 6).map((v) => JSON.stringify(v)).join(', ');
      return `${values.length} values: ${shown}${values.length > 6 ? ', ...' : ''}`;
    }
    case 'integer':
      return `${field.min} to ${field.max}`;
    case 'decimal':
      return `${field.min} to ${field.max}, ${field.fixedScale ? 'always ' : 'up to '}${field.scale} decimal places`;
    case 'date':
    case 'datetime':
      return `${field.format}, ${field.min} to ${field.max}`;
    case 'text':
      return `${field.minLength}-${field.maxLength} characters of ${[...field.chars].length} kinds`;
  }
}
