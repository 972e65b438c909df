import type { TokenizerSpec } from '../model/manifest.js';

export const END_OF_RECORD = '<EOR>';
export const FIELD_SEPARATOR = '<SEP>';

/**
 * Character tokenizer with two special tokens. Fields are joined by the separator token rather than
 * the delimiter character, so a field value may itself hold the delimiter, quotes or newlines.
 */
export class CharTokenizer {
  readonly vocabSize: number;
  readonly endOfRecord: number;
  readonly fieldSeparator: number;
  private readonly idOf: Map<string, number>;

  constructor(readonly spec: TokenizerSpec) {
    this.vocabSize = spec.vocab.length;
    this.endOfRecord = spec.endOfRecord;
    this.fieldSeparator = spec.fieldSeparator;
    this.idOf = new Map();
    spec.vocab.forEach((symbol, id) => {
      if (id !== spec.endOfRecord && id !== spec.fieldSeparator) this.idOf.set(symbol, id);
    });
  }

  /** Builds the vocabulary from training records (each an array of fields; one field for text). */
  static fromRecords(records: Iterable<readonly string[]>, delimited: boolean): CharTokenizer {
    const chars = new Set<string>();
    for (const fields of records) for (const field of fields) for (const ch of field) chars.add(ch);
    const sorted = [...chars].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    const vocab = delimited ? [END_OF_RECORD, FIELD_SEPARATOR, ...sorted] : [END_OF_RECORD, ...sorted];
    return new CharTokenizer({ kind: 'char', vocab, endOfRecord: 0, fieldSeparator: delimited ? 1 : -1 });
  }

  isSpecial(id: number): boolean {
    return id === this.endOfRecord || id === this.fieldSeparator;
  }

  /** Token ids of one record's fields, separators between fields, end-of-record last. */
  encodeRecord(fields: readonly string[]): number[] {
    const ids: number[] = [];
    fields.forEach((field, i) => {
      if (i > 0) ids.push(this.fieldSeparator);
      for (const ch of field) ids.push(this.charId(ch));
    });
    ids.push(this.endOfRecord);
    return ids;
  }

  /**
   * Token ids of a start string given as leading fields: a separator after each complete field,
   * the last (possibly empty) one left open for the model to continue.
   */
  encodePrefix(fields: readonly string[]): number[] {
    const ids: number[] = [];
    fields.forEach((field, i) => {
      if (i > 0) ids.push(this.fieldSeparator);
      for (const ch of field) ids.push(this.charId(ch));
    });
    return ids;
  }

  /** Characters of `text` that the vocabulary lacks, each once, in order of appearance. */
  unknownChars(text: string): string[] {
    const missing = new Set<string>();
    for (const ch of text) if (!this.idOf.has(ch)) missing.add(ch);
    return [...missing];
  }

  /** Splits generated ids (without end-of-record) into fields. */
  decodeFields(ids: ArrayLike<number>): string[] {
    const fields: string[] = [];
    let current = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id === this.fieldSeparator) {
        fields.push(current);
        current = '';
      } else if (id !== this.endOfRecord) {
        current += this.spec.vocab[id];
      }
    }
    fields.push(current);
    return fields;
  }

  private charId(ch: string): number {
    const id = this.idOf.get(ch);
    if (id === undefined) throw new RangeError(`character ${JSON.stringify(ch)} is not in the vocabulary`);
    return id;
  }
}
