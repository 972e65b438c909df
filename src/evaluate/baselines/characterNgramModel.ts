import { RECORD_END, RECORD_START } from '../text/characterNgrams.js';

/**
 * The "character n-gram" baseline for plain text: a Markov chain over code points in which the next
 * character depends on the previous order − 1 (order 3: a trigram model, two characters of context),
 * estimated by counting the training records (maximum likelihood, no smoothing, so every context it
 * reaches has been seen). Records start from a context of start marks and end when the end mark is
 * drawn. It keeps the short-range character statistics of the text and nothing longer, so a model
 * should beat it on record length and on copying fewer training lines, and match it on n-grams.
 */
export const NGRAM_BASELINE_ORDER = 3;

export interface CharacterNgramModel {
  order: number;
  /** Context (order − 1 code points, start marks before the record) → next characters and their cumulative counts. */
  next: Map<string, { chars: string[]; cumulative: Float64Array }>;
  /** Records are cut at this many characters (as the trained model's generation.maxChars is set). */
  maxChars: number;
}

export function fitCharacterNgram(training: readonly string[], order = NGRAM_BASELINE_ORDER): CharacterNgramModel {
  const counts = new Map<string, Map<string, number>>();
  let longest = 0;
  for (const record of training) {
    const chars = [...record, RECORD_END];
    longest = Math.max(longest, chars.length - 1);
    const context = new Array<string>(order - 1).fill(RECORD_START);
    for (const char of chars) {
      const key = contextKey(context);
      let followers = counts.get(key);
      if (!followers) counts.set(key, (followers = new Map()));
      followers.set(char, (followers.get(char) ?? 0) + 1);
      context.push(char);
      context.shift();
    }
  }
  const next = new Map<string, { chars: string[]; cumulative: Float64Array }>();
  for (const [key, followers] of counts) {
    const chars = [...followers.keys()];
    let running = 0;
    next.set(key, { chars, cumulative: Float64Array.from(chars, (char) => (running += followers.get(char)!)) });
  }
  return { order, next, maxChars: Math.ceil(1.5 * longest) + 10 };
}

/** `rows` records drawn from the chain with one seeded uniform source (same seed, same records). */
export function sampleCharacterNgram(model: CharacterNgramModel, rows: number, uniform: () => number): string[] {
  if (model.next.size === 0) return [];
  const records: string[] = [];
  for (let r = 0; r < rows; r++) {
    const context = new Array<string>(model.order - 1).fill(RECORD_START);
    let text = '';
    for (let length = 0; length < model.maxChars; length++) {
      const followers = model.next.get(contextKey(context));
      // Only reached by a context no training record continued, which counting rules out; end safely.
      if (!followers) break;
      const char = followers.chars[pick(followers.cumulative, uniform())]!;
      if (char === RECORD_END) break;
      text += char;
      context.push(char);
      context.shift();
    }
    records.push(text);
  }
  return records;
}

/** The last order − 1 characters as one string (concatenation: this runs once per character). */
function contextKey(context: readonly string[]): string {
  let key = '';
  for (let i = 0; i < context.length; i++) key += context[i]!;
  return key;
}

/** The index whose cumulative count first exceeds u × total (binary search). */
function pick(cumulative: Float64Array, u: number): number {
  const target = u * cumulative[cumulative.length - 1]!;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (cumulative[mid]! > target) high = mid;
    else low = mid + 1;
  }
  return low;
}
