import { threadsPerWorker } from '../../workers/threadsPerWorker.js';
import { WorkerThread } from '../../workers/workerThread.js';
import type { ModelWeights } from '../../model/manifest.js';
import type { Candidate, GenerationPlan } from '../generator.js';
import type { BackendChoice } from '../kernels/createKernel.js';
import { unpackCandidates, type CandidateBatch, type CoordinatorMessage, type CrashHook, type ReadyWithBackend, type WorkerMessage, type WorkerSetup } from './messages.js';
import { shareWeights } from './sharedWeights.js';
import { apiOptionName, formatMessage, type Warn } from '../../errors.js';

export interface ParallelOptions {
  weights: ModelWeights;
  backend: BackendChoice;
  batchSize: number;
  workers: number;
  endOfRecord: number;
  plan: GenerationPlan;
  /** Candidates per range handed to a worker; default: growing from 4 to 32 batches (see rangeSize). */
  chunkSize?: number;
  /** Intra-op threads per worker; default: the cores divided among the workers, at least 1. */
  threadsPerWorker?: number;
  warn: Warn;
  /** Test hook: the worker that reaches this candidate fails. */
  crash?: CrashHook;
}

export interface ParallelSource {
  /** Candidates in index order; leaving the loop early (return()) stops every worker. */
  candidates: AsyncGenerator<Candidate>;
  /** Backend the workers' kernels run on, e.g. "onnx". */
  backend: string;
  /** Terminates every worker; safe to call more than once. */
  close(): Promise<void>;
}

/** Ranges a worker may hold at once (the one it runs and the next), which bounds buffering. */
const RANGES_PER_WORKER = 2;

/**
 * Size of the n-th range handed out, a compromise between two losses. Within a range a worker's
 * batch stays full only while the range has candidates left, so each range ends with a tail of
 * idle rows: measured with batch 64 and one worker, ranges of 16 batches lose ~6% to it, of 32
 * ~3%. But the last range of a run may be computed by one worker while the others idle, which
 * favours short ranges: with batch 256, 2 workers, 20k records, ranges of up to 32 batches ran
 * 126-134k tokens/s, of up to 8 batches 146-152k. So: 4 batches at first (doubling per round of
 * workers, so a short run still reaches every worker), then at most 2048 candidates, and never
 * fewer than 8 batches.
 */
export function rangeSize(n: number, batchSize: number, workers: number): number {
  const batches = Math.min(32, 4 * 2 ** Math.floor(n / workers));
  return Math.max(64, Math.min(batches * batchSize, Math.max(2048, 8 * batchSize)));
}

interface Range {
  first: number;
  end: number;
  worker: WorkerState;
  received: Candidate[];
  /** Next of `received` to hand to the consumer. */
  taken: number;
  done: boolean;
}

interface WorkerState {
  id: number;
  thread: WorkerThread<WorkerSetup, CoordinatorMessage, WorkerMessage, ReadyWithBackend>;
  inFlight: number;
}

/**
 * A worker's garbage is mostly small wrappers of large typed arrays (onnxruntime's output tensors,
 * per-range state), freed only when a scavenge collects the wrappers. With V8's default young
 * generation scavenges are rare and the arrays pile up. Peak RSS of a 300k-record run (2 workers,
 * batch 64, --max-chars 8): 337 MB with 64 MB, 312 MB with 8, 289 MB with 4, 216 MB with 2, at
 * the same tokens/s.
 */
const YOUNG_GENERATION_MB = 2;

/** How long a worker gets to finish its step and exit after a stop request before it is killed. */
const STOP_GRACE_MS = 5000;

/**
 * Generates candidates with worker threads, each with its own kernel: a coordinator hands out
 * ranges [k, k + chunk) of candidate indices and merges the results strictly in index order, at
 * most RANGES_PER_WORKER ranges per worker ahead of the consumer. Resolves once every worker's
 * kernel is ready (so a backend that fails to start fails here, before any output). A worker that
 * throws or exits ends the stream with an error naming it; nothing waits forever.
 */
export async function generateCandidatesParallel(options: ParallelOptions): Promise<ParallelSource> {
  const count = options.workers;
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`workers must be a positive integer, got ${count}`);
  const chunk = options.chunkSize;
  if (chunk !== undefined && !(Number.isSafeInteger(chunk) && chunk > 0)) throw new RangeError(`chunk size must be a positive integer, got ${chunk}`);
  let rangesHandedOut = 0;
  const threads = options.threadsPerWorker ?? threadsPerWorker(count);
  const { firstIndex, endIndex, ...plan } = options.plan;
  const planEnd = endIndex ?? Infinity;

  const weights = shareWeights(options.weights);
  const ranges: Range[] = [];
  const rangeByFirst = new Map<number, Range>();
  let nextFirst = firstIndex;
  let failure: Error | null = null;
  let closed = false;
  let wake: (() => void) | null = null;
  const signal = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const warned = new Set<string>();

  const fail = (error: Error): void => {
    if (failure || closed) return;
    failure = error;
    void stopAll();
    signal();
  };

  const assign = (worker: WorkerState, limit = RANGES_PER_WORKER): void => {
    while (!failure && !closed && worker.inFlight < limit && nextFirst < planEnd) {
      const size = chunk ?? rangeSize(rangesHandedOut++, options.batchSize, count);
      const range: Range = { first: nextFirst, end: Math.min(nextFirst + size, planEnd), worker, received: [], taken: 0, done: false };
      nextFirst = range.end;
      ranges.push(range);
      rangeByFirst.set(range.first, range);
      worker.inFlight++;
      worker.thread.post({ type: 'range', first: range.first, end: range.end });
    }
  };

  const receive = (batch: CandidateBatch): void => {
    const range = rangeByFirst.get(batch.rangeFirst);
    if (!range) return; // already dropped by close()
    range.received.push(...unpackCandidates(batch));
    if (batch.last) {
      range.done = true;
      rangeByFirst.delete(range.first);
    }
    signal();
  };

  const workers: WorkerState[] = Array.from({ length: count }, (_, id) => {
    const setup: WorkerSetup = { workerId: id, weights, backend: options.backend, batchSize: options.batchSize, threads, endOfRecord: options.endOfRecord, plan, crash: options.crash };
    const thread = new WorkerThread<WorkerSetup, CoordinatorMessage, WorkerMessage, ReadyWithBackend>(new URL('./candidateWorker.js', import.meta.url), setup, {
      name: `generation worker ${id}`,
      youngGenerationMb: YOUNG_GENERATION_MB,
      onMessage: (message) => {
        if (message.type === 'candidates') return receive(message);
        // Every worker falls back the same way; say it once.
        const text = formatMessage(message.warning, apiOptionName);
        if (!warned.has(text)) {
          warned.add(text);
          options.warn(message.warning);
        }
      },
      onFailure: fail,
    });
    return { id, thread, inFlight: 0 };
  });

  /** Asks every worker to stop and waits until all have exited; a worker that does not is killed. */
  async function stopAll(): Promise<void> {
    await Promise.all(workers.map((w) => w.thread.stop({ type: 'stop' }, STOP_GRACE_MS)));
  }

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= shutDown();
    return closing;
  }

  async function shutDown(): Promise<void> {
    closed = true;
    ranges.length = 0;
    rangeByFirst.clear();
    await stopAll();
    signal();
  }

  let backend: string;
  try {
    const ready = await Promise.all(workers.map((w) => w.thread.ready));
    backend = ready[0]!.backend;
  } catch (error) {
    await close();
    throw failure ?? error;
  }
  // Round-robin at first, so the first ranges in index order run side by side.
  for (let limit = 1; limit <= RANGES_PER_WORKER; limit++) workers.forEach((w) => assign(w, limit));

  async function* candidates(): AsyncGenerator<Candidate> {
    try {
      for (;;) {
        if (failure) throw failure;
        if (closed) return;
        const head = ranges[0];
        if (!head) return; // every range of a bounded plan is consumed
        if (head.taken < head.received.length) {
          const candidate = head.received[head.taken]!;
          head.received[head.taken++] = undefined as unknown as Candidate; // let it be collected
          yield candidate;
          continue;
        }
        if (head.done) {
          ranges.shift();
          head.worker.inFlight--;
          assign(head.worker);
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      await close();
    }
  }

  return { candidates: candidates(), backend, close };
}
