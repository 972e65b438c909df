import { performance } from 'node:perf_hooks';
import { InvalidBudget } from '../validate/invalidBudget.js';
import { describeInvalidLimit, resolveInvalidLimit, type InvalidLimit } from '../validate/invalidLimit.js';
import type { SynthManifest } from '../model/manifest.js';
import type { RecordSchema } from '../schema/schema.js';
import type { TypedRecord } from '../validate/record.js';
import type { GenerateStats } from './generateStats.js';
import { openGeneration, type GenerationSetup } from './openGeneration.js';
import { SeedOrder } from './seedOrder.js';
import { shardFirstIndex, shardRange, type Shard } from './shard.js';
import { checkLinesForStartStrings } from './startStrings.js';
import { checkLinesForSeedRows, resolveRunStarts, type StartRequest } from './runStarts.js';
import { defaultWorkers } from './defaultWorkers.js';
import { loadModelDirectory } from '../model/loadModelDirectory.js';
import type { Message, Warn } from '../errors.js';

/** Records a run makes when neither lines nor several start strings or seed rows say otherwise. */
export const DEFAULT_LINES = 1000;

/** What a run of records needs; output options (format, files) are the writer's business. */
export interface RecordRunOptions extends Omit<GenerationSetup, 'firstIndex' | 'keyRecords' | 'seedNaming' | 'workers' | 'where' | 'startConditions'>, StartRequest {
  /** Valid records wanted from the whole run (all shards); with several start strings or seed rows, their count (the default then). Default 1000. */
  lines?: number;
  /** Worker threads; default from the run's size (defaultWorkers). */
  workers?: number;
  maxInvalid?: InvalidLimit;
  /** Generate only this shard's share of `lines`, from its own disjoint part of the candidate stream. */
  shard?: Shard;
  /** Where `seeds` were read from (e.g. "--seed-file seeds.txt"), for errors naming its line. */
  seedSource?: string;
  /** Key columns start after this many fresh values: a later run adding rows to a table an earlier one filled. */
  keyOffset?: number;
}

export interface RecordRunEvents {
  /** One line for stderr (warnings). */
  warn: Warn;
  /** Called after each judged record with the valid records this run (this shard) makes; cheap, for a progress bar. */
  progress?(valid: number, invalid: number, lines: number): void;
  /** Called for each rejected record before it counts against the budget (e.g. --invalid-output). */
  rejected?(record: TypedRecord, reason: Message): void | Promise<void>;
  /** Aborted: the run stops before the next record and `records` throws the signal's reason. */
  signal?: AbortSignal;
}

export interface RecordRun {
  /** The valid records, in candidate order (start-string order with several); throws BudgetError, or the signal's reason. */
  records: AsyncGenerator<TypedRecord>;
  /** Counts so far; complete once `records` has finished. */
  stats(): GenerateStats;
  randomSeed: number;
  /** The model's manifest (record kind and header, for writers). */
  manifest: SynthManifest;
  /** The schema the records were checked against and typed by (Generation.schema). */
  schema: RecordSchema | undefined;
  /** Releases the kernel or workers; needed only if `records` is never iterated. */
  close(): Promise<void>;
}

/**
 * Loads and checks everything first (model, start strings, validator, kernel), so a bad input fails
 * before the caller opens any output, then streams the first `lines` valid records of the run (of
 * this shard) in order, counting rejections against the --max-invalid budget.
 */
export async function openRecordRun(options: RecordRunOptions, events: RecordRunEvents): Promise<RecordRun> {
  const model = options.model ?? (await loadModelDirectory(options.modelDir));
  // Conditions and a --seed-file's header are read against the model, before any record is made.
  const starts = resolveRunStarts(options, model.manifest, options.modelDir);
  const rows = starts.startConditions;
  const manySeeds = rows !== undefined || starts.startStrings.length > 1;
  const totalLines = options.lines ?? (manySeeds ? (rows ?? starts.startStrings).length : DEFAULT_LINES);
  if (rows) checkLinesForSeedRows(totalLines, rows.length);
  else checkLinesForStartStrings(totalLines, starts.startStrings);
  // A shard owns a slice of --lines, and with several start strings or seed rows the same slice of them.
  const { start, end } = options.shard ? shardRange(totalLines, options.shard) : { start: 0, end: totalLines };
  const lines = end - start;
  const seeds = manySeeds && !rows ? starts.startStrings.slice(start, end) : starts.startStrings;
  const seedSource = starts.seedSource ?? options.seedSource;
  const seedNaming = { source: seedSource, firstNumber: manySeeds ? start + 1 : undefined };
  const { where: _where, seedRows: _seedRows, seedFile: _seedFile, ...setup } = options;
  const generation = await openGeneration(
    {
      ...setup,
      model,
      startStrings: seeds,
      ...(starts.where ? { where: starts.where } : {}),
      // A shard left without rows makes no record: it opens unconditioned rather than with no start at all.
      ...(rows && end > start ? { startConditions: rows.slice(start, end) } : {}),
      workers: options.workers ?? defaultWorkers(totalLines, options.batchSize),
      firstIndex: shardFirstIndex(options.shard),
      keyRecords: { first: (options.keyOffset ?? 0) + start, total: (options.keyOffset ?? 0) + totalLines },
      seedNaming,
    },
    events.warn,
  );

  const maxInvalid = resolveInvalidLimit(options.maxInvalid, lines);
  const budget = new InvalidBudget(maxInvalid, describeInvalidLimit(options.maxInvalid, maxInvalid, lines));
  const seedOrder = manySeeds ? new SeedOrder<TypedRecord>(end - start) : undefined;
  const counts = { valid: 0, invalid: 0, candidates: 0, tokens: 0 };
  const started = performance.now();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await generation.close();
  };

  async function* records(): AsyncGenerator<TypedRecord> {
    try {
      events.signal?.throwIfAborted();
      if (lines === 0) return;
      for await (const { record, verdict, seedIndex, tokens } of generation.judged(seedOrder && ((i) => !seedOrder.wants(i)), events.signal)) {
        counts.candidates++;
        counts.tokens += tokens;
        if (verdict.valid) {
          counts.valid++;
          if (!seedOrder) yield record;
          else for (const r of seedOrder.accept(seedIndex, record)) yield r;
        } else {
          counts.invalid++;
          await events.rejected?.(record, verdict.reason);
          budget.reject(counts.valid);
        }
        events.progress?.(counts.valid, counts.invalid, lines);
        if (counts.valid >= lines) break;
        events.signal?.throwIfAborted();
      }
    } finally {
      await close();
    }
  }

  const stats = (): GenerateStats => {
    const elapsedMs = performance.now() - started;
    return {
      ...counts,
      elapsedMs: Math.round(elapsedMs),
      tokensPerSecond: Math.round((counts.tokens * 1000) / elapsedMs),
      recordsPerSecond: Math.round((counts.valid * 1000) / elapsedMs),
      randomSeed: generation.randomSeed,
      backend: generation.backend,
      workers: generation.workers,
      batchSize: options.batchSize,
    };
  };
  return { records: records(), stats, randomSeed: generation.randomSeed, manifest: generation.manifest, schema: generation.schema, close };
}

