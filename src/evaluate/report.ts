import type { FieldKind } from './metrics/fieldKind.js';

/** One generated record as the generator yields it: every candidate, valid or not. */
export interface Candidate {
  text: string;
  fields: string[];
  valid: boolean;
}

/** Plot data: shares (each side sums to at most 1) of real and synthetic values per bin or category. */
export type Distribution =
  | {
      kind: 'histogram';
      /** bins + 1 ascending edges; values outside the real range are counted in the edge bins. */
      edges: number[];
      real: number[];
      synthetic: number[];
      /** Shares of blank or non-numeric values, not in any bin. */
      nonNumeric: { real: number; synthetic: number };
    }
  | {
      kind: 'bars';
      labels: string[];
      real: number[];
      synthetic: number[];
      /** Shares of blank or non-numeric values (numeric fields only), not in any bar. */
      nonNumeric?: { real: number; synthetic: number };
    };

export interface FieldComparison {
  name: string;
  kind: FieldKind;
  /** ks for numeric fields, tv (total variation) for categorical and shape fields. */
  metric: 'ks' | 'tv';
  /** In [0, 1]; 0 = same distribution. */
  distance: number;
  distribution: Distribution;
}

export interface ScoreBreakdown {
  /** 0–100, see docs/evaluate.md. */
  value: number;
  /** Mean of (1 - distance) over the fields and the record length. */
  fidelity: number;
  validRate: number;
  /** 1 when generated records copy training records no more often than held-out records do. */
  copyFactor: number;
}

export interface EvaluationSettings {
  modelDir?: string;
  dataPath?: string;
  lines?: number;
  randomSeed?: number;
  temperature?: number;
  backend?: string;
  /** How the data was split into the training part and the held-out baseline. */
  split?: string;
}

export interface EvaluationReport {
  format: 'synth-evaluation';
  version: 1;
  settings: EvaluationSettings;
  counts: {
    candidates: number;
    valid: number;
    invalid: number;
    trainingRecords: number;
    heldOutRecords: number;
  };
  validRate: number;
  exactCopies: {
    /** Share of valid generated records equal to a record of the training part. */
    synthetic: number;
    /** Share of held-out records equal to a record of the training part: chance coincidence. */
    heldOutBaseline: number;
    /** Share of valid generated records equal to any record of the data file (information only). */
    syntheticOfWholeFile: number;
  };
  fields: FieldComparison[];
  recordLength: {
    metric: 'ks';
    distance: number;
    realMean: number;
    syntheticMean: number;
    distribution: Distribution;
  };
  score: ScoreBreakdown;
  warnings: string[];
}
