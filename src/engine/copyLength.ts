import type { RecordConstraint } from '../schema/recordConstraint.js';
import { normalizedCopy } from '../tokenizer/charTokenizer.js';

/**
 * How many characters copy token `token` writes in a record whose tokens so far are `ids` (the
 * copy's source field is written before the text that copies it): the source's value, or its
 * normalized form. -1 when `token` is no copy token.
 */
export function copyLength(copies: NonNullable<RecordConstraint['copies']>, ids: readonly number[], token: number): number {
  const k = copies.ids.indexOf(token);
  if (k < 0) return -1;
  const source = copies.sources[k]!;
  let start = -1;
  for (let i = ids.length - 1; i >= 0; i--) {
    if (copies.fieldOf[ids[i]!] === source) {
      start = i + 1;
      break;
    }
  }
  if (start < 0) return 0;
  let value = '';
  for (let i = start; i < ids.length && copies.fieldOf[ids[i]!]! < 0; i++) value += copies.text[ids[i]!] ?? '';
  return copies.normalized[k] ? normalizedCopy(value).length : value.length;
}
