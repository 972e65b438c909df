/**
 * Range masks for integer and decimal fields: whether a number being written can still end inside
 * [min, max]. A DFA over digits would need a state per value; instead the mask asks, for each
 * digit token, whether the text with that digit still has a completion in range.
 */

export interface NumberRange {
  min: number;
  max: number;
  /** Most digits after the point (0 for integers). */
  scale: number;
  /** Most digits before the point. */
  intDigits: number;
}

/**
 * `text` (a prefix the format automaton allows: -?digits(.digits)?) can still be completed to a
 * number within the range.
 */
export function canReachRange(text: string, r: NumberRange): boolean {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  if (body === '') return negative ? r.min < 0 : true;
  const point = body.indexOf('.');
  const sign = negative ? -1 : 1;
  // Completions of a prefix cover magnitudes [low, high - one unit of the last place], mirrored for negatives.
  const unit = 10 ** -r.scale;
  const hits = (low: number, high: number): boolean => {
    const top = high - unit;
    const a = negative ? -top : low;
    const b = negative ? -low : top;
    return a <= r.max + unit / 2 && b >= r.min - unit / 2;
  };
  if (point >= 0) {
    const fracLength = body.length - point - 1;
    const value = Number(body.slice(0, point) + '.' + (fracLength > 0 ? body.slice(point + 1) : '0'));
    if (fracLength >= r.scale) return inRange(sign * value, r);
    return hits(value, value + 10 ** -fracLength);
  }
  const n = Number(body);
  if (inRange(sign * n, r)) return true;
  if (r.scale > 0 && hits(n, n + 1)) return true;
  if (n === 0) return false; // no digits follow a leading zero
  for (let extra = 1; body.length + extra <= r.intDigits; extra++) {
    if (hits(n * 10 ** extra, (n + 1) * 10 ** extra)) return true;
  }
  return false;
}

/** The complete text is a number within the range. */
export function endsInRange(text: string, r: NumberRange): boolean {
  if (text === '' || text === '-' || text.endsWith('.')) return false;
  return inRange(Number(text), r);
}

function inRange(n: number, r: NumberRange): boolean {
  return n >= r.min && n <= r.max;
}
