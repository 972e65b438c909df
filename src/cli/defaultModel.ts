import { bundledModelDir } from '../model/bundledModel.js';

/** The bundled model (see model/bundledModel.ts), the default of every --model flag. */
export function defaultModelDir(): string {
  return bundledModelDir();
}
