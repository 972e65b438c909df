import type { CaseRandom } from './random.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Container = Json[] | { [key: string]: Json };

/** Values that have broken parsers before: wrong types, edges of number ranges, empty and huge. */
function interestingValue(random: CaseRandom, old: Json): Json {
  return random.weighted<() => Json>([
    [3, () => null],
    [1, () => random.pick([true, false])],
    [4, () => random.pick([0, -1, 1, 2, -0.5, 0.5, 1.5, 255, 256, 65535, 65536, 2 ** 31, 2 ** 32, 2 ** 53, 1e21, 1e308, -1e308, 5e-324])],
    [2, () => random.pick(['', 'x', ' ', '\u0000', 'é', '😀', '<EOR>', '<SEP1>', '2019-02-30', 'YYYY-MM-DD', 'NaN', '-1'])],
    [1, () => 'a'.repeat(random.pick([1000, 100_000]))],
    [2, () => random.pick<Json>([[], {}, [null], [1, 2, 3], { a: 1 }, [[]], ['x']])],
    [1, () => deepNesting(random.pick([100, 10_000]))],
    [3, () => (typeof old === 'number' ? tweakNumber(random, old) : JSON.stringify(old) ?? null)],
    [2, () => (typeof old === 'string' ? tweakString(random, old) : typeof old === 'number' ? String(old) : null)],
    [2, () => (Array.isArray(old) ? tweakArray(random, old) : [old])],
  ])();
}

function tweakNumber(random: CaseRandom, n: number): number {
  return random.pick([n + 1, n - 1, -n, n * 1000, n * 1e6, n / 3, Math.floor(n / 2), n + 0.5]);
}

function tweakString(random: CaseRandom, s: string): string {
  const at = random.int(0, s.length);
  return random.pick([
    s.slice(0, at),
    s + s,
    s.slice(0, at) + random.pick(['\u0000', '"', '\\', '\n', '\ud800', '😀', ',', 'Z']) + s.slice(at),
    s.toUpperCase(),
    s.repeat(50),
  ]);
}

function tweakArray(random: CaseRandom, a: Json[]): Json[] {
  if (a.length === 0) return random.pick([[null], [0], ['']]);
  const i = random.int(0, a.length - 1);
  return random.pick([
    a.slice(0, i),
    [...a, a[i]!],
    [...a.slice(0, i), ...a.slice(i + 1)],
    [...a].reverse(),
    a.concat(a),
    [a[i]!],
  ]);
}

/** Stands for `depth` nested arrays until stringifyMutated writes them: JSON.stringify itself overflows the stack on them. */
function deepNesting(depth: number): Json {
  return `${DEEP_MARK}${depth}${DEEP_MARK}`;
}

const DEEP_MARK = '\u0000deep\u0000';
const DEEP_PLACEHOLDER = /"\\u0000deep\\u0000(\d+)\\u0000deep\\u0000"/g;

/** JSON text of a mutated document, with deep nesting written out. */
export function stringifyMutated(doc: unknown, space?: number): string {
  return JSON.stringify(doc, null, space).replace(DEEP_PLACEHOLDER, (_, depth: string) => `${'['.repeat(Number(depth))}1${']'.repeat(Number(depth))}`);
}

/** A node found by a random walk from the root: every top-level field is as likely as the next, however big its arrays. */
function randomNode(random: CaseRandom, root: Container, stopChance: number): { parent: Container; key: string | number; path: string } {
  let parent = root;
  let path = '';
  for (;;) {
    const keys: (string | number)[] = Array.isArray(parent) ? parent.map((_, i) => i) : Object.keys(parent);
    if (keys.length === 0) return { parent, key: Array.isArray(parent) ? 0 : 'extra', path: `${path}.(new)` };
    const key = random.pick(keys);
    const child = (parent as Record<string | number, Json>)[key]!;
    const childPath = typeof key === 'number' ? `${path}[${key}]` : `${path}.${key}`;
    if (child === null || typeof child !== 'object' || random.chance(stopChance)) return { parent, key, path: childPath };
    parent = child;
    path = childPath;
  }
}

/**
 * Mutates a JSON document in place at 1–3 random places (replace, delete, or add a field) and
 * returns what it did, e.g. `.architecture.lstmUnits[0] = -1`.
 */
export function mutateJson(random: CaseRandom, root: Container, operations = random.int(1, 3)): string[] {
  const done: string[] = [];
  for (let i = 0; i < operations; i++) {
    const { parent, key, path } = randomNode(random, root, 0.3);
    const old = (parent as Record<string | number, Json>)[key] ?? null;
    const action = random.weighted([[6, 'replace'], [2, 'delete'], [1, 'add']] as const);
    if (action === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key as string];
      done.push(`delete ${path}`);
    } else if (action === 'add' && !Array.isArray(parent)) {
      const name = random.pick(['extra', '__proto__', 'constructor', 'kind', 'min', 'values']);
      // defineProperty, because assigning "__proto__" would set the prototype instead of a key.
      Object.defineProperty(parent, name, { value: interestingValue(random, null), enumerable: true, writable: true, configurable: true });
      done.push(`add ${path.replace(/\.[^.]*$/, '')}.${name}`);
    } else {
      const value = interestingValue(random, old);
      (parent as Record<string | number, Json>)[key] = value;
      done.push(`${path} = ${preview(value)}`);
    }
  }
  return done;
}

function preview(value: Json): string {
  if (typeof value === 'string' && value.startsWith(DEEP_MARK)) return `a list nested ${value.split(DEEP_MARK)[1]} deep`;
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 40 ? `${text.slice(0, 37)}... (${text.length} chars)` : text;
}

/** Damages a JSON file's text rather than its value: cut short, a byte flipped, a BOM, trailing junk. */
export function damageJsonText(random: CaseRandom, text: string): { text: string; what: string } {
  const at = random.int(0, text.length);
  return random.pick([
    { text: text.slice(0, at), what: `truncated at ${at} of ${text.length} chars` },
    { text: text.slice(0, at) + random.pick(['"', '}', ']', ',', '\u0000', '\\u']) + text.slice(at + 1), what: `char ${at} replaced` },
    { text: `\ufeff${text}`, what: 'UTF-8 BOM before the JSON' },
    { text: `${text}\n{}`, what: 'a second JSON value after the first' },
    { text: '', what: 'empty file' },
    { text: 'null', what: 'the JSON value null' },
    { text: '[]', what: 'an empty JSON array' },
  ]);
}
