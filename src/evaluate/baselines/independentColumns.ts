/**
 * The "independent columns" baseline: every field of every row drawn on its own from a uniformly
 * chosen training record. It keeps every column's shape and breaks every relation between columns,
 * so a model should beat it on Column Pair Trends.
 */
export function sampleIndependentColumns(
  training: readonly (readonly string[])[],
  fieldCount: number,
  rows: number,
  uniform: () => number,
): string[][] {
  if (training.length === 0) return [];
  const records: string[][] = [];
  for (let r = 0; r < rows; r++) {
    const fields = new Array<string>(fieldCount);
    for (let c = 0; c < fieldCount; c++) fields[c] = training[Math.floor(uniform() * training.length)]![c] ?? '';
    records.push(fields);
  }
  return records;
}
