import { message, option, UsageError, type Message } from '../errors.js';
import type { SynthManifest } from '../model/manifest.js';
import { checkConditions, type ConditionRequest } from '../schema/checkCondition.js';
import type { FieldCondition } from '../schema/fieldCondition.js';
import type { RecordSchema } from '../schema/schema.js';
import { checkSeedRows, seedFileRows, type SeedRow } from './seedRows.js';

/** How a run's records start, as the caller gave it: start strings, conditions by field name, seed rows. */
export interface StartRequest {
  startStrings: string[];
  /** --where, the API's where. */
  where?: ConditionRequest[];
  /** The API's seedRecords: one record per row. */
  seedRows?: SeedRow[];
  /** --seed-file: its lines are seed rows under a header of column names, else start strings. */
  seedFile?: { name: string; lines: string[] };
}

/** The same, checked against the model: what GenerationSetup takes. */
export interface RunStarts {
  startStrings: string[];
  where?: FieldCondition[];
  /** One record per entry (startStrings then empty). */
  startConditions?: FieldCondition[][];
  /** Where the start strings came from ("--seed-file seeds.txt"), for errors naming a line. */
  seedSource?: string;
}

/**
 * Resolves what needs the model's header and schema: a --seed-file's header row, and conditions
 * checked against the schema, before any record is generated.
 */
export function resolveRunStarts(request: StartRequest, manifest: SynthManifest, modelDir: string): RunStarts {
  let seedRows = request.seedRows;
  let startStrings = request.startStrings;
  let seedSource: string | undefined;
  if (request.seedFile) {
    const source = `--seed-file ${request.seedFile.name}`;
    seedRows = seedFileRows(request.seedFile.lines, manifest.records, source);
    if (seedRows === undefined) {
      startStrings = request.seedFile.lines;
      seedSource = source;
    }
  }
  const whereRequests = request.where ?? [];
  if (whereRequests.length === 0 && seedRows === undefined) return { startStrings, seedSource };
  const by = whereRequests.length > 0 ? whereRequests[0]!.source : seedRows![0]!.source;
  const schema = conditionSchema(manifest, modelDir, by);
  const where = checkConditions(whereRequests, schema);
  const startConditions = seedRows && checkSeedRows(seedRows, schema, where, whereRequests.map((r) => r.source));
  // A seed file read as start strings keeps its name beside --where, so its errors name file and line.
  return { startStrings, ...(seedSource ? { seedSource } : {}), ...(where.length > 0 ? { where } : {}), ...(startConditions ? { startConditions } : {}) };
}

function conditionSchema(manifest: SynthManifest, modelDir: string, by: Message): RecordSchema {
  if (manifest.records.kind !== 'delimited') {
    throw new UsageError(message`${by}: conditions need a delimited model with a field schema, and ${modelDir} is a text model (one line per record); use ${option('seeds')} for a start string`);
  }
  if (!manifest.schema) {
    throw new UsageError(message`${by}: conditions need a delimited model with a field schema, and ${modelDir} was trained before synth kept one; retrain it with synth train`);
  }
  return manifest.schema;
}

/** With seed rows, one record each: `lines`, when given, must be their count (as with start strings). */
export function checkLinesForSeedRows(lines: number, rows: number): void {
  if (lines !== rows) {
    throw new UsageError(message`${option('lines')} ${lines} does not match the ${rows} seed rows; each row gives one record, so omit ${option('lines')}`);
  }
}
