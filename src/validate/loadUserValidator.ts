import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { message, option, UsageError } from '../errors.js';

/** The contract of a --validator module's default export. */
export type UserValidator = (text: string, fields: string[]) => unknown;

/**
 * Imports a --validator module, resolved against `cwd`, and returns its default export.
 * Every way it can be unusable is a UsageError naming the path, raised before generation starts.
 */
export async function loadUserValidator(modulePath: string, cwd: string = process.cwd()): Promise<UserValidator> {
  const resolved = path.resolve(cwd, modulePath);
  const fail = (what: string) => new UsageError(message`${option('validator')} ${modulePath}: ${what}`);

  const info = await stat(resolved).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw fail(`no such file (looked for ${resolved})`);
    throw fail(`cannot read it: ${error.message}`);
  });
  if (!info.isFile()) throw fail('is not a file; give the path of a JavaScript module (.mjs or .js)');

  let namespace: { default?: unknown };
  try {
    namespace = await import(pathToFileURL(resolved).href);
  } catch (error) {
    throw fail(`failed to load: ${firstLine(error)}`);
  }
  const exported = namespace.default;
  if (exported === undefined) {
    throw fail('has no default export; export a function: export default (text, fields) => true or false');
  }
  if (typeof exported !== 'function') {
    throw fail(`its default export is ${describeType(exported)}, expected a function (text, fields) => true or false`);
  }
  return exported as UserValidator;
}

/** "SyntaxError: Unexpected token ';'" — enough to find the mistake, without a stack trace. */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n', 1)[0]!;
}

/** A type name as a JavaScript user would say it: null and array are not "object". */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'undefined';
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
