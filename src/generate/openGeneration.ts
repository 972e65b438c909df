import { drawRandomSeed } from '../engine/rng.js';
import { message, option, UsageError, type Warn } from '../errors.js';
import type { BackendChoice } from '../engine/kernels/createKernel.js';
import { loadModelDirectory } from '../model/loadModelDirectory.js';
import type { LoadedModel, SynthManifest } from '../model/manifest.js';
import { CharTokenizer } from '../tokenizer/charTokenizer.js';
import { createValidator } from '../validate/createValidator.js';
import { advanceCursor, compileConstraint, orderOnlyConstraint, startCursor, type FieldSequence, type RecordConstraint } from '../schema/recordConstraint.js';
import { shortestRemaining } from '../schema/shortestRecord.js';
import { conditionalStarts, type ConditionPlacement } from './conditionalStart.js';
import { readSchemaFile } from '../schema/readSchemaFile.js';
import type { RecordSchema, SchemaMode } from '../schema/schema.js';
import { compileTypedValues } from '../schema/typedValue.js';
import type { TypedRecord, Verdict } from '../validate/record.js';
import type { FieldCondition } from '../schema/fieldCondition.js';
import { openCandidateSource } from './candidateSource.js';
import { encodeStartStrings, type StartStringNaming } from './startStrings.js';
import { planKeys } from './keyValues.js';
import { recordOfFields } from './toGeneratedRecord.js';

export interface GenerationSetup {
  modelDir: string;
  /** The model of modelDir already read and checked (a loadModel handle); read now when absent. */
  model?: LoadedModel;
  startStrings: string[];
  temperature: number;
  maxChars?: number;
  randomSeed?: number;
  batchSize: number;
  workers: number;
  backend: BackendChoice;
  validatorPath?: string;
  validatorTimeoutMs: number;
  match?: string;
  validate: boolean;
  /** --schema: default strict (masks, and values within the training range). */
  schemaMode?: SchemaMode;
  /** --schema-file: an edited schema used instead of the model's own. */
  schemaFile?: string;
  /** First candidate index (a shard's own part of the candidate stream); default 0. */
  firstIndex?: number;
  /**
   * Key numbering: `first` is the number of this run's first record in the whole run (a shard's
   * first record), `total` the records of the whole run (all shards), which sets a key's width.
   * Default: first 0, total 0 (no width planning).
   */
  keyRecords?: { first: number; total: number };
  /** How errors name the start strings (their file, and the number of the first). */
  seedNaming?: StartStringNaming;
  /** Conditions every record must meet (--where), already checked against the schema. */
  where?: FieldCondition[];
  /**
   * One record per entry, like start strings (--seed-file with a header row): the fields each
   * record fixes, on top of `where`. Given with startStrings empty.
   */
  startConditions?: FieldCondition[][];
  /** How conditions are met (conditionalStart.ts); default exact. */
  conditionPlacement?: ConditionPlacement;
}

/** A candidate after decoding and validation, still in candidate-index order. */
export interface JudgedRecord {
  record: TypedRecord;
  verdict: Verdict;
  /** Which start string it grew from. */
  seedIndex: number;
  /** Tokens sampled for it, end-of-record included, start string excluded. */
  tokens: number;
}

export interface Generation {
  manifest: SynthManifest;
  /** The schema the run checks against (a --schema-file's or the model's); undefined with --schema off or a model without one. */
  schema: RecordSchema | undefined;
  randomSeed: number;
  maxChars: number;
  backend: string;
  workers: number;
  /**
   * Unbounded, in candidate order; `skip(seedIndex)` true means the record is not decoded or judged.
   * Aborting `signal` stops it with the signal's reason, also between records turned down by a condition.
   */
  judged(skip?: (seedIndex: number) => boolean, signal?: AbortSignal): AsyncGenerator<JudgedRecord>;
  close(): Promise<void>;
}

/** Records cut by --max-chars, none valid before them, after which the run stops (exit 2). */
const CUT_BEFORE_GIVING_UP = 100;

/**
 * Records turned down by exact conditions before the run may give up on them, and the most per
 * record kept. A record that meets conditions kept 1 in 5,000 times costs seconds (the bundled
 * model begins ~1,300 records a second here); 20,000 and 1 in 10,000 took 11 s of CPU to give up
 * on plan=basic with monthly_spend=20..2020 (fuzz), 10,000 and 1 in 5,000 half that.
 */
const MIN_TURNED_DOWN = 10_000;
const MAX_TURNED_DOWN_PER_KEPT = 5_000;

/**
 * Loads and checks everything a run needs (model, start strings, validators, kernel or workers)
 * before any record is produced, so bad input fails before output starts.
 */
export async function openGeneration(setup: GenerationSetup, warn: Warn): Promise<Generation> {
  const model = setup.model ?? (await loadModelDirectory(setup.modelDir));
  const { manifest } = model;
  const tokenizer = new CharTokenizer(manifest.tokenizer);
  const starts = encodeStartStrings(setup.startStrings, tokenizer, manifest.records, setup.seedNaming);
  let prefixes = starts.map((s) => s.prefix);
  const forced = starts.some((s) => s.forced.length > 0) ? starts.map((s) => s.forced) : undefined;
  const maxChars = setup.maxChars ?? manifest.generation.maxChars;
  const schemaMode = setup.schemaMode ?? 'strict';
  const header = manifest.records.kind === 'delimited' ? manifest.records.header : ['text'];
  let schema: RecordSchema | undefined = manifest.schema;
  if (setup.schemaFile !== undefined && schemaMode !== 'off') {
    schema = await readSchemaFile(setup.schemaFile, {
      names: header,
      idOfChar: (c) => tokenizer.idOfChar(c),
      valueTokensOf: (f) => tokenizer.valueTokensOf(f),
      isBlankField: (f) => tokenizer.isBlankField(f),
    });
  }
  // Keys are how values are made, not a check: --schema off keeps the model's own.
  const keySchema = schema;
  if (schemaMode === 'off') schema = undefined;
  const validator = await createValidator({
    schema: schema && schemaMode !== 'off' ? { schema, mode: schemaMode } : undefined,
    fieldCount: manifest.records.kind === 'delimited' ? manifest.records.header.length : undefined,
    match: setup.match,
    modulePath: setup.validatorPath,
    timeoutMs: setup.validatorTimeoutMs,
    enabled: setup.validate,
  });
  let constraint: RecordConstraint | undefined = schema && compileConstraint(schema, tokenizer, schemaMode === 'strict', manifest.calibration);
  // A field-token model's fields come in the record's order even when no value is checked.
  if (!constraint && tokenizer.fieldTokens) constraint = orderOnlyConstraint(tokenizer);
  let sequences: FieldSequence[] | undefined;
  const conditioned = (setup.where?.length ?? 0) > 0 || setup.startConditions !== undefined;
  if (conditioned) {
    if (!keySchema || manifest.records.kind !== 'delimited') {
      throw new UsageError(message`conditions (${option('where')}) need a model of delimited records with a schema; this model has none`);
    }
    if (setup.startStrings.length > 0) throw new UsageError(message`give conditions (${option('where')}) or start strings (${option('seeds')}), not both`);
    if (!tokenizer.fieldTokens && setup.conditionPlacement === 'first') {
      warn(message`this model was trained before field tokens and writes its fields in one fixed order: conditions are met exactly, in place, instead of written first`);
    } else if (setup.conditionPlacement === 'first' && !(Number(manifest.training.settings.shuffledOrders) > 0)) {
      // Measured: a model trained in its own order alone wrote Tokyo for 3% of Japanese customers this way.
      warn(message`this model was not trained with shuffled field orders (shuffledOrders), so the fields it writes after conditions written first barely depend on them; the default placement meets conditions exactly`);
    }
    const rows = setup.startConditions ?? [[]];
    const where = setup.where ?? [];
    const merged = rows.map((row) => [...row, ...where.filter((w) => !row.some((c) => c.field === w.field))]);
    const built = conditionalStarts(tokenizer, keySchema, constraint ?? compileConstraint(keySchema, tokenizer, false, manifest.calibration), merged, setup.conditionPlacement ?? 'exact', schemaMode === 'strict');
    prefixes = built.prefixes;
    sequences = built.sequences;
    constraint = built.constraint;
  }
  const seededLength = prefixes.map((prefix, i) => prefix.length + (forced?.[i] ?? []).reduce((n, [, tokens]) => n + tokens.length, 0));
  const longestPrefix = Math.max(...seededLength);
  if (longestPrefix >= maxChars) {
    // A field-token record opens with its first field's token: part of the limit, not of what the user gave.
    const given = longestPrefix - (tokenizer.fieldTokens ? 1 : 0);
    throw new UsageError(message`${option('maxChars')} ${maxChars} leaves no room after a start string of ${given} characters; raise ${option('maxChars')}`);
  }
  if (constraint) {
    const shortest = Math.min(
      ...prefixes.map((prefix, i) => {
        const cursor = startCursor(sequences?.[i] ?? constraint!.sequence);
        for (const id of prefix) advanceCursor(constraint!, cursor, id);
        return prefix.length + shortestRemaining(constraint!, cursor);
      }),
    );
    if (shortest > maxChars) {
      throw new UsageError(message`${option('maxChars')} ${maxChars} is shorter than any record the model can write (at least ${shortest} characters, a closed-set value counted as one); raise ${option('maxChars')}`);
    }
  }
  const randomSeed = setup.randomSeed ?? drawRandomSeed();
  const keyRecords = setup.keyRecords ?? { first: 0, total: 0 };
  const fillKeys = keySchema && planKeys(keySchema, keyRecords, randomSeed, warn);
  const source = await openCandidateSource({
    weights: model.weights,
    backend: setup.backend,
    batchSize: setup.batchSize,
    workers: setup.workers,
    endOfRecord: tokenizer.endOfRecord,
    plan: {
      prefixes,
      ...(forced ? { forced } : {}),
      temperature: setup.temperature,
      maxTokens: maxChars,
      randomSeed,
      firstIndex: setup.firstIndex ?? 0,
      ...(constraint ? { constraint } : {}),
      ...(sequences ? { sequences } : {}),
    },
    warn,
  });
  // A text model's record is a line, not a cell: it stays a string, never a number or null.
  const typedValues = compileTypedValues(manifest.records.kind === 'delimited' ? schema : undefined);
  const cutOff: Verdict = { valid: false, reason: message`reached ${option('maxChars')} ${maxChars} before the end of the record` };

  const oneRecordPerSeed = prefixes.length > 1;
  const fieldCount = header.length;

  /**
   * Keys are filled in judge order, which is candidate order, before the validator sees the
   * record: the record's number is its place among the valid ones (its start string's place with
   * several), so a number is used up only by a valid record and the output stays a function of
   * the seed whatever the workers and batch size.
   */
  async function* judged(skip?: (seedIndex: number) => boolean, signal?: AbortSignal): AsyncGenerator<JudgedRecord> {
    let valid = 0;
    let kept = 0;
    let turnedDown = 0;
    let cut = 0;
    for await (const candidate of source.candidates) {
      if (candidate.rejected) {
        // Turned-down records yield nothing, so the caller's own check between records never runs:
        // a rare condition turns down records for minutes, and SIGINT/SIGTERM must still end it.
        signal?.throwIfAborted();
        // A condition the model almost never meets would otherwise run for ever.
        if (++turnedDown >= MIN_TURNED_DOWN && turnedDown > MAX_TURNED_DOWN_PER_KEPT * (kept + 1)) {
          throw new UsageError(
            message`the conditions (${option('where')}) held in ${kept} of ${kept + turnedDown} records the model began, fewer than 1 in ${MAX_TURNED_DOWN_PER_KEPT}; loosen them, or check them against synth inspect`,
          );
        }
        continue;
      }
      kept++;
      // A limit every record runs into is a mistake to say at once, not a budget to spend: with
      // conditions each cut record costs many begun ones (fuzz: 1,000 cut records took 11 s).
      if (!candidate.ended) cut++;
      if (setup.validate && cut === CUT_BEFORE_GIVING_UP && kept === cut) {
        throw new UsageError(message`${option('maxChars')} ${maxChars} cut each of the first ${kept} records the model wrote before it ended; raise ${option('maxChars')} (the model's own limit is ${manifest.generation.maxChars})`);
      }
      const tokens = candidate.ids.length - seededLength[candidate.prefix]! + (candidate.ended ? 1 : 0);
      if (skip?.(candidate.prefix)) continue;
      const fields = tokenizer.decodeFields(candidate.ids);
      if (fillKeys && fields.length === fieldCount) fillKeys(fields, keyRecords.first + (oneRecordPerSeed ? candidate.prefix : valid));
      const record = recordOfFields(candidate.index, fields, manifest.records);
      const verdict = !candidate.ended && setup.validate ? cutOff : await validator(record);
      if (verdict.valid) valid++;
      yield { record: { ...record, values: typedValues(record.fields) }, verdict, seedIndex: candidate.prefix, tokens };
    }
  }

  return { manifest, schema, randomSeed, maxChars, backend: source.backend, workers: source.workers, judged, close: source.close };
}
