import type { TokenizerSpec, ValueToken } from '../model/manifest.js';

export const END_OF_RECORD = '<EOR>';
export const FIELD_SEPARATOR = '<SEP>';

/** Vocabulary name of value `value` of field `field` (0-based): a display name, never decoded from. */
export const valueTokenName = (field: number, value: string): string => `<F${field + 1}:${value}>`;

/** Per field (0-based), the values that get one token each; undefined for character fields. */
export type ValueSets = readonly (readonly string[] | undefined)[];

/**
 * A start string as tokens: `prefix` is fed before the first sample; each [separator, tokens] of
 * `forced` is fed, instead of samples, right after the record emits that separator.
 */
export interface StartTokens {
  prefix: number[];
  forced: [number, number[]][];
}

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
  /**
   * fieldOrder[p] is the table's field the model writes at position p; null when the model writes
   * fields in the table's order.
   */
  readonly fieldOrder: readonly number[] | null;
  /** Table fields trained as blank (keys): nothing of their values is encoded. */
  private readonly blankFields: ReadonlySet<number>;
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
    this.fieldOrder = spec.fieldOrder ?? null;
    this.blankFields = new Set(spec.blankFields ?? []);
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

  /** Whether the model learned table field `field` (0-based) as blank (a key column). */
  isBlankField(field: number): boolean {
    return this.blankFields.has(field);
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
  static fromRecords(records: Iterable<readonly string[]>, delimited: boolean, valueSets: ValueSets = [], fieldOrder?: readonly number[]): CharTokenizer {
    const chars = new Set<string>();
    let fieldCount = 1;
    for (const fields of records) {
      fieldCount = Math.max(fieldCount, fields.length);
      for (const field of fields) for (const ch of field) chars.add(ch);
    }
    return CharTokenizer.fromCharacters(chars, fieldCount, delimited, valueSets, fieldOrder);
  }

  /**
   * The tokenizer for records of `fieldCount` fields made of these characters (each once);
   * `blankFields` are encoded as blank whatever their values (key columns).
   */
  static fromCharacters(
    chars: Iterable<string>,
    fieldCount: number,
    delimited: boolean,
    valueSets: ValueSets = [],
    fieldOrder?: readonly number[],
    blankFields: readonly number[] = [],
  ): CharTokenizer {
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
    if (delimited && fieldOrder && fieldOrder.some((field, position) => field !== position)) spec.fieldOrder = [...fieldOrder];
    if (blankFields.length > 0) spec.blankFields = [...blankFields];
    return new CharTokenizer(spec);
  }

  isSpecial(id: number): boolean {
    return id === this.endOfRecord || this.separatorSet.has(id);
  }

  /**
   * Token ids of one record's fields (in the table's order), written in the model's field order
   * with separators between them, end-of-record last.
   */
  encodeRecord(fields: readonly string[]): number[] {
    const ids = this.encodePrefix(this.fieldOrder && fields.length === this.fieldOrder.length ? this.fieldOrder.map((f) => fields[f]!) : fields);
    ids.push(this.endOfRecord);
    return ids;
  }

  /**
   * Token ids of the leading fields in the MODEL's order (position 0 first): a separator after
   * each complete field, the last (possibly empty) one left open for the model to continue.
   */
  encodePrefix(fields: readonly string[]): number[] {
    const ids: number[] = [];
    fields.forEach((field, position) => {
      if (position > 0) ids.push(this.separatorAfterField(position));
      this.writeValue(ids, this.fieldAt(position), field);
    });
    return ids;
  }

  /**
   * A start string given as the leading fields of a record in the TABLE's order, the last
   * (possibly empty) one left open. When the model writes its fields in another order, the seeded
   * fields that the model writes first form the prefix, and the others are forced when the
   * record reaches them: `forced` maps the separator token that opens such a field to the tokens
   * to feed (the field, then its closing separator or end-of-record unless it is the open one).
   * A record is still written by the model in its own order, so fields written before a forced
   * one do not see it (say so where seeds are documented).
   */
  encodeStart(fields: readonly string[]): StartTokens {
    const order = this.fieldOrder;
    if (!order || fields.length === 0) return { prefix: this.encodePrefix(fields), forced: [] };
    const open = fields.length - 1;
    const seeded = (field: number): boolean => field < open || (field === open && fields[open] !== '');
    const prefix: number[] = [];
    const forced: [number, number[]][] = [];
    let inPrefix = true;
    for (let position = 0; position < order.length; position++) {
      const field = order[position]!;
      if (!seeded(field)) {
        inPrefix = false;
        continue;
      }
      const tokens: number[] = [];
      this.writeValue(tokens, field, fields[field]!);
      if (field !== open) tokens.push(position === order.length - 1 ? this.endOfRecord : this.separatorAfterField(position + 1));
      if (inPrefix) prefix.push(...tokens);
      else forced.push([this.separatorAfterField(position), tokens]);
      if (field === open) inPrefix = false;
    }
    return { prefix, forced };
  }

  /** The first field (0-based) whose value has no value token although its field uses them, or null. */
  unknownValue(fields: readonly string[]): { field: number; value: string; values: string[] } | null {
    for (let i = 0; i < fields.length; i++) {
      const values = this.valueIds[i];
      if (this.blankFields.has(i)) continue;
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

  /**
   * Splits generated ids (without end-of-record) into fields, in the table's order. A record with
   * the wrong number of fields stays in the model's order (it fails the field-count check anyway).
   */
  decodeFields(ids: ArrayLike<number>): string[] {
    const fields = this.decodePositions(ids);
    const order = this.fieldOrder;
    if (!order || fields.length !== order.length) return fields;
    const inTableOrder = new Array<string>(fields.length);
    order.forEach((field, position) => (inTableOrder[field] = fields[position]!));
    return inTableOrder;
  }

  private decodePositions(ids: ArrayLike<number>): string[] {
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

  /** The separator token after the field at model position `position` (0-based). */
  separatorAfter(position: number): number {
    return this.separatorAfterField(position + 1);
  }

  /** The table's field (0-based) that the model writes at `position`. */
  fieldAt(position: number): number {
    return this.fieldOrder ? this.fieldOrder[position]! : position;
  }

  private writeValue(ids: number[], field: number, value: string): void {
    if (this.blankFields.has(field)) return;
    const values = this.valueIds[field];
    if (values && value !== '') {
      const id = values.get(value);
      if (id === undefined) throw new RangeError(`${JSON.stringify(value)} is not one of the values of field ${field + 1}`);
      ids.push(id);
    } else {
      for (const ch of value) ids.push(this.charId(ch));
    }
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
