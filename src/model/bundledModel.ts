import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The bundled model, resolved from this file's place in the installed package
 * (dist/src/model/bundledModel.js is three levels below the package root), so it is found
 * wherever the package is installed: a checkout, node_modules, or a global prefix.
 */
export function bundledModelDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/default-model');
}
