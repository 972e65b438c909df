import { evaluateModel, evaluateSyntheticFile } from '../evaluate/evaluate.js';
import type { EvaluationReport } from '../evaluate/report.js';
import { generateRecordsForEvaluation } from '../generate/generateForEvaluation.js';
import { bundledModelDir } from '../model/bundledModel.js';

export interface EvaluateOptions {
  /** Model directory (default: the bundled model). */
  model?: string;
  /** The data file the model was trained on. */
  data: string;
  /** Score the records of this file (CSV with the columns of `data`, or text lines) instead of generating; no model is loaded. */
  synthetic?: string;
  /** Valid records to generate and compare (default 1000). */
  lines?: number;
  randomSeed?: number;
  temperature?: number;
  backend?: string;
}

/** Generates records and compares them with the training data (synth evaluate); the report as data. */
export function evaluate(options: EvaluateOptions): Promise<EvaluationReport> {
  if (options.synthetic !== undefined) {
    return evaluateSyntheticFile({ syntheticPath: options.synthetic, dataPath: options.data, randomSeed: options.randomSeed });
  }
  const request = {
    modelDir: options.model ?? bundledModelDir(),
    lines: options.lines ?? 1000,
    randomSeed: options.randomSeed,
    temperature: options.temperature ?? 1,
    backend: options.backend ?? 'auto',
  };
  return evaluateModel({ ...request, dataPath: options.data }, (lines) => generateRecordsForEvaluation({ ...request, lines }));
}
