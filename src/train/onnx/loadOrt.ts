import type * as Ort from 'onnxruntime-node';

export type OrtModule = typeof Ort;

/** onnxruntime-node, loaded on demand so the TensorFlow.js paths never pay for it. */
export async function loadOrt(): Promise<OrtModule> {
  const { default: ort } = (await import('onnxruntime-node')) as unknown as { default: OrtModule };
  ort.env.logLevel = 'error';
  return ort;
}
