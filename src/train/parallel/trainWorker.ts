import { parentPort, workerData } from 'node:worker_threads';
import { GradientSession, loadOrt } from '../onnx/gradientSession.js';
import { parameterSpans } from './flatParameters.js';
import type { ShareRequest, TrainWorkerReply, TrainWorkerSetup } from './messages.js';

/** A training worker: runs the ONNX training graphs on its share of each batch (see parallelTrainer.ts). */
const setup = workerData as TrainWorkerSetup;
const ort = await loadOrt();
const session = new GradientSession(ort, setup.shape, setup.threads, setup.chunk);
const spans = parameterSpans(setup.shape);
const parameters = spans.reduce((n, s) => n + s.length, 0);
// onnxruntime-node refuses tensors on a SharedArrayBuffer ("Invalid argument"), so the shared
// weights, inputs and gradient slot are copied to and from private arrays at the boundary (~1 ms
// per million floats, against hundreds of ms of compute).
const sharedWeights = new Float32Array(setup.weights);
const slot = new Float32Array(setup.gradients, setup.slot * parameters * 4, parameters);
const localWeights = new Float32Array(parameters);
const localGrads = new Float32Array(parameters);
const weights = spans.map((s) => localWeights.subarray(s.offset, s.offset + s.length));
const grads = spans.map((s) => localGrads.subarray(s.offset, s.offset + s.length));

// The private copies of a share's inputs are kept from batch to batch, not sliced anew: a fresh
// copy of the dropout masks alone is 6.6 MB of garbage per batch at the default shape.
const copies = new Map<string, Int32Array | Float32Array>();
function privateCopy<A extends Int32Array | Float32Array>(name: string, source: A): A {
  let copy = copies.get(name) as A | undefined;
  if (!copy || copy.length < source.length) copies.set(name, (copy = new (source.constructor as new (length: number) => A)(source.length)));
  const view = copy.subarray(0, source.length) as A;
  view.set(source);
  return view;
}

parentPort!.on('message', (request: ShareRequest) => {
  const { scale, ...shared } = request;
  localWeights.set(sharedWeights);
  const inputs = {
    ...shared,
    ids: privateCopy('ids', shared.ids),
    targets: privateCopy('targets', shared.targets),
    keep: privateCopy('keep', shared.keep),
    masks: shared.masks?.map((m, l) => privateCopy(`mask${l}`, m)) ?? null,
  };
  session.run(weights, inputs, scale === null ? null : grads, scale ?? 0).then(
    (lossSum) => {
      if (scale !== null) slot.set(localGrads);
      parentPort!.postMessage({ ok: true, lossSum } satisfies TrainWorkerReply);
    },
    (error: unknown) => parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) } satisfies TrainWorkerReply),
  );
});
parentPort!.postMessage({ ok: true, lossSum: 0 } satisfies TrainWorkerReply);
