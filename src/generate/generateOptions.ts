import type { BackendChoice } from '../engine/kernels/createKernel.js';
import type { OutputFormat } from '../output/format.js';
import type { SchemaMode } from '../schema/schema.js';

/** Everything `synth generate` needs, already checked and typed by the CLI layer. */
export interface GenerateOptions {
  modelDir: string;
  /** Valid records wanted; with several start strings it must equal their count. */
  lines: number;
  /** Start strings: none, one for every record, or one record per start string in order. */
  seeds: string[];
  temperature: number;
  /** Record length limit in characters; undefined takes the model's own limit. */
  maxChars?: number;
  maxInvalid: number;
  /** uint32; undefined draws one and reports it. */
  randomSeed?: number;
  batchSize: number;
  workers: number;
  backend: BackendChoice;
  format: OutputFormat;
  /** undefined or '-' means stdout. */
  outputPath?: string;
  validatorPath?: string;
  validatorTimeoutMs: number;
  match?: string;
  validate: boolean;
  /** --schema (default strict) and --schema-file; see GenerationSetup. */
  schemaMode?: SchemaMode;
  schemaFile?: string;
  invalidOutputPath?: string;
  stats: boolean;
  quiet: boolean;
  progress: boolean;
}

/** What a finished run reports with --stats; also the result of runGenerate. */
export interface GenerateStats {
  valid: number;
  invalid: number;
  /** Candidates generated and looked at (valid + invalid + those skipped for a satisfied seed). */
  candidates: number;
  /** Tokens sampled, end-of-record included, start strings excluded. */
  tokens: number;
  elapsedMs: number;
  tokensPerSecond: number;
  recordsPerSecond: number;
  randomSeed: number;
  backend: string;
  workers: number;
  batchSize: number;
}
