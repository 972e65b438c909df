import type { ConditionPlacement } from '../generate/conditionalStart.js';
import type { ColumnKind } from './metrics/fieldKind.js';
import type { PairMetric, ShapeMetric } from './quality/scoreQuality.js';
import type { AgreementScore } from './quality/textAgreement.js';
import type { TextMeasures } from './text/textMeasures.js';

export type { AgreementScore, TextMeasures };

/** One generated record as the generator yields it: every candidate, valid or not. */
export interface JudgedCandidate {
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

/** A column of the table: how it is scored, and the plot of real vs the model's values. */
export interface ColumnReport {
  name: string;
  kind: ColumnKind;
  /** null: left out of Column Shapes and Column Pair Trends (unique-ish text). */
  metric: ShapeMetric | null;
  /** Real training part vs the model's synthetic records. */
  distribution: Distribution;
}

/** A scored pair of columns (both with a metric). */
export interface PairReport {
  columns: [string, string];
  metric: PairMetric;
  /** Pearson's r in the real training part (CorrelationSimilarity pairs with a defined r), else null. */
  realCorrelation: number | null;
}

/** A (free-text field, other field) pair whose real text often contains the other value. */
export interface AgreementPairReport {
  /** [free-text field, other field]. */
  columns: [string, string];
  /** Share of real training records whose text contains the other value (normalized). */
  real: number;
}

/** Tables have two baselines; plain text has the character n-gram one. */
export type SynthesizerId = 'synthetic' | 'independentColumns' | 'gaussianCopula' | 'characterNgram' | 'heldOut';

/** How the records are shaped: fields of a table, or one plain-text record per line. */
export type ReportRecordKind = 'delimited' | 'text';

/** Distance to closest record (DCR), measured on samples; see docs/evaluate.md, "Validity and privacy". */
export interface ClosestRecord {
  /** Records of this set whose DCR to the training part was measured (a seeded sample). */
  sampled: number;
  /** Training records they were compared with (a seeded sample when the part is large). */
  reference: number;
  /** Median DCR of this set to the training part. */
  median: number;
  /** Median DCR of held-out real records to the training part: the bar. */
  heldOutMedian: number;
  /** Share of this set's records strictly closer to the training part than heldOutMedian (≈ 0.5 or less is fine). */
  closerThanHeldOutMedian: number;
}

export interface SummaryScore {
  /** 0–100, one decimal: 100 × quality × validRate × privacyFactor. */
  value: number;
  /** Mean of the quality measures of the data's kind (those defined): Column Shapes and Column Pair Trends, or the text measures. */
  quality: number;
  validRate: number;
  /** min(copyFactor, closenessFactor). */
  privacyFactor: number;
  /** 1 when records copy training records no more often than held-out records do. */
  copyFactor: number;
  /** 1 when no more than half the records are closer to training than the held-out median. */
  closenessFactor: number;
}

/** One row of the comparison: the model's records, a baseline, or the held-out real part. */
export interface SynthesizerRow {
  id: SynthesizerId;
  label: string;
  /** Records scored (valid ones for the model). */
  records: number;
  validRate: number;
  columnShapes: number | null;
  columnPairTrends: number | null;
  /** Per column of `columns`; null for columns left out. */
  columnScores: (number | null)[];
  /** Per pair of `pairs`; null where the real statistic is undefined. */
  pairScores: (number | null)[];
  /** Per pair of `pairs`: this set's Pearson r for CorrelationSimilarity pairs, else null. */
  pairCorrelations: (number | null)[];
  /** Per pair of the report's `textAgreement`: this set's share beside the real one. */
  textAgreement: AgreementScore[];
  /** Mean of the textAgreement scores (null: no pair listed); shown beside the score, not in it. */
  textAgreementScore: number | null;
  /** Plain text only: record length and character n-grams (null for tables). */
  text: TextMeasures | null;
  /** Share of records equal in every field to a training record. */
  exactCopies: number;
  /** null for plain text, where the distance is a 0/1 mismatch and says what exactCopies says. */
  closestRecord: ClosestRecord | null;
  score: SummaryScore;
}

export interface EvaluationSettings {
  modelDir?: string;
  dataPath?: string;
  /** `--synthetic FILE`: records scored from a file instead of generated. */
  syntheticPath?: string;
  lines?: number;
  randomSeed?: number;
  temperature?: number;
  backend?: string;
  /** How the data was split into the training part and the held-out part. */
  split?: string;
  /** Seed of the baselines' sampling and of the DCR samples (the report's --random-seed, else 0). */
  baselineSeed?: number;
  /** --where: the conditions the records and the real rows meet, as --where text (country=Japan). */
  where?: string[];
  /** With where: where generation wrote the conditioned fields. */
  conditionPlacement?: ConditionPlacement;
}

/** The report, format "synth-evaluation" version 3; the schema is docs/evaluation-report.v3.schema.json. */
export interface EvaluationReport {
  format: 'synth-evaluation';
  version: 3;
  recordKind: ReportRecordKind;
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
  columns: ColumnReport[];
  pairs: PairReport[];
  /** Pairs scored by Text Agreement (real share at least 20%), in column order; the index into each row's textAgreement. */
  textAgreement: AgreementPairReport[];
  /** The model's row first, then the baselines, then the held-out real part (the ceiling). */
  synthesizers: SynthesizerRow[];
  recordLength: {
    metric: 'ks';
    distance: number;
    realMean: number;
    syntheticMean: number;
    distribution: Distribution;
  };
  /** The model's summary score (= synthesizers[0].score). */
  score: SummaryScore;
  warnings: string[];
}
