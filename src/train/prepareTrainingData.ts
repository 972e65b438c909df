import { message, option, UsageError, type Message } from '../errors.js';
import type { RecordKind } from '../model/manifest.js';
import type { CharTokenizer } from '../tokenizer/charTokenizer.js';
import { EncodedRecordsBuilder, type EncodedRecords } from './encodedRecords.js';
import { scanTrainingSource, type TrainingSource } from '../data/readTrainingData.js';
import { sampleWithoutReplacement, type Random } from '../random/seededRandom.js';
import { splitRecordIndices } from './trainingBatches.js';
import { charVocabulary, type VocabularyBuilder } from './vocabularyBuilder.js';
import { ValuePairCounter } from '../schema/neverTogether.js';
import type { NeverTogether } from '../schema/schema.js';

export interface PrepareOptions {
  /** As for readTrainingData: a delimiter, null for plain text, undefined to decide from the file. */
  delimiter?: string | null;
  validationSplit: number;
  /** Draws the validation split (the same draws splitRecords makes for the same record count). */
  random: Random;
  /**
   * Validation keeps a fixed sample of the held-out records, drawn with `random`, when they are
   * more than `maxRecords`, or (with --epoch-records N below the training records) more than
   * N × split / (1 − split), so validating costs what it would on a table that size. Only the
   * sample is encoded.
   */
  validationSample?: { epochRecords?: number; maxRecords: number; random: Random };
  /** Stops either pass at its next chunk, rejecting with the signal's reason. */
  signal?: AbortSignal;
  /** Force collections of read buffers as the scans go (ReadTrainingOptions); process-wide, so opt-in. */
  collectGarbage?: boolean;
  /** Makes the vocabulary from the first pass; the character vocabulary by default. */
  vocabulary?: () => VocabularyBuilder;
}

export interface PreparedData {
  kind: RecordKind;
  tokenizer: CharTokenizer;
  /** Data records in the file. */
  records: number;
  train: EncodedRecords;
  /** Records held out from training. */
  heldOut: number;
  /** The held-out records validation runs on: all of them, or the validation sample. */
  validation: EncodedRecords;
  /** Tokens of the longest record without its end-of-record (sizes the generation limit). */
  longestRecordTokens: number;
  /** Closed-set values no record holds together (neverTogether.ts), counted over every record. */
  neverTogether: NeverTogether[];
  detected?: Message;
}

const SKIP = 0;
const TRAIN = 1;
const VALIDATION = 2;

/**
 * Reads a training file (or records in memory) in two streaming passes and returns its records encoded, split into
 * training and validation parts. Pass one checks every line and feeds every record to the
 * vocabulary builder, so the tokenizer is final before encoding starts (a vocabulary, or a field
 * profile, depends on all records); pass two encodes each record straight into typed arrays
 * sized from pass one. No record's text is kept: memory is the encoded tokens plus a few bytes
 * per record. The price is reading the file twice (see `npm run bench:read`).
 */
export async function prepareTrainingData(source: TrainingSource, options: PrepareOptions): Promise<PreparedData> {
  const vocabulary = (options.vocabulary ?? charVocabulary)();
  // An upper bound of each record's tokens: a tokenizer spends at most one token per UTF-16 code
  // unit, one separator per field boundary and one end-of-record.
  let bounds: Uint32Array = new Uint32Array(1024);
  let count = 0;
  const fields = new FieldTotals();
  const first = await scanTrainingSource(source, { delimiter: options.delimiter, signal: options.signal, collectGarbage: options.collectGarbage }, (values) => {
    vocabulary.add(values);
    fields.add(values);
    // A field token per field plus end-of-record (positional models need one fewer).
    let bound = values.length + 1;
    for (const value of values) bound += value.length;
    if (count >= bounds.length) bounds = grow(bounds);
    bounds[count++] = bound;
  });
  const tokenizer = vocabulary.build(first.kind);

  const roles = assignRoles(first.records, options);
  const capacity = [0, 0, 0];
  const counts = [0, 0, 0];
  let largestBound = 0;
  for (let i = 0; i < first.records; i++) {
    capacity[roles[i]!]! += bounds[i]!;
    counts[roles[i]!]!++;
    largestBound = Math.max(largestBound, bounds[i]!);
  }
  bounds = new Uint32Array(0);
  // Value tokens make the per-record bound loose (a closed-set value is one token, not its
  // length: 37% too high on customers.csv). finish() then copied the arrays down to size, and
  // the oversized originals stayed resident until V8's next full collection, which a training
  // run may not reach for minutes: 59 MB on a 30 MB table. So each part gets its share of a
  // bound for the whole file that knows the value-token fields, plus slack; a part that still
  // outgrows it grows (encodedRecords.ts), which costs memory, never correctness.
  const looseness = fields.tokenBound(tokenizer) / capacity.reduce((a, b) => a + b, 0);
  if (looseness < 1) {
    for (const role of [TRAIN, VALIDATION]) capacity[role] = Math.min(capacity[role]!, Math.ceil(capacity[role]! * looseness * 1.01) + largestBound);
  }
  const builders = [
    null,
    new EncodedRecordsBuilder(tokenizer.vocabSize, counts[TRAIN]!, capacity[TRAIN]!, tokenizer.endOfRecord),
    new EncodedRecordsBuilder(tokenizer.vocabSize, counts[VALIDATION]!, capacity[VALIDATION]!, tokenizer.endOfRecord),
  ] as const;

  let index = 0;
  let longestRecordTokens = 1;
  const delimiter = first.kind.kind === 'delimited' ? first.kind.delimiter : null;
  const fieldCount = first.kind.kind === 'delimited' ? first.kind.header.length : 1;
  const pairs = new ValuePairCounter(tokenizer.vocabSize, Array.from({ length: fieldCount }, (_, i) => tokenizer.valueTokensOf(i)));
  const second = await scanTrainingSource(source, { delimiter, signal: options.signal, collectGarbage: options.collectGarbage }, (fields) => {
    if (index >= roles.length) return void index++;
    const ids = tokenizer.encodeRecord(fields);
    pairs.add(ids);
    longestRecordTokens = Math.max(longestRecordTokens, ids.length - 1);
    builders[roles[index++]!]?.add(ids);
  });
  if (second.records !== first.records) {
    throw new UsageError(message`${option('input')} ${String(source)} changed while it was being read (${first.records} records, then ${second.records}); train on a file that is not being written to`);
  }
  const heldOut = roles.reduce((n, role) => n + (role === TRAIN ? 0 : 1), 0);
  return {
    kind: first.kind,
    tokenizer,
    records: first.records,
    train: builders[TRAIN].finish(),
    heldOut,
    validation: builders[VALIDATION].finish(),
    longestRecordTokens,
    neverTogether: pairs.finish(),
    ...(first.detected === undefined ? {} : { detected: first.detected }),
  };
}

/** Each record's part: training, validation, or held out but outside the validation sample. */
function assignRoles(count: number, options: PrepareOptions): Uint8Array {
  const roles = new Uint8Array(count).fill(TRAIN);
  const validation = splitRecordIndices(count, options.validationSplit, options.random);
  for (const i of validation) roles[i] = VALIDATION;
  const sample = options.validationSample;
  if (!sample) return roles;
  const split = options.validationSplit;
  const { epochRecords } = sample;
  const perEpoch = epochRecords !== undefined && epochRecords < count - validation.length ? Math.ceil((epochRecords * split) / (1 - split)) : Infinity;
  const size = Math.min(perEpoch, sample.maxRecords);
  if (size >= validation.length) return roles;
  for (const i of validation) roles[i] = SKIP;
  for (const k of sampleWithoutReplacement(validation.length, size, sample.random)) roles[validation[k]!] = VALIDATION;
  return roles;
}

/** Per field position, the UTF-16 units and the non-empty values of every record (first pass). */
class FieldTotals {
  private readonly units: number[] = [];
  private readonly values: number[] = [];
  private boundSum = 0;

  add(fields: readonly string[]): void {
    this.boundSum += fields.length + 1;
    for (let i = 0; i < fields.length; i++) {
      const length = fields[i]!.length;
      this.boundSum += length;
      this.units[i] = (this.units[i] ?? 0) + length;
      if (length > 0) this.values[i] = (this.values[i] ?? 0) + 1;
    }
  }

  /**
   * An upper bound of the whole file's tokens: the per-record bound (a token per UTF-16 unit, a
   * separator or end-of-record per field), less what a field with value tokens saves (one token
   * per non-empty value instead of its units) and the units of fields trained as blank.
   */
  tokenBound(tokenizer: CharTokenizer): number {
    let bound = this.boundSum;
    this.units.forEach((units, i) => {
      if (tokenizer.isBlankField(i)) bound -= units;
      else if (tokenizer.valueTokensOf(i)) bound -= units - (this.values[i] ?? 0);
    });
    return bound;
  }
}

function grow(array: Uint32Array): Uint32Array {
  const grown = new Uint32Array(array.length * 2);
  grown.set(array);
  return grown;
}
