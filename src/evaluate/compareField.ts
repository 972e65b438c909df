import type { FieldComparison } from './report.js';
import { countValues, ksStatistic, totalVariationDistance } from './metrics/distance.js';
import { categoricalDistribution, numericDistribution, topValues } from './metrics/distribution.js';
import { inferFieldKind, parseNumber, valueShape } from './metrics/fieldKind.js';

// A key no field value can collide with, for the pooled "other" category.
const POOLED = '\u0000other';

/** Compares one field's real and synthetic values with the test its real values call for. */
export function compareField(name: string, realValues: readonly string[], syntheticValues: readonly string[]): FieldComparison {
  const kind = inferFieldKind(realValues);
  if (kind === 'numeric') {
    const real = realValues.map(parseNumber);
    const synthetic = syntheticValues.map(parseNumber);
    // Blank and non-numeric entries become a point mass below every number, so a model that
    // invents or drops missing values is penalised by the same statistic.
    const distance = ksStatistic(real.map(orMinusInfinity), synthetic.map(orMinusInfinity));
    return { name, kind, metric: 'ks', distance, distribution: numericDistribution(real, synthetic) };
  }
  const project = kind === 'shape' ? valueShape : (value: string) => value;
  const real = realValues.map(project);
  const synthetic = syntheticValues.map(project);
  const labels = topValues(real);
  const kept = new Set(labels);
  const pooled = (keys: string[]) => countValues(keys.map((key) => (kept.has(key) ? key : POOLED)));
  return {
    name,
    kind,
    metric: 'tv',
    distance: totalVariationDistance(pooled(real), pooled(synthetic)),
    distribution: categoricalDistribution(real, synthetic, labels),
  };
}

function orMinusInfinity(x: number | undefined): number {
  return x ?? -Infinity;
}
