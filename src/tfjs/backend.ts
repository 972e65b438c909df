import type * as TF from '@tensorflow/tfjs';
import { firstLineOf, message, type Warn } from '../errors.js';

export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';
export type Tf = typeof TF;

/** A TensorFlow.js backend asked for by name that cannot start on this machine. */
export class TfBackendUnavailableError extends Error {
  constructor(readonly backend: TfBackendName, readonly reason: string) {
    super(`the ${backend} backend of TensorFlow.js did not load: ${reason}`);
    this.name = 'TfBackendUnavailableError';
  }
}

export interface LoadedTf {
  tf: Tf;
  backend: TfBackendName;
}

/**
 * Whether `auto` says that the optional @tensorflow/tfjs-node did not load. Off by default: the
 * user did not ask for it and cannot act on it every run; `--verbose` turns it on (cli/main.ts)
 * and `synth doctor` reports it.
 */
let optionalBackendNotes = false;
export function showOptionalBackendNotes(show: boolean): void {
  optionalBackendNotes = show;
}

/**
 * Loads TensorFlow.js on the requested backend. `auto` prefers native libtensorflow
 * (@tensorflow/tfjs-node, an optional dependency that often cannot install) and falls back to wasm;
 * the pure-JS cpu backend is ~30x slower than wasm here and is only used when asked for.
 */
export async function loadTf(
  preference: TfBackendName | 'auto',
  warn: Warn = () => {},
): Promise<LoadedTf> {
  if (preference === 'tensorflow' || preference === 'auto') {
    try {
      // tfjs-node bundles its own tfjs-core; using its namespace keeps one registry of kernels.
      const tf = (await import('@tensorflow/tfjs-node' as string)) as Tf;
      await tf.setBackend('tensorflow');
      await tf.ready();
      quietTf(tf);
      return { tf, backend: 'tensorflow' };
    } catch (error) {
      if (preference === 'tensorflow') throw new TfBackendUnavailableError('tensorflow', `@tensorflow/tfjs-node: ${firstLineOf(error)}`);
      if (optionalBackendNotes) warn(message`note: @tensorflow/tfjs-node is not available (${firstLineOf(error)}); using the wasm backend`);
    }
  }
  const tf = await import('@tensorflow/tfjs');
  quietTf(tf);
  if (preference === 'cpu') {
    await tf.setBackend('cpu');
    await tf.ready();
    return { tf, backend: 'cpu' };
  }
  await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm'))) throw new TfBackendUnavailableError('wasm', 'the wasm module failed to initialise');
  await tf.ready();
  return { tf, backend: 'wasm' };
}

/**
 * Production mode: skips debug checks and silences TensorFlow.js's console notes (the cpu backend's
 * "install our node backend" banner would otherwise land on the user's stderr, once per worker).
 */
function quietTf(tf: Tf): void {
  tf.env().set('PROD', true);
}
