import { apiOptionName, BudgetError, formatMessage, message, option, UsageError, type Message } from '../errors.js';
import type { SynthManifest } from '../model/manifest.js';
import { loadModelDirectory } from '../model/loadModelDirectory.js';
import { buildReport } from './buildReport.js';
import type { JudgedCandidate, EvaluationReport, EvaluationSettings } from './report.js';
import type { ReadTrainingOptions, TrainingRecords, TrainingSource } from '../data/readTrainingData.js';
import { sampleTrainingData } from '../data/sampleTrainingData.js';
import { readSyntheticFile } from './readSyntheticFile.js';
import { HELD_OUT_FRACTION, SPLIT_SEED, splitHeldOut } from './splitHeldOut.js';
import { conditionedSplit } from './conditionedSplit.js';
import type { ConditionRequest } from '../schema/checkCondition.js';
import type { FieldCondition } from '../schema/fieldCondition.js';
import type { ConditionPlacement } from '../generate/conditionalStart.js';
import { EVALUATION_PLACEMENTS } from '../generate/generateForEvaluation.js';
import { resolveRunStarts } from '../generate/runStarts.js';
import { formatWhere } from '../generate/whereConditions.js';

const SPLIT_DESCRIPTION = `seeded shuffle (seed ${SPLIT_SEED}), last ${HELD_OUT_FRACTION * 100}% of records held out`;

/** The conditions generation must meet, checked against the model's schema (synth evaluate --where). */
export interface GenerationConditions {
  where: FieldCondition[];
  placement: ConditionPlacement;
}

/** Yields every candidate, valid or not, until `lines` valid ones (or its budget runs out); meeting `conditions` when given. */
export type GenerateCandidates = (lines: number, conditions?: GenerationConditions) => AsyncIterable<JudgedCandidate>;

export interface EvaluateRunOptions {
  modelDir: string;
  /** The data file, or a label for `records` in reports. */
  dataPath: string;
  /** The data as records in memory (recordsInMemory.ts), read instead of dataPath's file. */
  records?: TrainingRecords;
  /** Valid records to generate. */
  lines: number;
  randomSeed?: number;
  temperature?: number;
  backend?: string;
  /** Stops reading the data at its next chunk, rejecting with the signal's reason (generation has its own). */
  signal?: AbortSignal;
  /** Force collections of read buffers while reading the data (ReadTrainingOptions); process-wide, so opt-in. */
  collectGarbage?: boolean;
  /** Conditions (--where) the records meet and the real rows are filtered by; checked here against the model. */
  where?: ConditionRequest[];
  /** How generation meets the conditions (default: EVALUATION_PLACEMENTS[0], generate's own); only with `where`. */
  conditionPlacement?: ConditionPlacement;
}

/**
 * Generates `lines` records with the injected generator and compares them with the data file:
 * the model directory is verified, the conditions checked and the data read before any generation
 * starts. With conditions, only the real rows that meet them are compared (conditionedSplit.ts).
 */
export async function evaluateModel(options: EvaluateRunOptions, generate: GenerateCandidates): Promise<EvaluationReport> {
  const { manifest } = await loadModelDirectory(options.modelDir);
  const conditions = checkedConditions(options, manifest);
  const kind = manifest.records;
  const data = await readDataLikeModel(options.records ?? options.dataPath, options.dataPath, kind.kind === 'delimited' ? kind.delimiter : null, manifest, options);
  const whole = splitHeldOut(data.records);
  const { training, heldOut } = conditions
    ? conditionedSplit(whole, conditions.where, manifest.schema!, { conditions: conditionSources(options.where!), data: options.dataPath })
    : whole;
  const keyColumns = manifest.schema?.fields.flatMap((f, i) => (f.key ? [i] : [])) ?? [];
  const conditionedColumns = conditions?.where.map((c) => c.field).sort((a, b) => a - b);
  const header = data.header ?? modelHeader(manifest);
  const report = await evaluateSplit({ training, heldOut, header, keyColumns, conditionedColumns }, (lines) => generate(lines, conditions), options.lines, {
    modelDir: options.modelDir,
    dataPath: options.dataPath,
    lines: options.lines,
    randomSeed: options.randomSeed,
    temperature: options.temperature,
    backend: options.backend,
    split: SPLIT_DESCRIPTION,
    ...(conditions
      ? { where: conditions.where.map((c) => formatWhere(c, manifest.schema!.fields[c.field]!.name)), conditionPlacement: conditions.placement }
      : {}),
  });
  const expected = modelHeader(manifest);
  if (data.header && expected && data.header.some((name, i) => name !== expected[i])) {
    report.warnings.push(`the header of ${options.dataPath} (${data.header.join(', ')}) differs from the model's (${expected.join(', ')}); fields are compared by position`);
  }
  return report;
}

/** The run's conditions checked against the model's schema, with generate's checks and errors; undefined without any. */
function checkedConditions(options: EvaluateRunOptions, manifest: SynthManifest): GenerationConditions | undefined {
  if (!options.where?.length) {
    if (options.conditionPlacement !== undefined) {
      throw new UsageError(message`${option('conditionPlacement')} says where conditioned fields are written, and there is no ${option('where')}; add a condition or drop it`);
    }
    return undefined;
  }
  const { where } = resolveRunStarts({ startStrings: [], where: options.where }, manifest, options.modelDir);
  return { where: where!, placement: options.conditionPlacement ?? EVALUATION_PLACEMENTS[0]! };
}

/** The conditions as the caller wrote them, for an error: `--where "a=1" and --where "b=2"`. */
function conditionSources(requests: readonly ConditionRequest[]): Message {
  return requests.slice(1).reduce((all, request) => message`${all} and ${request.source}`, requests[0]!.source);
}

/** Reads --data the way the model's records are shaped, with the trainer's checks of bad input. */
async function readDataLikeModel(
  source: TrainingSource,
  dataPath: string,
  delimiter: string | null,
  manifest: SynthManifest,
  reading: ReadTrainingOptions,
): Promise<{ records: string[][]; header?: string[] }> {
  const kind = manifest.records;
  const data = await readData(source, delimiter, reading);
  if (data.kind.kind !== 'delimited' || kind.kind !== 'delimited') return { records: data.records };
  if (data.kind.header.length !== kind.header.length) {
    throw new UsageError(
      message`${option('data')} ${dataPath} has ${data.kind.header.length} fields per record but the model has ${kind.header.length} (${kind.header.join(kind.delimiter)}); give the file the model was trained on`,
    );
  }
  return { records: data.records, header: data.kind.header };
}

/**
 * The one place --data is read: a CSV with a header for a delimiter (null: one record per line;
 * undefined: decided from the extension and the first lines, as for synth train --input), with the
 * trainer's checks of bad input.
 */
function readData(dataPath: TrainingSource, delimiter: string | null | undefined, reading: ReadTrainingOptions = {}): Promise<TrainingRecords> {
  // Bounded memory on big files: a seeded sample of DATA_SAMPLE_RECORDS rows, all of a smaller file.
  return sampleTrainingData(dataPath, { delimiter, option: 'data', signal: reading.signal, collectGarbage: reading.collectGarbage });
}

export interface EvaluateFileOptions {
  /** The synthetic records: CSV with a header like --data's, or text lines. */
  syntheticPath: string;
  dataPath: string;
  /** The data as records in memory, read instead of dataPath's file. */
  records?: TrainingRecords;
  /** Seed of the baselines and DCR samples (0 when not given). */
  randomSeed?: number;
  /** As EvaluateOptions.collectGarbage. */
  collectGarbage?: boolean;
  /** How the report's warnings name options: by key (the default, the API's names); synth evaluate passes its flags. */
  optionName?: (option: string) => string;
}

/** `synth evaluate --synthetic FILE`: scores any file of records against --data, no model needed. */
export async function evaluateSyntheticFile(options: EvaluateFileOptions): Promise<EvaluationReport> {
  const data = await readData(options.records ?? options.dataPath, undefined, { collectGarbage: options.collectGarbage });
  const header = data.kind.kind === 'delimited' ? data.kind.header : undefined;
  const delimiter = data.kind.kind === 'delimited' ? data.kind.delimiter : null;
  const { candidates, warnings } = await readSyntheticFile(options.syntheticPath, { delimiter, header });
  const { training, heldOut } = splitHeldOut(data.records);
  const report = buildReport(training, header, candidates, heldOut, {
    syntheticPath: options.syntheticPath,
    dataPath: options.dataPath,
    randomSeed: options.randomSeed,
    split: SPLIT_DESCRIPTION,
  });
  report.warnings.unshift(...warnings.map((warning) => formatMessage(warning, options.optionName ?? apiOptionName)));
  return report;
}

/**
 * The same report when the caller already holds the split (the trainer knows its own training and
 * validation records, so its held-out baseline is exact).
 */
export async function evaluateSplit(
  data: { training: string[][]; heldOut: string[][]; header?: string[]; keyColumns?: readonly number[]; conditionedColumns?: readonly number[] },
  generate: GenerateCandidates,
  lines: number,
  settings: EvaluationSettings = {},
): Promise<EvaluationReport> {
  const { candidates, stoppedBy } = await collectCandidates(generate, lines);
  const report = buildReport(data.training, data.header, candidates, data.heldOut, settings, data.keyColumns, data.conditionedColumns);
  if (stoppedBy) report.warnings.unshift(`generation stopped before ${lines} valid records: ${stoppedBy}`);
  return report;
}

/**
 * Drains the generator up to `lines` valid candidates, keeping invalid ones for the valid rate.
 * An exhausted invalid budget (the generator's, or invalidLimit here) is a result worth reporting
 * (a low valid rate), not a failure.
 */
export async function collectCandidates(generate: GenerateCandidates, lines: number): Promise<{ candidates: JudgedCandidate[]; stoppedBy?: string }> {
  const candidates: JudgedCandidate[] = [];
  let valid = 0;
  if (lines <= 0) return { candidates };
  const maxInvalid = invalidLimit(lines);
  let invalid = 0;
  try {
    for await (const candidate of generate(lines)) {
      candidates.push({ text: candidate.text, fields: [...candidate.fields], valid: candidate.valid });
      if (candidate.valid && ++valid >= lines) break;
      if (!candidate.valid && ++invalid >= maxInvalid) {
        return { candidates, stoppedBy: `${invalid} invalid candidates, the most evaluate draws for ${lines} lines` };
      }
    }
  } catch (error) {
    if (error instanceof BudgetError) return { candidates, stoppedBy: error.message };
    throw error;
  }
  return { candidates };
}

/**
 * A model that rarely or never ends a valid record must not keep evaluate running forever; at this
 * limit the valid rate is below 10%, which the report already shows as a failing score.
 */
export function invalidLimit(lines: number): number {
  return Math.max(1000, 10 * lines);
}

function modelHeader(manifest: SynthManifest): string[] | undefined {
  return manifest.records.kind === 'delimited' ? manifest.records.header : undefined;
}
