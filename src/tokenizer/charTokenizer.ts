import type { CopyToken, TokenizerSpec, ValueToken } from '../model/manifest.js';

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

/** Vocabulary name of the token that opens table field `field` (0-based) in a field-token model. */
export const fieldTokenName = (field: number): string => `<FIELD${field + 1}>`;

/** Vocabulary name of a copy token (see CopyToken). */
export const copyTokenName = (field: number, source: number, normalized: boolean): string => `<COPY${source + 1}${normalized ? ':lower' : ''}@${field + 1}>`;

/** What a normalized copy token writes: lower case, letters and digits only, accents dropped. */
export const normalizedCopy = (value: string): string =>
  // Accents folded too: real addresses write Léa Müller as lea.muller.
  value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** Shorter values are not copied: one or two letters occur everywhere by chance. */
export const MIN_COPY_LENGTH = 3;

/** A copy the tokenizer should make: text field `field` holds field `source`'s value. */
export interface CopySpec {
  field: number;
  source: number;
  normalized: boolean;
}

/** Options of fromCharacters beyond the characters and fields. */
export interface TokenizerLayout {
  /** Field tokens instead of positional separators (delimited records only): any field order. */
  fieldTokens?: boolean;
  copies?: readonly CopySpec[];
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
  /**
   * fieldTokens[f] opens table field f (field-token models); null for positional separators.
   */
  readonly fieldTokens: readonly number[] | null;
  /** Field-token models: the table field each field token opens. */
  private readonly fieldOfToken = new Map<number, number>();
  /** Copy tokens by id, and per target field (longest source first when encoding). */
  private readonly copyOfId = new Map<number, CopyToken>();
  private readonly copiesInto: CopyToken[][] = [];
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
    this.fieldTokens = spec.fieldTokens ?? null;
    this.fieldSeparators = spec.fieldTokens ?? spec.fieldSeparators ?? (spec.fieldSeparator === -1 ? [] : [spec.fieldSeparator]);
    this.fieldTokens?.forEach((id, field) => this.fieldOfToken.set(id, field));
    for (const copy of spec.copyTokens ?? []) {
      this.copyOfId.set(copy.id, copy);
      (this.copiesInto[copy.field] ??= []).push(copy);
    }
    this.separatorSet = new Set(this.fieldSeparators);
    this.fieldOrder = spec.fieldOrder ?? null;
    this.blankFields = new Set(spec.blankFields ?? []);
    this.idOf = new Map();
    for (const token of spec.valueTokens ?? []) {
      (this.valueIds[token.field] ??= new Map()).set(token.value, token.id);
      this.valueOfId.set(token.id, token.value);
    }
    spec.vocab.forEach((symbol, id) => {
      if (!this.isSpecial(id) && !this.valueOfId.has(id) && !this.copyOfId.has(id)) this.idOf.set(symbol, id);
    });
  }

  /** The copy tokens that may occur in table field `field`'s text (none: empty). */
  copyTokensOf(field: number): readonly CopyToken[] {
    return this.copiesInto[field] ?? [];
  }

  /** The table field a field token opens, or undefined for any other token. */
  fieldOfFieldToken(id: number): number | undefined {
    return this.fieldOfToken.get(id);
  }

  /** The model's own order of the table's fields (the table's order when it has none). */
  defaultOrder(): number[] {
    return this.fieldOrder ? [...this.fieldOrder] : Array.from({ length: Math.max(1, this.fieldTokens?.length ?? this.fieldSeparators.length + 1) }, (_, i) => i);
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
  static fromRecords(records: Iterable<readonly string[]>, delimited: boolean, valueSets: ValueSets = [], fieldOrder?: readonly number[], layout: TokenizerLayout = {}): CharTokenizer {
    const chars = new Set<string>();
    let fieldCount = 1;
    for (const fields of records) {
      fieldCount = Math.max(fieldCount, fields.length);
      for (const field of fields) for (const ch of field) chars.add(ch);
    }
    return CharTokenizer.fromCharacters(chars, fieldCount, delimited, valueSets, fieldOrder, [], layout);
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
    layout: TokenizerLayout = {},
  ): CharTokenizer {
    const sorted = [...chars].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    const fieldTokens = delimited && layout.fieldTokens === true;
    const head = !delimited
      ? [END_OF_RECORD]
      : fieldTokens
        ? [END_OF_RECORD, ...Array.from({ length: fieldCount }, (_, i) => fieldTokenName(i))]
        : [END_OF_RECORD, ...Array.from({ length: Math.max(1, fieldCount - 1) }, (_, i) => positionalSeparator(i + 1))];
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
    const copyTokens: CopyToken[] = [];
    for (const copy of delimited ? (layout.copies ?? []) : []) {
      copyTokens.push({ id: vocab.length, ...copy });
      vocab.push(copyTokenName(copy.field, copy.source, copy.normalized));
    }
    const spec: TokenizerSpec = !delimited
      ? { kind: 'char', vocab, endOfRecord: 0, fieldSeparator: -1 }
      : fieldTokens
        ? { kind: 'char', vocab, endOfRecord: 0, fieldSeparator: 1, fieldTokens: head.slice(1).map((_, i) => 1 + i) }
        : { kind: 'char', vocab, endOfRecord: 0, fieldSeparator: 1, fieldSeparators: head.slice(1).map((_, i) => 1 + i) };
    if (valueTokens.length > 0) spec.valueTokens = valueTokens;
    if (copyTokens.length > 0) spec.copyTokens = copyTokens;
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
    if (this.fieldTokens) return this.encodeInOrder(fields, this.defaultOrder());
    const ids = this.encodePrefix(this.fieldOrder && fields.length === this.fieldOrder.length ? this.fieldOrder.map((f) => fields[f]!) : fields);
    ids.push(this.endOfRecord);
    return ids;
  }

  /**
   * A field-token model's record (fields in the table's order) written in `order`: each field's
   * token, then its value; end-of-record last.
   */
  encodeInOrder(fields: readonly string[], order: readonly number[]): number[] {
    const tokens = this.fieldTokens;
    if (!tokens) throw new RangeError('only a field-token model writes fields in any order');
    const ids: number[] = [];
    for (const field of order) {
      ids.push(tokens[field]!);
      this.writeValue(ids, field, fields[field] ?? '', fields);
    }
    ids.push(this.endOfRecord);
    return ids;
  }

  /**
   * Token ids of the leading fields in the MODEL's order (position 0 first): a separator after
   * each complete field, the last (possibly empty) one left open for the model to continue.
   */
  encodePrefix(fields: readonly string[]): number[] {
    const ids: number[] = [];
    if (this.fieldTokens) {
      // Leading fields in the model's order: each opened by its token, the last left open.
      fields.forEach((field, position) => {
        ids.push(this.fieldTokens![this.fieldAt(position)]!);
        this.writeValue(ids, this.fieldAt(position), field);
      });
      return ids;
    }
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
    if (this.fieldTokens) return this.encodeStartInOrder(fields);
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

  /**
   * A field-token model's start string: the model's own order, opened by its first field's token;
   * seeded fields the model writes first go into the prefix, the others are fed when the record
   * opens them (their field token is the trigger), as positional models do.
   */
  private encodeStartInOrder(fields: readonly string[]): StartTokens {
    const tokens = this.fieldTokens!;
    const order = this.defaultOrder();
    const open = fields.length - 1;
    const seeded = (field: number): boolean => field < open || (field === open && fields[open] !== '');
    const prefix: number[] = [tokens[order[0]!]!];
    const forced: [number, number[]][] = [];
    let inPrefix = true;
    order.forEach((field, position) => {
      if (!seeded(field)) {
        inPrefix = false;
        return;
      }
      const value: number[] = [];
      this.writeValue(value, field, fields[field]!);
      if (field !== open) value.push(position === order.length - 1 ? this.endOfRecord : tokens[order[position + 1]!]!);
      if (inPrefix) prefix.push(...value);
      else forced.push([tokens[field]!, value]);
      if (field === open) inPrefix = false;
    });
    return { prefix, forced };
  }

  /** The tokens of one value of table field `field`, spelled out where it is text (no copies). */
  encodeValue(field: number, value: string): number[] {
    const ids: number[] = [];
    this.writeValue(ids, field, value);
    return ids;
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
    if (this.fieldTokens) return this.decodeAnyOrder(ids);
    const fields = this.decodePositions(ids);
    const order = this.fieldOrder;
    if (!order || fields.length !== order.length) return fields;
    const inTableOrder = new Array<string>(fields.length);
    order.forEach((field, position) => (inTableOrder[field] = fields[position]!));
    return inTableOrder;
  }

  /**
   * Field-token records: each field's value follows its token. A record that does not open every
   * field exactly once comes back with a field count the field-count check rejects (its fields in
   * written order, one more when the count happens to match). Copy tokens are expanded last, from
   * the finished values of their source fields.
   */
  private decodeAnyOrder(ids: ArrayLike<number>): string[] {
    const n = this.fieldTokens!.length;
    const parts: (string | CopyToken)[][] = [];
    const written: number[] = [];
    let current: (string | CopyToken)[] | null = null;
    let text = '';
    const close = (): void => {
      if (current && text !== '') current.push(text);
      text = '';
    };
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const field = this.fieldOfToken.get(id);
      if (field !== undefined) {
        close();
        written.push(field);
        current = parts[field] = [];
        continue;
      }
      if (id === this.endOfRecord) continue;
      const copy = this.copyOfId.get(id);
      if (copy) {
        close();
        current?.push(copy);
      } else {
        text += this.valueOfId.get(id) ?? this.spec.vocab[id];
      }
      if (!current && text !== '') current = parts[-1] = [];
    }
    close();
    const plain = (field: number): string => (parts[field] ?? []).map((p) => (typeof p === 'string' ? p : '')).join('');
    const value = (field: number): string =>
      (parts[field] ?? []).map((p) => (typeof p === 'string' ? p : p.normalized ? normalizedCopy(plain(p.source)) : plain(p.source))).join('');
    const complete = written.length === n && new Set(written).size === n && parts[-1] === undefined;
    if (complete) return Array.from({ length: n }, (_, f) => value(f));
    const inWrittenOrder = written.map(value);
    if (inWrittenOrder.length === n) inWrittenOrder.push('');
    return inWrittenOrder;
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
    if (this.fieldTokens) {
      const order = this.defaultOrder();
      return position + 1 < order.length ? this.fieldTokens[order[position + 1]!]! : this.endOfRecord;
    }
    return this.separatorAfterField(position + 1);
  }

  /** The table's field (0-based) that the model writes at `position`. */
  fieldAt(position: number): number {
    return this.fieldOrder ? this.fieldOrder[position]! : position;
  }

  /** `record` (the whole record, table order) lets a text field's copies of other fields be found. */
  private writeValue(ids: number[], field: number, value: string, record?: readonly string[]): void {
    if (this.blankFields.has(field)) return;
    const values = this.valueIds[field];
    if (values && value !== '') {
      const id = values.get(value);
      if (id === undefined) throw new RangeError(`${JSON.stringify(value)} is not one of the values of field ${field + 1}`);
      ids.push(id);
      return;
    }
    const copies = record ? this.copiesInto[field] : undefined;
    if (!copies) {
      for (const ch of value) ids.push(this.charId(ch));
      return;
    }
    for (const part of splitCopies(value, copies, record!)) {
      if (typeof part === 'number') ids.push(part);
      else for (const ch of part) ids.push(this.charId(ch));
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

/**
 * `text` cut into pieces and copy-token ids: each source value (exact copies before normalized
 * ones, longer values first, so "Anna" is not taken for "Ann") is replaced wherever it occurs in
 * the parts still spelled.
 */
export function splitCopies(text: string, copies: readonly CopyToken[], record: readonly string[]): (string | number)[] {
  const needles = copies
    .map((copy) => ({ id: copy.id, normalized: copy.normalized, needle: copy.normalized ? normalizedCopy(record[copy.source] ?? '') : (record[copy.source] ?? '') }))
    .filter((c) => c.needle.length >= MIN_COPY_LENGTH)
    .sort((a, b) => Number(a.normalized) - Number(b.normalized) || b.needle.length - a.needle.length);
  let parts: (string | number)[] = [text];
  for (const { id, needle } of needles) {
    const next: (string | number)[] = [];
    for (const part of parts) {
      if (typeof part === 'number' || !part.includes(needle)) {
        next.push(part);
        continue;
      }
      part.split(needle).forEach((piece, i) => {
        if (i > 0) next.push(id);
        if (piece !== '') next.push(piece);
      });
    }
    parts = next;
  }
  return parts;
}
