import { evaluateModel } from '../evaluate/evaluate.js';
import type { EvaluationReport } from '../evaluate/report.js';
import { generateRecordsForEvaluation } from '../generate/generateForEvaluation.js';
import { type Warn } from '../errors.js';

/** Records generated to score a freshly trained model; enough for stable distances, quick to make. */
export const SCORE_LINES = 1000;

export interface ScoreOptions {
  /** The model directory just written. */
  modelDir: string;
  /** The file it was trained on, split as training split it. */
  dataPath: string;
  /** The training run's seed, so the same run gets the same score. */
  randomSeed: number;
  signal?: AbortSignal;
  warn: Warn;
}

/**
 * synth train's closing quality score: SCORE_LINES records generated from the new model and
 * compared with its input, as `synth evaluate` would at its defaults.
 */
export async function scoreTrainedModel(options: ScoreOptions): Promise<EvaluationReport> {
  const request = { modelDir: options.modelDir, lines: SCORE_LINES, randomSeed: options.randomSeed, temperature: 1, backend: 'auto' };
  return evaluateModel({ ...request, dataPath: options.dataPath, collectGarbage: true }, (lines) =>
    generateRecordsForEvaluation({ ...request, lines, warn: options.warn, signal: options.signal }),
  );
}
