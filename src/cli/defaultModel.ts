import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundled model, resolved from the installed package (dist/src/cli is three levels down). */
export function defaultModelDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/default-model');
}
