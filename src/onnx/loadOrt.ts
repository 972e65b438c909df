import type * as Ort from 'onnxruntime-node';

export type OrtModule = typeof Ort;

/** onnxruntime-node, loaded on demand so the TensorFlow.js paths never pay for it; one loader for the generation kernel and the trainer. */
export async function loadOrt(): Promise<OrtModule> {
  const { default: ort } = (await import('onnxruntime-node')) as unknown as { default: OrtModule };
  // onnxruntime's own warnings (e.g. a telemetry id it cannot persist under a read-only HOME) are
  // not the user's business; real failures still arrive as exceptions.
  ort.env.logLevel = 'error';
  return ort;
}
