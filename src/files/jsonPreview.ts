/**
 * A value read from a JSON file, as an error message shows it: one short line whatever the value.
 * JSON.stringify would quote a 100,000-character string whole and overflow the stack on an array
 * nested 10,000 deep; lists and objects are only described.
 */
export function jsonPreview(value: unknown, maxChars = 60): string {
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = JSON.stringify(value);
  return text.length > maxChars ? `${text.slice(0, maxChars)}... (${text.length} characters)` : text;
}

/** Whether a value read from a JSON file is an object (not null, not a list), as the files' checks require. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
