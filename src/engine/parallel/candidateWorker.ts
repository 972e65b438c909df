/**
 * Entry of a candidate worker thread: builds its own kernel from the shared weights, then runs
 * generateCandidates over each range the coordinator sends, posting finished candidates in index
 * order. On a stop request it finishes the step in progress, frees the kernel and exits. Any
 * failure escapes as an uncaught error, which the coordinator reports by worker id.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { generateCandidates, type Candidate } from '../generator.js';
import { createKernel } from '../kernels/createKernel.js';
import type { StepKernel } from '../kernels/kernel.js';
import { packCandidates, type CoordinatorMessage, type RangeRequest, type ReadyWithBackend, type WorkerMessage, type WorkerSetup } from './messages.js';
import { viewWeights } from './sharedWeights.js';

/** A partial range is posted after this many candidates or this long, whichever comes first, so
 *  the first records reach the output early without a message per candidate. */
const FLUSH_COUNT = 64;
const FLUSH_MS = 20;

class StopRequested extends Error {}

const setup = workerData as WorkerSetup;
const port = parentPort!;
const post = (message: WorkerMessage | ReadyWithBackend, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

const pending: RangeRequest[] = [];
let stopping = false;
let wake: (() => void) | null = null;
port.on('message', (message: CoordinatorMessage) => {
  if (message.type === 'stop') stopping = true;
  else pending.push(message);
  wake?.();
});

/** The next range, or null once a stop is requested. */
const nextRange = async (): Promise<RangeRequest | null> => {
  while (pending.length === 0 && !stopping) await new Promise<void>((resolve) => (wake = resolve));
  wake = null;
  return stopping ? null : pending.shift()!;
};

/** Longest stretch of steps without a turn of the event loop, in which a stop request can arrive. */
const YIELD_MS = 10;

/**
 * The kernel, refusing to start another step once a stop is requested. Kernels that finish a step
 * without a macrotask (TensorFlow.js' synchronous dataSync) would never let the stop message in,
 * so every YIELD_MS the step first waits one turn of the event loop.
 */
function stoppable(kernel: StepKernel): StepKernel {
  let lastYield = performance.now();
  const check = async (): Promise<void> => {
    if (performance.now() - lastYield >= YIELD_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
    if (stopping) throw new StopRequested();
  };
  const sample = kernel.stepSample;
  return {
    backend: kernel.backend,
    batchSize: kernel.batchSize,
    vocabSize: kernel.vocabSize,
    units: kernel.units,
    masked: kernel.masked,
    step: async (tokens, state) => (await check(), kernel.step(tokens, state)),
    stepSample: sample && (async (tokens, state, uniforms, t, mask) => (await check(), sample.call(kernel, tokens, state, uniforms, t, mask))),
    dispose: () => kernel.dispose(),
  };
}

async function generateRange(kernel: StepKernel, range: RangeRequest): Promise<void> {
  let buffered: Candidate[] = [];
  let lastPost = performance.now();
  const flush = (last: boolean): void => {
    post(...packCandidates(range.first, buffered, last));
    buffered = [];
    lastPost = performance.now();
  };
  const plan = { ...setup.plan, firstIndex: range.first, endIndex: range.end };
  for await (const candidate of generateCandidates(kernel, setup.endOfRecord, plan)) {
    if (setup.crash && candidate.index === setup.crash.atIndex) crash(setup.crash.how, candidate.index);
    buffered.push(candidate);
    if (buffered.length >= FLUSH_COUNT || performance.now() - lastPost >= FLUSH_MS) flush(false);
  }
  flush(true);
}

function crash(how: 'throw' | 'exit', index: number): never {
  if (how === 'exit') process.exit(7);
  throw new Error(`test crash at candidate ${index}`);
}

const weights = viewWeights(setup.weights);
const kernel = stoppable(await createKernel(weights, setup.backend, { batchSize: setup.batchSize, threads: setup.threads, masked: setup.plan.constraint !== undefined }, (warning) => post({ type: 'warn', warning })));
post({ type: 'ready', backend: kernel.backend });
try {
  for (let range = await nextRange(); range; range = await nextRange()) await generateRange(kernel, range);
} catch (error) {
  if (!(error instanceof StopRequested)) throw error;
}
await kernel.dispose();
// Exit explicitly: TensorFlow.js' wasm runtime keeps the thread's event loop alive after dispose.
process.exit(0);
