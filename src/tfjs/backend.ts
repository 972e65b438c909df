import type * as TF from '@tensorflow/tfjs';

export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';
export type Tf = typeof TF;

export interface LoadedTf {
  tf: Tf;
  backend: TfBackendName;
}

/**
 * Loads TensorFlow.js on the requested backend. `auto` prefers native libtensorflow
 * (@tensorflow/tfjs-node, an optional dependency that often cannot install) and falls back to wasm;
 * the pure-JS cpu backend is ~30x slower than wasm here and is only used when asked for.
 */
export async function loadTf(
  preference: TfBackendName | 'auto',
  warn: (line: string) => void = () => {},
): Promise<LoadedTf> {
  if (preference === 'tensorflow' || preference === 'auto') {
    try {
      // tfjs-node bundles its own tfjs-core; using its namespace keeps one registry of kernels.
      const tf = (await import('@tensorflow/tfjs-node' as string)) as Tf;
      await tf.setBackend('tensorflow');
      await tf.ready();
      return { tf, backend: 'tensorflow' };
    } catch (error) {
      if (preference === 'tensorflow') throw new Error(`the tensorflow backend (@tensorflow/tfjs-node) did not load: ${firstLine(error)}`);
      warn(`note: @tensorflow/tfjs-node is not available (${firstLine(error)}); using the wasm backend`);
    }
  }
  const tf = await import('@tensorflow/tfjs');
  if (preference === 'cpu') {
    await tf.setBackend('cpu');
    await tf.ready();
    return { tf, backend: 'cpu' };
  }
  await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend of TensorFlow.js failed to initialise');
  await tf.ready();
  return { tf, backend: 'wasm' };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.slice(0, 200);
}
