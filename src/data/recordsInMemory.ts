import { message, option, UsageError, type Message } from '../errors.js';
import { MAX_LINE_BYTES } from './checkTextBytes.js';
import { dataProblem, type TrainingRecords } from './readTrainingData.js';

/**
 * One record given in memory: a line of text, a row of a table (the first row is the header, as
 * in a CSV file), or an object whose keys are the columns (the first object's keys, in order).
 */
export type RecordInput = string | readonly unknown[] | Readonly<Record<string, unknown>>;

/** Records in memory: an array, any iterable, or an async iterable (read once, then held). */
export type RecordsInput = Iterable<RecordInput> | AsyncIterable<RecordInput>;

/** How synth.json and reports name data given in memory, where a file's path would be. */
export const IN_MEMORY_LABEL = '(records in memory)';

/** The delimiter of a table given in memory; it is the model's, so generated rows use it. */
export const IN_MEMORY_DELIMITER = ',';

type Shape = 'text' | 'row' | 'object';

/**
 * Turns records given in memory into the reader's TrainingRecords, with the file reader's checks
 * and wording (dataProblem): no record, a header and nothing else, a row with the wrong field
 * count; plus what a file's bytes cannot get wrong: a value that is not text, a line break in a
 * text record, a NUL, a lone surrogate (not UTF-8 once written). `name` is the option that gave
 * them, for messages: records[3] names the fourth.
 */
export async function recordsInMemory(input: RecordsInput, name: string, signal?: AbortSignal): Promise<TrainingRecords> {
  const source = message`${option(name)}`;
  if (!isIterable(input)) throw new UsageError(message`${source} must be an array or an iterable of records, got ${describe(input)}`);
  let shape: Shape | undefined;
  let header: string[] | undefined;
  const records: string[][] = [];
  let index = 0;
  for await (const record of input as AsyncIterable<RecordInput>) {
    signal?.throwIfAborted();
    const where = message`${source}[${index++}]`;
    const own = shapeOf(record, where);
    shape ??= own;
    if (own !== shape) throw new UsageError(message`${where} is ${shapeName[own]}, but the first record is ${shapeName[shape]}; give records of one kind`);
    if (shape === 'text') {
      const text = checkedValue(record, where);
      if (/[\r\n]/.test(text)) throw new UsageError(message`${where} holds a line break; a text record is one line (give a table's rows as arrays or objects)`);
      if (text !== '') records.push(checkedLength([text], where));
      continue;
    }
    if (shape === 'row') {
      const row = (record as readonly unknown[]).map((value, i) => checkedValue(value, message`${where}[${i}]`));
      if (header === undefined) header = row;
      else if (row.length !== header.length) throw dataProblem.ragged(where, row.length, header.length);
      else records.push(checkedLength(row, where));
      continue;
    }
    const object = record as Readonly<Record<string, unknown>>;
    header ??= Object.keys(object);
    const keys = Object.keys(object);
    const missing = header.find((key) => !Object.hasOwn(object, key));
    const extra = keys.find((key) => !header!.includes(key));
    if (missing !== undefined || extra !== undefined) {
      const problem = missing !== undefined ? `has no ${JSON.stringify(missing)}` : `has ${JSON.stringify(extra)}, which the first record has not`;
      throw new UsageError(message`${where} ${problem}; every record needs the first one's fields (${header.join(', ')})`);
    }
    records.push(checkedLength(header.map((key) => checkedValue(object[key], message`${where}.${key}`)), where));
  }
  signal?.throwIfAborted();
  if (records.length === 0) throw shape === 'row' ? dataProblem.headerOnly(source) : dataProblem.empty(source);
  if (shape === 'text') return { kind: { kind: 'text' }, records };
  return { kind: { kind: 'delimited', delimiter: IN_MEMORY_DELIMITER, header: header! }, records };
}

const shapeName: Record<Shape, string> = { text: 'a string', row: 'an array', object: 'an object' };

function shapeOf(record: unknown, where: Message): Shape {
  if (typeof record === 'string') return 'text';
  if (Array.isArray(record)) return 'row';
  if (typeof record === 'object' && record !== null) return 'object';
  throw new UsageError(message`${where} is ${describe(record)}; give a string, an array of field values or an object`);
}

/** A field value as the model will learn it: strings as they are, numbers and booleans as written, null and undefined empty. */
function checkedValue(value: unknown, where: Message): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else if (value === null || value === undefined) text = '';
  else if (value instanceof Date) text = value.toISOString();
  else throw new UsageError(message`${where} is ${describe(value)}; give a string, a number, a boolean or null`);
  if (text.includes('\u0000')) throw new UsageError(message`${where} holds a NUL character, which training data cannot hold`);
  if (!(text as string & { isWellFormed(): boolean }).isWellFormed()) throw new UsageError(message`${where} holds a lone surrogate, which is not valid UTF-8 text`);
  return text;
}

/** The file reader refuses lines over MAX_LINE_BYTES; the same bound holds for a record in memory. */
function checkedLength(fields: string[], where: Message): string[] {
  const units = fields.reduce((n, field) => n + field.length + 1, 0);
  if (units * 3 <= MAX_LINE_BYTES) return fields;
  const bytes = fields.reduce((n, field) => n + Buffer.byteLength(field) + 1, 0);
  if (bytes > MAX_LINE_BYTES) throw new UsageError(message`${where} is ${bytes} bytes long; records over ${MAX_LINE_BYTES} bytes (1 MB) are refused`);
  return fields;
}

function isIterable(value: unknown): value is RecordsInput {
  return typeof value === 'object' && value !== null && (Symbol.iterator in value || Symbol.asyncIterator in value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'undefined' ? 'undefined' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
