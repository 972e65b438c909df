/**
 * Real-quantile bins for numeric columns in contingency tables: the edges are the 1/k … (k-1)/k
 * quantiles of the real numbers (linear interpolation, numpy's default), duplicates dropped, so a
 * column with few distinct values gets fewer, non-empty bins. The outer bins are open, so synthetic
 * values outside the real range still land in a bin.
 */
export function quantileEdges(numbers: readonly number[], bins: number): Float64Array {
  if (numbers.length === 0) return new Float64Array(0);
  const sorted = Float64Array.from(numbers).sort();
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const position = (k / bins) * (sorted.length - 1);
    const below = Math.floor(position);
    const above = Math.min(sorted.length - 1, below + 1);
    const edge = sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  return Float64Array.from(edges);
}

/** The bin of x: the number of edges ≤ x (0 … edges.length). */
export function binOf(edges: Float64Array, x: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (edges[mid]! <= x) low = mid + 1;
    else high = mid;
  }
  return low;
}
