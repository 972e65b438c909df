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
