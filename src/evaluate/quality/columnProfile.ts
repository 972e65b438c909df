import { isContinuous, numberOf, readColumn, type ColumnKind } from '../metrics/fieldKind.js';
import { quantileEdges, binOf } from './quantileBins.js';

/**
 * What the quality metrics need to know about one column, learned from the real training part only
 * so no synthetic set can change how it is graded.
 */
export interface ColumnProfile {
  name: string;
  kind: ColumnKind;
  /** datetime: the format its values are read in (metrics/fieldKind.ts). */
  dateFormat?: string;
  /** Categorical: training value → code; any other value gets code `categories.size` ("unseen"). */
  categories?: Map<string, number>;
  /** Numeric and datetime: inner edges of the 10 real-quantile bins used in contingency tables. */
  binEdges?: Float64Array;
  /** Distinct codes a column can take in a contingency table (including unseen / missing). */
  levels: number;
  /**
   * A key column (schema/keyColumns.ts): its values are made fresh at generation, so comparing
   * them says nothing; Column Shapes, Pair Trends, exact copies and DCR leave it out, as SDMetrics
   * leaves out id columns.
   */
  key?: true;
  /**
   * A column a condition fixes or narrows (synth evaluate --where): the real rows and the records
   * meet it by construction, so Column Shapes, Pair Trends and Text Agreement leave it out; it
   * still counts in exact copies and DCR, where it is part of the record.
   */
  conditioned?: true;
}

/**
 * One column of a table in the form the metrics read. `codes` (all scored columns) index a
 * contingency table; `values` (numeric and datetime columns) hold the numbers, NaN for blank or non-numeric.
 */
export interface EncodedColumn {
  codes?: Int32Array;
  values?: Float64Array;
}

export interface EncodedTable {
  rows: number;
  columns: EncodedColumn[];
}

/** Number of real-quantile bins of a numeric column in a contingency table (as in the issue and SDMetrics' 10 bins). */
export const CONTINGENCY_BINS = 10;

/**
 * Profiles every column of the real training part (records as fields; missing fields read as
 * blank); the columns of `keyColumns` are marked as keys and not profiled further, those of
 * `conditionedColumns` are marked as conditioned.
 */
export function profileColumns(
  names: readonly string[],
  training: readonly (readonly string[])[],
  keyColumns: ReadonlySet<number> = new Set(),
  conditionedColumns: ReadonlySet<number> = new Set(),
): ColumnProfile[] {
  return names.map((name, column) => {
    const profile = profileColumn(name, training.map((record) => record[column] ?? ''), keyColumns.has(column));
    return conditionedColumns.has(column) ? { ...profile, conditioned: true } : profile;
  });
}

function profileColumn(name: string, values: readonly string[], key: boolean): ColumnProfile {
  const reading = readColumn(values);
  const { kind } = reading;
  if (key) return { name, kind, levels: 0, key: true };
  if (isContinuous(kind)) {
    const numbers = values.map((value) => numberOf(reading, value)).filter((x): x is number => x !== undefined);
    const binEdges = quantileEdges(numbers, CONTINGENCY_BINS);
    // bins 0..edges.length, then one more code for blank / non-numeric
    return { name, ...reading, binEdges, levels: binEdges.length + 2 };
  }
  if (kind === 'categorical') {
    const categories = new Map<string, number>();
    for (const value of values) if (!categories.has(value)) categories.set(value, categories.size);
    return { name, kind, categories, levels: categories.size + 1 };
  }
  return { name, kind, levels: 0 };
}

/** Encodes records column by column with the profile's dictionaries and bins. */
export function encodeTable(profile: readonly ColumnProfile[], records: readonly (readonly string[])[]): EncodedTable {
  const rows = records.length;
  const columns = profile.map((column, c): EncodedColumn => {
    if (column.key) return {};
    if (isContinuous(column.kind)) {
      const edges = column.binEdges!;
      const values = new Float64Array(rows);
      const codes = new Int32Array(rows);
      for (let r = 0; r < rows; r++) {
        const x = numberOf(column, records[r]![c] ?? '');
        values[r] = x ?? NaN;
        codes[r] = x === undefined ? edges.length + 1 : binOf(edges, x);
      }
      return { values, codes };
    }
    if (column.kind === 'categorical') {
      const categories = column.categories!;
      const unseen = categories.size;
      const codes = new Int32Array(rows);
      for (let r = 0; r < rows; r++) codes[r] = categories.get(records[r]![c] ?? '') ?? unseen;
      return { codes };
    }
    return {};
  });
  return { rows, columns };
}
