import type { ModelWeights } from '../../model/manifest.js';
import type { KernelOptions, StepKernel } from './kernel.js';
import { firstLineOf, message, type Warn } from '../../errors.js';

/** `onnx-int8`: onnx with int8 weight products; faster, slightly different numbers, never chosen by auto. */
export type BackendChoice = 'auto' | 'onnx' | 'onnx-int8' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendName = Exclude<BackendChoice, 'auto'>;

/** Fastest first: what `auto` tries, in order. `cpu` (pure JS, ~30x slower than wasm) only on request. */
const AUTO_ORDER: readonly BackendName[] = ['onnx', 'tensorflow', 'wasm'];

const DESCRIPTION: Record<BackendName, string> = {
  onnx: 'onnx backend (onnxruntime-node)',
  'onnx-int8': 'onnx-int8 backend (onnxruntime-node)',
  tensorflow: 'tensorflow backend (@tensorflow/tfjs-node)',
  wasm: 'wasm backend (@tensorflow/tfjs-backend-wasm)',
  cpu: 'cpu backend (@tensorflow/tfjs)',
};

/** How to get the native backend when onnxruntime-node did not install or load. */
export const ONNX_HINT =
  'For the native backend: ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@1 (the variable skips its CUDA download)';

/**
 * A backend that was asked for by name could not start, or under `auto` none did. Plain, so it
 * survives a worker thread's error cloning by name; the generate pipeline wraps it in BackendError.
 */
export class BackendUnavailableError extends Error {
  constructor(readonly backend: BackendChoice, reason: string) {
    super(backend === 'auto' ? `no compute backend could start: ${reason}` : `the ${DESCRIPTION[backend]} could not start: ${reason}`);
    this.name = 'BackendUnavailableError';
  }
}

/**
 * The step kernel for a backend choice. `auto` takes the first of onnx, tensorflow, wasm that
 * starts and, if any before it failed, says so in one `warn` line; a named backend that fails
 * throws BackendUnavailableError. Backends are imported on demand, so the onnx path never loads
 * TensorFlow.js (which alone costs ~0.2 s of start-up).
 */
export async function createKernel(
  weights: ModelWeights,
  choice: BackendChoice,
  options: KernelOptions,
  warn: Warn,
): Promise<StepKernel> {
  if (choice !== 'auto') {
    try {
      return await createNamedKernel(weights, choice, options);
    } catch (error) {
      throw new BackendUnavailableError(choice, firstLineOf(error));
    }
  }
  const failures: string[] = [];
  for (const backend of AUTO_ORDER) {
    try {
      const kernel = await createNamedKernel(weights, backend, options);
      // Only onnx is worth a line: it is the native backend synth installs, and the line says how
      // to get it back. tfjs-node is optional; `synth doctor` says why it did not load.
      if (failures.length > 0 && backend !== 'tensorflow') warn(message`note: ${failures[0]}; using the ${backend} backend. ${ONNX_HINT}`);
      return kernel;
    } catch (error) {
      failures.push(`${backend} unavailable (${firstLineOf(error)})`);
    }
  }
  throw new BackendUnavailableError('auto', failures.join('; '));
}

async function createNamedKernel(weights: ModelWeights, backend: BackendName, options: KernelOptions): Promise<StepKernel> {
  if (backend === 'onnx' || backend === 'onnx-int8') {
    const { createOnnxKernel } = await import('./onnx/onnxKernel.js');
    return createOnnxKernel(weights, { ...options, quantize: backend === 'onnx-int8' });
  }
  const { createTfjsKernel } = await import('./tfjs/tfjsKernel.js');
  return createTfjsKernel(weights, { ...options, backend });
}
