import { parentPort, workerData } from 'node:worker_threads';
import { parameterCount, viewParameters } from './flatParameters.js';
import { GradientSession } from './gradientSession.js';
import { loadOrt } from '../../onnx/loadOrt.js';
import { OutputCopies } from './outputCopies.js';
import { SharePasses } from './sharePasses.js';
import type { ShareRequest, TrainWorkerReply, TrainWorkerSetup } from './workerMessages.js';
import type { ReadyMessage } from '../../workers/workerThread.js';
import { bytesPerRow } from './workspace.js';

/** A training worker: runs the ONNX training graphs on its share of each batch (see onnxTrainer.ts). */
const setup = workerData as TrainWorkerSetup;
const ort = await loadOrt();
const session = new GradientSession(ort, setup.shape, setup.threads, setup.chunk, new OutputCopies(undefined, setup.processTuning));
const parameters = parameterCount(setup.shape);
// onnxruntime-node refuses tensors on a SharedArrayBuffer ("Invalid argument"), so the shared
// weights, inputs and gradient slot are copied to and from private arrays at the boundary (~1 ms
// per million floats, against hundreds of ms of compute).
const sharedWeights = new Float32Array(setup.weights);
const slot = new Float32Array(setup.gradients, setup.slot * parameters * 4, parameters);
const localWeights = new Float32Array(parameters);
const localGrads = new Float32Array(parameters);
const weights = viewParameters(setup.shape, localWeights.buffer);
const grads = viewParameters(setup.shape, localGrads.buffer);
const passes = new SharePasses(setup.shape.units);

/**
 * The share's summed loss; with a scale, its gradient (of loss · scale) is written to the slot. A
 * share in several passes sums them in the slot (pass 0 set, later ones added, in pass order), so
 * no second private gradient array is kept (4.8 MB per worker at the default shape); the main
 * thread reads the slots only after every worker has replied.
 */
async function runShare(request: ShareRequest): Promise<number> {
  const { scale, ...share } = request;
  const count = Math.ceil((share.batchSize * bytesPerRow(setup.shape, share.steps)) / setup.passBytes);
  let lossSum = 0;
  let pass = 0;
  for (const inputs of passes.of(share, count)) {
    lossSum += await session.run(weights, inputs, scale === null ? null : grads, scale ?? 0);
    if (scale !== null && pass === 0) slot.set(localGrads);
    else if (scale !== null) for (let i = 0; i < parameters; i++) slot[i] += localGrads[i]!;
    pass++;
  }
  return lossSum;
}

parentPort!.on('message', (request: ShareRequest) => {
  localWeights.set(sharedWeights);
  runShare(request).then(
    (lossSum) => parentPort!.postMessage({ ok: true, lossSum } satisfies TrainWorkerReply),
    (error: unknown) => parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) } satisfies TrainWorkerReply),
  );
});
parentPort!.postMessage({ type: 'ready' } satisfies ReadyMessage);
