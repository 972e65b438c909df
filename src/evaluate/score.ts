import type { SummaryScore } from './report.js';

export interface ScoreInputs {
  columnShapes: number | null;
  columnPairTrends: number | null;
  /** Valid records / all candidates (1 for baselines and the held-out part). */
  validRate: number;
  /** Share of the records that copy a training record. */
  copyShare: number;
  /** Share of held-out real records that equal a training record. */
  baselineCopyShare: number;
  /** Share of records closer to the training part than the held-out records' median DCR, if measured. */
  closerShare?: number;
}

/**
 * The summary score (README "The summary score"):
 *   score          = 100 × quality × validRate × privacyFactor
 *   quality        = mean(Column Shapes, Column Pair Trends)
 *   privacyFactor  = min(copyFactor, closenessFactor)
 *   copyFactor     = 1 − max(0, copyShare − baseline) / (1 − baseline)      (1 when baseline = 1)
 *   closenessFactor = min(1, 2 × (1 − closerShare))
 */
export function summaryScore(inputs: ScoreInputs): SummaryScore {
  const parts = [inputs.columnShapes, inputs.columnPairTrends].filter((x): x is number => x !== null);
  const quality = parts.length === 0 ? 0 : parts.reduce((a, b) => a + clamp01(b), 0) / parts.length;
  const baseline = clamp01(inputs.baselineCopyShare);
  const excess = Math.max(0, clamp01(inputs.copyShare) - baseline);
  const copyFactor = baseline >= 1 ? 1 : 1 - excess / (1 - baseline);
  const closenessFactor = inputs.closerShare === undefined ? 1 : Math.min(1, 2 * (1 - clamp01(inputs.closerShare)));
  const privacyFactor = Math.min(copyFactor, closenessFactor);
  const validRate = clamp01(inputs.validRate);
  const value = 100 * quality * validRate * privacyFactor;
  return { value: Math.round(value * 10) / 10, quality, validRate, privacyFactor, copyFactor, closenessFactor };
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
