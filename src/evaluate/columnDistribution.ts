import type { Distribution } from './report.js';
import { categoricalDistribution, numericDistribution, topValues } from './metrics/distribution.js';
import { isContinuous, numberOf, valueShape, type ColumnReading } from './metrics/fieldKind.js';

/** Plot data of one column, real vs synthetic: numbers as a histogram, categories and text shapes as bars. */
export function columnDistribution(column: ColumnReading, realValues: readonly string[], syntheticValues: readonly string[]): Distribution {
  const { kind } = column;
  if (isContinuous(kind)) {
    const parse = (value: string) => numberOf(column, value);
    return numericDistribution(realValues.map(parse), syntheticValues.map(parse));
  }
  const project = kind === 'shape' ? valueShape : (value: string) => value;
  const real = realValues.map(project);
  const synthetic = syntheticValues.map(project);
  return categoricalDistribution(real, synthetic, topValues(real));
}
