import { message, option, UsageError, type Message } from '../errors.js';
import { jsonPreview } from '../files/jsonPreview.js';
import { readTextFile } from '../files/readTextFile.js';
import { asRecordSchema, findSchemaProblem } from './checkSchema.js';
import { isClosedSet, type RecordSchema } from './schema.js';

/** What a --schema-file must agree with: the model's fields and how each is tokenized. */
export interface SchemaTarget {
  names: readonly string[];
  idOfChar(ch: string): number | undefined;
  valueTokensOf(field: number): ReadonlyMap<string, number> | undefined;
  /** Fields the model learned as blank (keys): it writes no value for them. */
  isBlankField(field: number): boolean;
}

/** A schema of 10,000 fields with 100,000 closed-set values each stays far below this. */
const MAX_SCHEMA_FILE_BYTES = 64 * 2 ** 20;

/**
 * Reads an edited schema (--schema-file): the "schema" object of `synth inspect MODEL --json`, or
 * that whole output. Every problem is a UsageError naming the file and the field, raised before
 * generation starts.
 */
export async function readSchemaFile(file: string, target: SchemaTarget): Promise<RecordSchema> {
  const fail = (problem: string | Message): never => {
    throw new UsageError(message`${option('schemaFile')} ${file}: ${problem}`);
  };
  let text = '';
  try {
    text = await readTextFile(file, MAX_SCHEMA_FILE_BYTES);
  } catch (error) {
    fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give the path of a JSON schema`);
  }
  let value: unknown;
  try {
    // Editors on Windows save JSON with a byte-order mark, which JSON.parse refuses.
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    // V8 quotes the text around the fault, newlines included: keep the message on one line.
    return fail(`is not valid JSON (${(error as Error).message.replace(/\s*\n\s*/g, ' ')})`);
  }
  if (typeof value === 'object' && value !== null && 'schema' in value) value = (value as { schema: unknown }).schema;
  const problem = findSchemaProblem(value, target.names);
  if (problem) fail(`${problem}; fix the file (synth inspect MODEL --json shows the model's own schema)`);
  const schema = asRecordSchema(value);
  schema.fields.forEach((field, i) => {
    const where = `fields[${i}] (${JSON.stringify(field.name)})`;
    if (target.isBlankField(i) && field.key === undefined) {
      fail(message`${where}.key: this model learned the field as a key and writes no values for it, so it must keep a "key" (its format may change); to have the model write it, retrain it with ${option('keys: false')}`);
    }
    const tokens = target.valueTokensOf(i);
    if (tokens) {
      if (!isClosedSet(field)) fail(`${where}.kind: the model writes this field as one token per value, so it must stay "set" or "boolean"`);
      const unknown = field.values!.find((v) => !tokens.has(v));
      if (unknown !== undefined) fail(`${where}.values: ${jsonPreview(unknown)} has no token in this model; a value-token field can only keep or drop values`);
      return;
    }
    if (isClosedSet(field)) {
      const unspellable = field.values!.find((v) => [...v].some((c) => target.idOfChar(c) === undefined));
      if (unspellable !== undefined) fail(`${where}.values: ${jsonPreview(unspellable)} has characters the model never saw`);
    }
  });
  return schema;
}
