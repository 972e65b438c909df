import type { Candidate, GenerationPlan } from '../generator.js';
import type { BackendChoice } from '../kernels/createKernel.js';
import type { SharedWeights } from './sharedWeights.js';
import type { ReadyMessage } from '../../workers/workerThread.js';
import { type Message } from '../../errors.js';

/** What a candidate worker is started with. */
export interface WorkerSetup {
  workerId: number;
  weights: SharedWeights;
  backend: BackendChoice;
  batchSize: number;
  threads: number;
  endOfRecord: number;
  /** The plan without its range; ranges come as RangeRequest messages. */
  plan: Omit<GenerationPlan, 'firstIndex' | 'endIndex'>;
  /** Test hook: fail on reaching this candidate index, by throwing or by exiting the thread. */
  crash?: CrashHook;
}

export interface CrashHook {
  atIndex: number;
  how: 'throw' | 'exit';
}

/** Coordinator -> worker: generate candidates [first, end). */
export interface RangeRequest {
  type: 'range';
  first: number;
  end: number;
}

/**
 * Coordinator -> worker: stop after the current step and exit. Stopping is asked for rather than
 * forced with Worker#terminate, because terminating a thread while onnxruntime's binding is
 * inside a native call aborts the whole process ("terminate called after throwing Napi::Error").
 */
export interface StopRequest {
  type: 'stop';
}

export type CoordinatorMessage = RangeRequest | StopRequest;

/**
 * Consecutive candidates first, first+1, ... of one range, packed into typed arrays so a message
 * is a few transferable buffers rather than thousands of small objects to clone.
 */
export interface CandidateBatch {
  type: 'candidates';
  rangeFirst: number;
  first: number;
  /** ids of candidate i are ids[offsets[i] .. offsets[i+1]). */
  offsets: Int32Array;
  ids: Int32Array;
  prefixes: Int32Array;
  steps: Int32Array;
  ended: Uint8Array;
  /** The range is complete after this batch. */
  last: boolean;
}

/** Worker -> coordinator, once its kernel is built: the backend it runs on. */
export interface ReadyWithBackend extends ReadyMessage {
  backend: string;
}

/** Worker -> coordinator after ready (a warning may also come before it). */
export type WorkerMessage = { type: 'warn'; warning: Message } | CandidateBatch;

/** Packs candidates (consecutive indices) for posting; returns the batch and its transfer list. */
export function packCandidates(rangeFirst: number, candidates: readonly Candidate[], last: boolean): [CandidateBatch, ArrayBuffer[]] {
  const offsets = new Int32Array(candidates.length + 1);
  candidates.forEach((c, i) => (offsets[i + 1] = offsets[i]! + c.ids.length));
  const ids = new Int32Array(offsets[candidates.length]!);
  candidates.forEach((c, i) => ids.set(c.ids, offsets[i]!));
  const batch: CandidateBatch = {
    type: 'candidates',
    rangeFirst,
    first: candidates[0]?.index ?? rangeFirst,
    offsets,
    ids,
    prefixes: Int32Array.from(candidates, (c) => c.prefix),
    steps: Int32Array.from(candidates, (c) => c.steps),
    // 2: rejected by a condition (Candidate.rejected).
    ended: Uint8Array.from(candidates, (c) => (c.rejected ? 2 : c.ended ? 1 : 0)),
    last,
  };
  return [batch, [offsets.buffer, ids.buffer, batch.prefixes.buffer, batch.steps.buffer, batch.ended.buffer] as ArrayBuffer[]];
}

/** The candidates of a batch, in index order. */
export function unpackCandidates(batch: CandidateBatch): Candidate[] {
  const out: Candidate[] = new Array(batch.prefixes.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = {
      index: batch.first + i,
      prefix: batch.prefixes[i]!,
      ids: Array.from(batch.ids.subarray(batch.offsets[i]!, batch.offsets[i + 1]!)),
      ended: batch.ended[i] === 1,
      ...(batch.ended[i] === 2 ? { rejected: true } : {}),
      steps: batch.steps[i]!,
    };
  }
  return out;
}
