import { parse } from 'csv-parse/sync';
import { message, option, UsageError, type Message } from '../errors.js';
import type { RecordKind } from '../model/manifest.js';
import type { CharTokenizer, StartTokens } from '../tokenizer/charTokenizer.js';

/** With several start strings each gives one record, so `lines`, when given, must be their count. */
export function checkLinesForStartStrings(lines: number, seeds: readonly string[]): void {
  if (seeds.length > 1 && lines !== seeds.length) {
    throw new UsageError(
      message`${option('lines')} ${lines} does not match the ${seeds.length} start strings; each start string gives one record, so omit ${option('lines')}`,
    );
  }
}

/**
 * Turns --seed values into tokens. For a delimited model a start string is the leading fields of a
 * record in the table's order and its own delimited syntax ("Smith,42," starts the third field);
 * quoting follows CSV rules so a field may hold the delimiter. A model that writes its fields in
 * another order gets the seeded fields it writes later as forced tokens (CharTokenizer.encodeStart).
 */
export function encodeStartStrings(seeds: readonly string[], tokenizer: CharTokenizer, records: RecordKind, naming: StartStringNaming = {}): StartTokens[] {
  if (seeds.length === 0) return [tokenizer.encodeStart([])];
  return seeds.map((seed, i) => {
    const where = nameStartString(seed, i, seeds.length, naming);
    const fields = records.kind === 'delimited' ? splitLeadingFields(seed, records.delimiter, where) : [seed];
    if (records.kind === 'delimited' && fields.length > records.header.length) {
      throw new UsageError(
        message`${where} has ${fields.length} fields but the model's records have ${records.header.length} (${records.header.join(records.delimiter)}); give at most ${records.header.length}`,
      );
    }
    const unknown = fields.flatMap((f) => tokenizer.unknownChars(f));
    if (unknown.length > 0) {
      const names = [...new Set(unknown)].map((c) => JSON.stringify(c)).join(', ');
      throw new UsageError(message`${where} holds characters the model never saw: ${names}; remove them or train on data that has them`);
    }
    const notAValue = tokenizer.unknownValue(fields);
    if (notAValue) {
      const name = records.kind === 'delimited' ? records.header[notAValue.field] : 'text';
      throw new UsageError(
        message`${where}: field ${JSON.stringify(name)} is ${JSON.stringify(notAValue.value)}, but the model writes that field as one of its values (${notAValue.values.slice(0, 8).join(', ')}${notAValue.values.length > 8 ? ', ...' : ''}); give one of them in full, or end the start string before it`,
      );
    }
    return tokenizer.encodeStart(fields);
  });
}

/** Where the start strings came from, so an error points at the file and line or the flag. */
export interface StartStringNaming {
  /** e.g. "--seed-file seeds.txt": errors then name its line. */
  source?: string;
  /** Number of the first start string given (a shard gets a slice of them); default 1. */
  firstNumber?: number;
}

function nameStartString(seed: string, i: number, count: number, naming: StartStringNaming): Message {
  const number = (naming.firstNumber ?? 1) + i;
  // A start string can be a 10,000-character line; the error stays one readable line.
  const shown = seed.length > 60 ? `${JSON.stringify(seed.slice(0, 60))}... (${seed.length} characters)` : JSON.stringify(seed);
  if (naming.source !== undefined) return message`${naming.source} line ${number} (${shown})`;
  return count > 1 || naming.firstNumber !== undefined ? message`start string ${number} (${shown})` : message`${option('seeds')} ${shown}`;
}

function splitLeadingFields(seed: string, delimiter: string, where: Message): string[] {
  if (seed === '') return [''];
  try {
    const rows = parse(seed, { delimiter, relax_quotes: true, relax_column_count: true, record_delimiter: ['\u2028'] }) as string[][];
    if (rows.length !== 1) throw new Error('expected one row');
    return rows[0]!;
  } catch (error) {
    throw new UsageError(message`${where} is not a valid row prefix (${(error as Error).message.split('\n')[0]}); quote a field that holds "${delimiter}" like "a${delimiter}b"`);
  }
}
