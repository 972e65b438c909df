import { performance } from 'node:perf_hooks';
import type { ModelWeights } from '../../model/manifest.js';
import { createKernel, type BackendName } from './createKernel.js';

export interface BackendProbe {
  backend: BackendName;
  ok: boolean;
  /** Time to build a kernel and run one step, when it loads. */
  startMs?: number;
  /** Why it did not load (first line of the error). */
  reason?: string;
}

const ALL: readonly BackendName[] = ['onnx', 'onnx-int8', 'tensorflow', 'wasm', 'cpu'];

/** Starts each backend on `weights` (batch of one, one step) and reports which load here. */
export async function probeBackends(weights: ModelWeights): Promise<BackendProbe[]> {
  const probes: BackendProbe[] = [];
  for (const backend of ALL) {
    const started = performance.now();
    try {
      const kernel = await createKernel(weights, backend, { batchSize: 1, threads: 1 }, () => {});
      const state = kernel.units.flatMap((u) => [new Float32Array(u), new Float32Array(u)]);
      await kernel.step(new Int32Array(1), state);
      await kernel.dispose();
      probes.push({ backend, ok: true, startMs: Math.round(performance.now() - started) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      probes.push({ backend, ok: false, reason: message.replace(/^.*? could not start: /, '').split('\n')[0]!.slice(0, 200) });
    }
  }
  return probes;
}
