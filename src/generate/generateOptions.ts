import type { BackendChoice } from '../engine/kernels/createKernel.js';
import type { OutputFormat } from '../output/format.js';
import type { InvalidLimit } from '../validate/invalidLimit.js';
import type { Shard } from './shard.js';

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
  /** Rejected records allowed: a count or a share of `lines` ('5%'); undefined = 10% of `lines`, at least 1000. */
  maxInvalid?: InvalidLimit;
  /** Only this part of the run (see shard.ts); undefined = the whole run. */
  shard?: Shard;
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
