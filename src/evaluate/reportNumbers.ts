/** A score as the report prints it, three decimals; `—` where it is not defined. */
export function fixed(x: number | null): string {
  return x === null ? '—' : x.toFixed(3);
}

/** A share as the report prints it: 0.1234 → "12.3%". */
export function percent(share: number): string {
  return `${(100 * share).toFixed(1)}%`;
}
