/** Module resolution hooks registered by failOnnxImport.ts. */
type NextResolve = (specifier: string, context: unknown) => Promise<unknown>;

export async function resolve(specifier: string, context: unknown, nextResolve: NextResolve): Promise<unknown> {
  if (specifier === 'onnxruntime-node') throw new Error('onnxruntime-node: native binding failed to load (injected by the test)');
  return nextResolve(specifier, context);
}
