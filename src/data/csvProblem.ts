/** Longest stretch of a field's value a CSV error quotes. */
const VALUE_PREVIEW_CHARS = 60;

/**
 * csv-parse's message for a bad row, made fit for one line of stderr: its first line only, and the
 * value it quotes (`value is "..."`, the whole field: 1 MB for a 1 MB field, newlines and all) cut
 * to a preview with its length (fuzz: a 1 MB field gave a 1 MB error line).
 */
export function csvProblem(error: Error): string {
  const text = error.message.replace(/value is "([\s\S]*)"$/, (_, value: string) =>
    value.length <= VALUE_PREVIEW_CHARS && !/[\r\n]/.test(value) ? `value is ${JSON.stringify(value)}` : `value is ${JSON.stringify(value.slice(0, VALUE_PREVIEW_CHARS))}... (${value.length} characters)`,
  );
  return text.split(/\r?\n/)[0]!;
}
