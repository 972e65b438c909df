import { message, option, UsageError, type Message } from '../errors.js';
import type { ConditionRequest } from '../schema/checkCondition.js';
import type { FieldCondition } from '../schema/fieldCondition.js';

/**
 * Parses one --where condition: `FIELD=VALUE`, a set `FIELD=a|b|c`, or a range `FIELD=LO..HI`
 * with either end left open (`age=30..`, `age=..39`). A backslash makes the next character plain
 * text, so a value can hold `|`, `..` or `\` (`company=Smith\|Jones`, `note=wait\..`, `dir=C:\\x`)
 * and a field name `=` (`a\=b=1`). The result is checked against the model later (checkCondition.ts).
 */
export function parseWhere(text: string, source: Message = message`${option('where')} ${JSON.stringify(text)}`): ConditionRequest {
  const fail = (why: string): never => {
    throw new UsageError(message`${source}: ${why}; write FIELD=VALUE, FIELD=a|b|c or FIELD=LO..HI (a backslash before |, .. or = makes it part of a value)`);
  };
  const chars = unescape(text, fail);
  const equals = chars.findIndex((c) => !c.escaped && c.ch === '=');
  if (equals < 0) fail('no "=" between the field and its value');
  const field = plain(chars.slice(0, equals));
  if (field === '') fail('no field name before "="');
  const spec = chars.slice(equals + 1);
  const dots = findDots(spec, 0);
  if (dots >= 0) {
    if (findDots(spec, dots + 2) >= 0) fail('more than one ".." (write a ".." that is part of a value as \\.\\.)');
    if (spec.some((c) => !c.escaped && c.ch === '|')) fail('a range LO..HI cannot also list values with "|"');
    const min = plain(spec.slice(0, dots));
    const max = plain(spec.slice(dots + 2));
    if (min === '' && max === '') fail('a range needs at least one end (LO.., ..HI or LO..HI)');
    return { source, field, kind: 'range', ...(min === '' ? {} : { min }), ...(max === '' ? {} : { max }) };
  }
  const values: string[] = [];
  let start = 0;
  spec.forEach((c, i) => {
    if (c.escaped || c.ch !== '|') return;
    values.push(plain(spec.slice(start, i)));
    start = i + 1;
  });
  values.push(plain(spec.slice(start)));
  if (values.some((v) => v === '')) fail(values.length > 1 ? 'an empty value in the set' : `no value after "${field}="`);
  return { source, field, kind: 'values', values };
}

interface Char {
  ch: string;
  escaped: boolean;
}

function unescape(text: string, fail: (why: string) => never): Char[] {
  const chars: Char[] = [];
  const all = [...text];
  for (let i = 0; i < all.length; i++) {
    if (all[i] !== '\\') {
      chars.push({ ch: all[i]!, escaped: false });
      continue;
    }
    if (i + 1 === all.length) fail('a backslash at the end escapes nothing (write \\\\ for a backslash)');
    chars.push({ ch: all[++i]!, escaped: true });
  }
  return chars;
}

/** Index of the first unescaped ".." at or after `from`, or -1. */
function findDots(chars: readonly Char[], from: number): number {
  for (let i = from; i + 1 < chars.length; i++) {
    if (!chars[i]!.escaped && !chars[i + 1]!.escaped && chars[i]!.ch === '.' && chars[i + 1]!.ch === '.') return i;
  }
  return -1;
}

function plain(chars: readonly Char[]): string {
  return chars.map((c) => c.ch).join('');
}

/**
 * A checked condition as --where text, `name` its field's name: what a report shows, and what
 * parseWhere reads back to the same condition (escapes added where the text needs them).
 */
export function formatWhere(condition: FieldCondition, name: string): string {
  const field = name.replace(/[\\=]/g, (c) => `\\${c}`);
  if (condition.kind === 'range') return `${field}=${condition.min ?? ''}..${condition.max ?? ''}`;
  return `${field}=${condition.values.map(escapeValue).join('|')}`;
}

/** Backslashes, bars and every dot of a run of dots made plain text, as parseWhere reads them. */
function escapeValue(value: string): string {
  return value.replace(/\\|\||\.{2,}/g, (s) => (s.startsWith('.') ? s.replace(/\./g, '\\.') : `\\${s}`));
}
