import type { ScoreBreakdown } from './report.js';

export interface ScoreInputs {
  /** Distances in [0, 1] of every field and of the record length, equally weighted. */
  distances: readonly number[];
  /** Valid candidates / all candidates. */
  validRate: number;
  /** Share of valid generated records that copy a training record. */
  copyShare: number;
  /** Share of held-out real records that equal a training record. */
  baselineCopyShare: number;
}

/**
 * The summary score, documented in docs/evaluate.md:
 *   score = 100 × fidelity × validRate × copyFactor
 *   fidelity   = mean over components of (1 − distance)
 *   copyFactor = 1 − max(0, copyShare − baseline) / (1 − baseline)   (1 when baseline = 1)
 */
export function summaryScore(inputs: ScoreInputs): ScoreBreakdown {
  const { distances, validRate } = inputs;
  const fidelity = distances.length === 0 ? 0 : distances.reduce((sum, d) => sum + (1 - clamp01(d)), 0) / distances.length;
  const baseline = clamp01(inputs.baselineCopyShare);
  const excess = Math.max(0, clamp01(inputs.copyShare) - baseline);
  const copyFactor = baseline >= 1 ? 1 : 1 - excess / (1 - baseline);
  const value = 100 * fidelity * clamp01(validRate) * copyFactor;
  return { value: Math.round(value * 10) / 10, fidelity, validRate: clamp01(validRate), copyFactor };
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
