import type { RecordKind } from '../model/manifest.js';
import { RecordProfiler } from '../schema/profileRecords.js';
import { modelFieldOrder, type FieldOrderMode } from '../schema/fieldOrder.js';
import { isClosedSet, type RecordSchema } from '../schema/schema.js';
import { CharTokenizer } from '../tokenizer/charTokenizer.js';
import { COPY_SAMPLE_RECORDS, findCopySources, sourcesFirst } from './copySources.js';

/**
 * Sees every training record once (the first pass over the input), then makes the tokenizer
 * whose encodeRecord turns records into ids in the second pass. Whatever the vocabulary depends
 * on (characters today; a field profile with value tokens later) is gathered here, so the
 * tokenizer is final before any record is encoded and ids go straight into the narrowest array.
 */
export interface VocabularyBuilder {
  add(fields: readonly string[]): void;
  build(kind: RecordKind): CharTokenizer;
}

/** The character vocabulary: every character of every field, plus one separator per field position. */
export function charVocabulary(): VocabularyBuilder {
  // A table per UTF-16 code unit keeps the first pass at memory speed; astral characters
  // (surrogate pairs) are rare and go to a Set.
  const seen = new Uint8Array(0x10000);
  const astral = new Set<string>();
  let fieldCount = 1;
  return {
    add(fields) {
      if (fields.length > fieldCount) fieldCount = fields.length;
      for (const field of fields) {
        for (let i = 0; i < field.length; i++) {
          const unit = field.charCodeAt(i);
          if (unit < 0xd800 || unit > 0xdbff || i + 1 === field.length) {
            seen[unit] = 1;
            continue;
          }
          const cp = field.codePointAt(i)!;
          if (cp > 0xffff) {
            astral.add(String.fromCodePoint(cp));
            i++;
          } else {
            seen[unit] = 1;
          }
        }
      }
    },
    build(kind) {
      const chars: string[] = [...astral];
      for (let unit = 0; unit < seen.length; unit++) if (seen[unit]) chars.push(String.fromCharCode(unit));
      return CharTokenizer.fromCharacters(chars, fieldCount, kind.kind === 'delimited');
    },
  };
}

/**
 * The character vocabulary plus the field schema profiled in the same pass; closed-set fields get
 * value tokens unless `valueTokens` is false, key columns are learned as blank unless `keys` is false, and delimited records are written in the order
 * modelFieldOrder picks (`fieldOrder`, default auto). `schema()` is valid after build().
 */
export function profiledVocabulary(options: {
  closedSetMaxValues?: number;
  valueTokens?: boolean;
  fieldOrder?: FieldOrderMode;
  /** Detect key columns and train them as blank (default true). */
  keys?: boolean;
  /** Field tokens, so the model can write fields in any order (default true; false: positional separators). */
  anyOrder?: boolean;
  /** Copy tokens for other fields' values inside free text (copySources.ts; default true with anyOrder). */
  copies?: boolean;
}): VocabularyBuilder & { schema(): RecordSchema } {
  const chars = charVocabulary();
  const profiler = new RecordProfiler();
  let schema: RecordSchema | undefined;
  let fieldCount = 1;
  // The first records, to find copies in: the schema (which fields are text) is known only at build().
  const sample: (readonly string[])[] = [];
  return {
    add(fields) {
      chars.add(fields);
      profiler.add(fields);
      if (sample.length < COPY_SAMPLE_RECORDS) sample.push([...fields]);
      if (fields.length > fieldCount) fieldCount = fields.length;
    },
    build(kind) {
      schema = profiler.finish(kind.kind === 'delimited' ? kind.header : ['text'], { closedSetMaxValues: options.closedSetMaxValues, keys: options.keys });
      const plain = chars.build(kind);
      const valueSets = options.valueTokens === false ? [] : schema.fields.map((f) => (isClosedSet(f) ? f.values : undefined));
      const characters = plain.spec.vocab.filter((_, id) => !plain.isSpecial(id));
      const anyOrder = kind.kind === 'delimited' && options.anyOrder !== false;
      const copies = anyOrder && options.copies !== false ? findCopySources(schema, sample) : [];
      sample.length = 0;
      const order = kind.kind === 'delimited' ? sourcesFirst(modelFieldOrder(schema, options.fieldOrder), copies) : undefined;
      // A key's values are made at generation (generate/keyValues.ts), so the model learns the
      // field as blank: one separator step instead of one step per character.
      const blankFields = schema.fields.flatMap((f, i) => (f.key ? [i] : []));
      return CharTokenizer.fromCharacters(characters, fieldCount, kind.kind === 'delimited', valueSets, order, blankFields, {
        fieldTokens: anyOrder,
        copies,
      });
    },
    schema() {
      if (!schema) throw new Error('the schema is profiled by build()');
      return schema;
    },
  };
}
