import { apiOptionName, formatMessage, message, option, UsageError, warnTo, type WarningHook } from '../errors.js';
import type { BackendChoice } from '../engine/kernels/createKernel.js';
import { wholeNumber } from './checkOption.js';
import { DEFAULT_BATCH_SIZE, IN_PROCESS_BATCHES } from '../generate/generateOptions.js';
import { checkLinesForSeedRows } from '../generate/runStarts.js';
import { seedRecordRows, whereRequests, type SeedRecord, type Where } from './whereOption.js';
import type { GenerateStats } from '../generate/generateStats.js';
import { openRecordRun, type RecordRunOptions } from '../generate/generateRecords.js';
import { checkLinesForStartStrings } from '../generate/startStrings.js';
import { parseShard, type Shard } from '../generate/shard.js';
import { bundledModelDir } from '../model/bundledModel.js';
import type { InvalidLimit } from '../validate/invalidLimit.js';
import type { SchemaMode } from '../schema/schema.js';
import type { FieldValue } from '../schema/typedValue.js';
import type { TypedRecord } from '../validate/record.js';
import type { LoadedModel } from '../model/manifest.js';

/** `synth generate`'s options, as the API takes them; every one optional, defaults as the CLI's. */
export interface GenerateOptions {
  /** Model directory (default: the bundled model). */
  model?: string;
  /** Valid records wanted (default 1000, or one per start string when there are several, one per seed record). */
  lines?: number;
  /** Start strings: one for every record, or several for one record each, in order (--seed). */
  seeds?: string[];
  /**
   * Conditions every record meets (--where): `{ country: 'Japan', plan: ['basic', 'pro'], age: { min: 30, max: 39 } }`,
   * or the same as --where strings, `['country=Japan', 'plan=basic|pro', 'age=30..39']`.
   */
  where?: Where;
  /** One record per entry with its named fields fixed (--seed-file with a header row): `[{ country: 'Japan', plan: 'pro' }]`. */
  seedRecords?: readonly SeedRecord[];
  temperature?: number;
  maxChars?: number;
  /** Rejected records allowed: a count, or a share of `lines` such as '5%' (default: 10%, at least 1000). */
  maxInvalid?: InvalidLimit;
  randomSeed?: number;
  batchSize?: number;
  /** Worker threads (default: one per core; in-process for jobs of up to 16 batches). */
  workers?: number;
  backend?: BackendChoice;
  /** Path of a JS module whose default export (text, fields) returns true or false (--validator). */
  validator?: string;
  validatorTimeoutMs?: number;
  /** A record is valid only if its text matches (--match). */
  match?: string;
  /** false accepts every record (--no-validate). */
  validate?: boolean;
  /** Masks and checks from the model's field schema: 'strict' (default), 'lenient' or 'off' (--schema). */
  schema?: SchemaMode;
  /** An edited schema (JSON) used instead of the model's own (--schema-file). */
  schemaFile?: string;
  /** This part of the run only: { index: 2, count: 4 } or '2/4' (--shard). */
  shard?: Shard | string;
  /** Key columns start after this many fresh values, e.g. the rows an earlier run put in the same table (--key-offset). */
  keyOffset?: number;
  /** Aborting stops the run before its next record (or before it starts); the iteration throws the signal's reason. */
  signal?: AbortSignal;
  /** Non-fatal notes (e.g. a backend fallback); default: ignored. */
  onWarning?: WarningHook;
  /** Each rejected record with its reason (--invalid-output). */
  onInvalid?: (record: SynthRecord, reason: string) => void | Promise<void>;
}

/** One generated record. */
export interface SynthRecord {
  /** The record as one line: the text, or a delimited model's CSV row (no header). */
  text: string;
  /**
   * Its fields by column name, typed as --format jsonl writes them: numbers, booleans, ISO-8601
   * dates, null for a blank (see schema/typedValue.ts); `{ text }` for a text model. A JS object
   * lists integer-like names first: use `raw` for positions.
   */
  fields: Record<string, FieldValue>;
  /** Its fields' texts by position, as generated (one, the text, for a text model). */
  raw: string[];
  /** Its candidate index: its place in the deterministic candidate order. */
  index: number;
}

/** The records of a run; `stats()` is complete once iteration has finished. */
export interface RecordStream extends AsyncIterable<SynthRecord> {
  stats(): GenerateStats | undefined;
}

export { DEFAULT_BATCH_SIZE, IN_PROCESS_BATCHES };

/**
 * Records from a model, as an async iterable: `for await (const { fields } of generate({ lines: 100 }))`.
 * Nothing starts until iteration does; leaving the loop early releases the model and workers.
 * Errors are typed (UsageError, ModelError, BackendError, BudgetError, InternalError); an aborted
 * `signal` makes the iteration throw its reason, before any work when it was aborted already.
 */
export function generate(options: GenerateOptions = {}): RecordStream {
  return recordStream(options);
}

/** generate() itself, from a model already loaded (a loadModel handle) when one is given. */
export function recordStream(options: GenerateOptions, model?: LoadedModel): RecordStream {
  let stats: (() => GenerateStats) | undefined;
  return {
    stats: () => stats?.(),
    async *[Symbol.asyncIterator]() {
      options.signal?.throwIfAborted();
      let names: readonly string[] = [TEXT_COLUMN];
      const run = await openRecordRun({ ...toRecordRunOptions(options), ...(model ? { model } : {}) }, {
        warn: warnTo(options.onWarning),
        signal: options.signal,
        rejected: options.onInvalid && ((record, reason) => options.onInvalid!(toSynthRecord(record, names), formatMessage(reason, apiOptionName))),
      });
      if (run.manifest.records.kind === 'delimited') names = run.manifest.records.header;
      stats = run.stats;
      try {
        for await (const record of run.records) yield toSynthRecord(record, names);
      } finally {
        await run.close();
      }
    },
  };
}

const TEXT_COLUMN = 'text';

/**
 * The API's view of a record. Built with Object.fromEntries so that a column named "__proto__" is a
 * plain key; with validate: false a missing field is null and an extra one is named field_N, as in jsonl.
 */
function toSynthRecord(record: TypedRecord, names: readonly string[]): SynthRecord {
  const count = Math.max(names.length, record.values.length);
  const fields = Object.fromEntries(Array.from({ length: count }, (_, i) => [names[i] ?? `field_${i + 1}`, record.values[i] ?? null]));
  return { text: record.text, fields, raw: record.fields, index: record.index };
}

/** Fills in the defaults and checks the values the CLI's flag parsers would have checked. */
export function toRecordRunOptions(options: GenerateOptions): RecordRunOptions {
  const seeds = options.seeds ?? [];
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (options.seedRecords !== undefined && seeds.length > 0) throw new UsageError(message`give either ${option('seeds')} or ${option('seedRecords')}, not both`);
  const seedRows = seedRecordRows(options.seedRecords);
  if (options.lines !== undefined) {
    wholeNumber('lines', options.lines, 1, 1_000_000_000);
    if (seedRows) checkLinesForSeedRows(options.lines, seedRows.length);
    else checkLinesForStartStrings(options.lines, seeds);
  }
  wholeNumber('batchSize', batchSize, 1, 4096);
  if (options.workers !== undefined) wholeNumber('workers', options.workers, 1, 256);
  if (options.maxChars !== undefined) wholeNumber('maxChars', options.maxChars, 1, 1_000_000);
  if (options.randomSeed !== undefined) wholeNumber('randomSeed', options.randomSeed, 0, 2 ** 32 - 1);
  if (options.keyOffset !== undefined) wholeNumber('keyOffset', options.keyOffset, 0, Number.MAX_SAFE_INTEGER);
  const temperature = options.temperature ?? 1;
  if (!(temperature >= 0 && temperature <= 100)) throw new UsageError(message`${option('temperature')} must be a number from 0 to 100, got ${temperature}`);
  const where = whereRequests(options.where);
  return {
    modelDir: options.model ?? bundledModelDir(),
    lines: options.lines,
    startStrings: seeds,
    ...(where ? { where } : {}),
    ...(seedRows ? { seedRows } : {}),
    temperature,
    maxChars: options.maxChars,
    maxInvalid: options.maxInvalid,
    randomSeed: options.randomSeed,
    batchSize,
    workers: options.workers,
    backend: options.backend ?? 'auto',
    validatorPath: options.validator,
    validatorTimeoutMs: options.validatorTimeoutMs ?? 5000,
    match: options.match,
    validate: options.validate ?? true,
    schemaMode: schemaMode(options.schema),
    schemaFile: options.schemaFile,
    shard: typeof options.shard === 'string' ? parseShard(options.shard) : options.shard && parseShard(`${options.shard.index}/${options.shard.count}`),
    keyOffset: options.keyOffset,
  };
}

function schemaMode(mode: SchemaMode | undefined): SchemaMode {
  if (mode === undefined) return 'strict';
  if (!['strict', 'lenient', 'off'].includes(mode)) throw new UsageError(message`${option('schema')} must be "strict", "lenient" or "off", got ${JSON.stringify(mode)}`);
  return mode;
}
