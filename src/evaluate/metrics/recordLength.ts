/**
 * Length of a record in characters, fields joined by one separator — the way the model sees it and
 * the way synth.json's `generation.maxChars` counts. Measuring fields rather than rendered text keeps
 * real and synthetic records comparable whatever quoting an output format would add.
 */
export function recordLength(fields: readonly string[]): number {
  let length = Math.max(0, fields.length - 1);
  for (const field of fields) length += [...field].length;
  return length;
}
