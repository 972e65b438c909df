import type { TokenizerSpec, ValueToken } from '../model/manifest.js';

export const END_OF_RECORD = '<EOR>';
export const FIELD_SEPARATOR = '<SEP>';

/** Vocabulary name of value `value` of field `field` (0-based): a display name, never decoded from. */
export const valueTokenName = (field: number, value: string): string => `<F${field + 1}:${value}>`;

/** Per field (0-based), the values that get one token each; undefined for character fields. */
export type ValueSets = readonly (readonly string[] | undefined)[];

/** Vocabulary name of the separator that ends field `position` (1-based) in positional mode. */
export const positionalSeparator = (position: number): string => `<SEP${position}>`;

/**
 * Character tokenizer with special tokens for end-of-record and field separators. Fields are
 * joined by separator tokens rather than the delimiter character, so a field value may itself hold
 * the delimiter, quotes or newlines.
 *
 * Delimited records get one separator token per position (the one after field 1, after field 2,
 * ...): a char LSTM otherwise has to count fields itself and, on numeric tables, loses count often
 * (measured on weather.csv: 7% of records with a wrong field count after 20 minutes of training).
 * With positional separators the last separator says which field is being written.
 *
 * Closed-set fields may have value tokens: one token per value (see ValueToken), so the model
 * picks "enterprise" in one step instead of ten. Other fields keep one token per character.
 */
export class CharTokenizer {
  readonly vocabSize: number;
  readonly endOfRecord: number;
  /** Separator ids by position; one entry (or none for text) in non-positional models. */
  readonly fieldSeparators: readonly number[];
  private readonly separatorSet: ReadonlySet<number>;
  private readonly idOf: Map<string, number>;
  /** Per field, value -> token id (value-token fields only). */
  private readonly valueIds: Map<string, number>[] = [];
  /** Token id -> value, for value tokens. */
  private readonly valueOfId = new Map<number, string>();

  constructor(readonly spec: TokenizerSpec) {
    this.vocabSize = spec.vocab.length;
    this.endOfRecord = spec.endOfRecord;
    this.fieldSeparators = spec.fieldSeparators ?? (spec.fieldSeparator === -1 ? [] : [spec.fieldSeparator]);
    this.separatorSet = new Set(this.fieldSeparators);
    this.idOf = new Map();
    for (const token of spec.valueTokens ?? []) {
      (this.valueIds[token.field] ??= new Map()).set(token.value, token.id);
      this.valueOfId.set(token.id, token.value);
    }
    spec.vocab.forEach((symbol, id) => {
      if (!this.isSpecial(id) && !this.valueOfId.has(id)) this.idOf.set(symbol, id);
    });
  }

  /** The value tokens of field `field` (0-based) as value -> id; undefined for character fields. */
  valueTokensOf(field: number): ReadonlyMap<string, number> | undefined {
    return this.valueIds[field];
  }

  /** The value a value token stands for, or undefined for any other token. */
  valueOf(id: number): string | undefined {
    return this.valueOfId.get(id);
  }

  /** Id of a character, or undefined when the vocabulary lacks it. */
  idOfChar(ch: string): number | undefined {
    return this.idOf.get(ch);
  }

  /**
   * Builds the vocabulary from training records (each an array of fields; one field for text).
   * Delimited records all have `fieldCount` fields (the reader refuses ragged rows).
   */
  static fromRecords(records: Iterable<readonly string[]>, delimited: boolean, valueSets: ValueSets = []): CharTokenizer {
    const chars = new Set<string>();
    let fieldCount = 1;
    for (const fields of records) {
      fieldCount = Math.max(fieldCount, fields.length);
      for (const field of fields) for (const ch of field) chars.add(ch);
    }
    return CharTokenizer.fromCharacters(chars, fieldCount, delimited, valueSets);
  }

  /** The tokenizer for records of `fieldCount` fields made of these characters (each once). */
  static fromCharacters(chars: Iterable<string>, fieldCount: number, delimited: boolean, valueSets: ValueSets = []): CharTokenizer {
    const sorted = [...chars].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    const head = delimited ? [END_OF_RECORD, ...Array.from({ length: Math.max(1, fieldCount - 1) }, (_, i) => positionalSeparator(i + 1))] : [END_OF_RECORD];
    const vocab = [...head, ...sorted];
    // Characters stay in the vocabulary even when only value-token fields use them, so start
    // strings and old tools that spell values out still encode.
    const valueTokens: ValueToken[] = [];
    valueSets.forEach((values, field) => {
      for (const value of values ?? []) {
        if (value === '') continue; // a blank field is no tokens at all
        valueTokens.push({ id: vocab.length, field, value });
        vocab.push(valueTokenName(field, value));
      }
    });
    const spec: TokenizerSpec = delimited
      ? { kind: 'char', vocab, endOfRecord: 0, fieldSeparator: 1, fieldSeparators: head.slice(1).map((_, i) => 1 + i) }
      : { kind: 'char', vocab, endOfRecord: 0, fieldSeparator: -1 };
    if (valueTokens.length > 0) spec.valueTokens = valueTokens;
    return new CharTokenizer(spec);
  }

  isSpecial(id: number): boolean {
    return id === this.endOfRecord || this.separatorSet.has(id);
  }

  /** Token ids of one record's fields, separators between fields, end-of-record last. */
  encodeRecord(fields: readonly string[]): number[] {
    const ids = this.encodePrefix(fields);
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
      if (i > 0) ids.push(this.separatorAfterField(i));
      const values = this.valueIds[i];
      if (values && field !== '') {
        const id = values.get(field);
        if (id === undefined) throw new RangeError(`${JSON.stringify(field)} is not one of the values of field ${i + 1}`);
        ids.push(id);
      } else {
        for (const ch of field) ids.push(this.charId(ch));
      }
    });
    return ids;
  }

  /** The first field (0-based) whose value has no value token although its field uses them, or null. */
  unknownValue(fields: readonly string[]): { field: number; value: string; values: string[] } | null {
    for (let i = 0; i < fields.length; i++) {
      const values = this.valueIds[i];
      if (values && fields[i] !== '' && !values.has(fields[i]!)) return { field: i, value: fields[i]!, values: [...values.keys()] };
    }
    return null;
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
      if (this.separatorSet.has(id)) {
        fields.push(current);
        current = '';
      } else if (id !== this.endOfRecord) {
        current += this.valueOfId.get(id) ?? this.spec.vocab[id];
      }
    }
    fields.push(current);
    return fields;
  }

  /** The separator token after field `field` (0-based). */
  separatorAfter(field: number): number {
    return this.separatorAfterField(field + 1);
  }

  /** The separator that follows field `position` (1-based); the last one repeats past the end. */
  private separatorAfterField(position: number): number {
    const seps = this.fieldSeparators;
    if (seps.length === 0) throw new RangeError('a text model has no field separator');
    return seps[Math.min(position, seps.length) - 1]!;
  }

  private charId(ch: string): number {
    const id = this.idOf.get(ch);
    if (id === undefined) throw new RangeError(`character ${JSON.stringify(ch)} is not in the vocabulary`);
    return id;
  }
}
