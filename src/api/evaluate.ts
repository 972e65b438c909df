import { message, option, UsageError, warnTo, type WarningHook } from '../errors.js';
import type { ConditionPlacement } from '../generate/conditionalStart.js';
import { whereRequests, type Where } from './whereOption.js';
import { evaluateModel, evaluateSyntheticFile } from '../evaluate/evaluate.js';
import type { EvaluationReport } from '../evaluate/report.js';
import { EVALUATION_PLACEMENTS, generateRecordsForEvaluation } from '../generate/generateForEvaluation.js';
import { bundledModelDir } from '../model/bundledModel.js';
import { numberIn, oneOf, wholeNumber } from './checkOption.js';
import { IN_MEMORY_LABEL, recordsInMemory, type RecordsInput } from '../data/recordsInMemory.js';

export interface EvaluateOptions {
  /** Model directory (default: the bundled model). */
  model?: string;
  /** The data the model was trained on: its file, or its records in memory (as train's `records`). */
  data: string | RecordsInput;
  /** Score the records of this file (CSV with the columns of `data`, or text lines) instead of generating; no model is loaded. */
  synthetic?: string;
  /** Valid records to generate and compare (default 1000). */
  lines?: number;
  randomSeed?: number;
  temperature?: number;
  backend?: string;
  /** Aborting stops the evaluation before its next record; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Non-fatal notes (e.g. a backend fallback); default: ignored, nothing is written to stderr. */
  onWarning?: WarningHook;
  /**
   * Generate records that meet these conditions and compare them with the real rows that meet
   * them (--where): as generate's `where`, `{ country: 'Japan' }` or `['country=Japan']`.
   */
  where?: Where;
  /** With `where`: how generation meets the conditions (EVALUATION_PLACEMENTS; default 'exact', as generate): 'exact' keeps records with the model's probability of the condition, 'first' writes the conditioned fields before the others, 'in-place' forces them at their own place in the model's order. */
  conditionPlacement?: ConditionPlacement;
}

/** Generates records and compares them with the training data (synth evaluate); the report as data. */
export async function evaluate(options: EvaluateOptions): Promise<EvaluationReport> {
  options.signal?.throwIfAborted();
  if (options.lines !== undefined) wholeNumber('lines', options.lines, 1, 1_000_000);
  if (options.randomSeed !== undefined) wholeNumber('randomSeed', options.randomSeed, 0, 2 ** 32 - 1);
  if (options.temperature !== undefined) numberIn('temperature', options.temperature, 0, 100);
  if (options.backend !== undefined) oneOf('backend', options.backend, ['auto', 'onnx', 'tensorflow', 'wasm', 'cpu']);
  if (options.conditionPlacement !== undefined) oneOf('conditionPlacement', options.conditionPlacement, EVALUATION_PLACEMENTS);
  const where = whereRequests(options.where);
  const records = typeof options.data === 'string' ? undefined : await recordsInMemory(options.data, 'data', options.signal);
  const dataPath = typeof options.data === 'string' ? options.data : IN_MEMORY_LABEL;
  if (options.synthetic !== undefined) {
    if (where || options.conditionPlacement !== undefined) {
      throw new UsageError(message`${option(where ? 'where' : 'conditionPlacement')} applies to records synth generates, not to ${option('synthetic')}; drop one of them`);
    }
    const report = await evaluateSyntheticFile({ syntheticPath: options.synthetic, dataPath, ...(records ? { records } : {}), randomSeed: options.randomSeed });
    options.signal?.throwIfAborted();
    return report;
  }
  const request = {
    modelDir: options.model ?? bundledModelDir(),
    lines: options.lines ?? 1000,
    randomSeed: options.randomSeed,
    temperature: options.temperature ?? 1,
    backend: options.backend ?? 'auto',
  };
  const events = { warn: warnTo(options.onWarning), signal: options.signal };
  const conditioning = { ...(where ? { where } : {}), ...(options.conditionPlacement ? { conditionPlacement: options.conditionPlacement } : {}) };
  return evaluateModel({ ...request, dataPath, ...(records ? { records } : {}), signal: options.signal, ...conditioning }, (lines, conditions) =>
    generateRecordsForEvaluation({ ...request, ...events, lines, ...(conditions ? { where: conditions.where, conditionPlacement: conditions.placement } : {}) }),
  );
}
