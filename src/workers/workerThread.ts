import { Worker } from 'node:worker_threads';

/** What a worker posts once, when it can take work; a pool may add fields (generation: its backend). */
export interface ReadyMessage {
  type: 'ready';
}

export interface WorkerThreadOptions<Out> {
  /** Names the thread in failure messages, e.g. "generation worker 2". */
  name: string;
  /**
   * V8's young generation for the thread. Both pools' workers make mostly small wrappers of big
   * typed arrays, which only a scavenge frees; a small young generation scavenges often enough
   * to keep the arrays from piling up (each pool's figure is beside its own constant).
   */
  youngGenerationMb: number;
  /** Every message but the ready one, in the order the worker posted them. */
  onMessage(message: Out): void;
  /**
   * The first failure, once: an uncaught error in the thread, a message that cannot be read, or an
   * exit that stop() or terminate() did not ask for. A failure before the ready message also
   * rejects `ready`.
   */
  onFailure(error: Error): void;
}

/**
 * One worker thread of a pool, as both pools (generation's candidate workers and the onnx
 * trainer's) use it: `setup` as its workerData, typed messages both ways, a `ready` promise, every
 * way it can die reported once, and the two ways to end it. What a pool asks its workers and how it
 * merges their answers stays with the pool.
 */
export class WorkerThread<Setup, In, Out, Ready extends ReadyMessage = ReadyMessage> {
  /** Resolves with the worker's ready message; rejects if it fails first. */
  readonly ready: Promise<Ready>;
  /** Resolves with the exit code once the thread has exited, however it ended. */
  readonly exited: Promise<number>;
  private readonly thread: Worker;
  private exitExpected = false;
  private failed = false;

  constructor(entry: URL, setup: Setup, options: WorkerThreadOptions<Out>) {
    this.thread = new Worker(entry, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: options.youngGenerationMb } });
    this.exited = new Promise((resolve) => this.thread.once('exit', resolve));
    let isReady = false;
    let rejectReady: (error: Error) => void = () => {};
    this.ready = new Promise<Ready>((resolve, reject) => {
      rejectReady = reject;
      this.thread.on('message', (message: Out | Ready) => {
        if (!isReady && (message as ReadyMessage).type === 'ready') {
          isReady = true;
          resolve(message as Ready);
        } else options.onMessage(message as Out);
      });
    });
    // A pool that never awaits `ready` (it failed elsewhere first) must not see an unhandled rejection.
    this.ready.catch(() => {});
    const fail = (error: Error): void => {
      if (this.failed || this.exitExpected) return;
      this.failed = true;
      if (!isReady) rejectReady(error);
      options.onFailure(error);
    };
    this.thread.on('error', (error) => fail(new Error(`${options.name} failed: ${error.message}`, { cause: error })));
    this.thread.on('messageerror', (error) => fail(new Error(`${options.name} sent an unreadable message: ${error.message}`)));
    this.thread.on('exit', (code) => fail(new Error(isReady ? `${options.name} stopped unexpectedly (exit code ${code})` : `${options.name} exited before it was ready (code ${code})`)));
  }

  post(message: In, transfer: readonly ArrayBuffer[] = []): void {
    this.thread.postMessage(message, transfer as ArrayBuffer[]);
  }

  /**
   * Posts `request` (the pool's own stop message) and waits for the thread to exit; one that has
   * not exited after `graceMs` is terminated. Asking first matters where the thread may be inside
   * a native call: terminating onnxruntime's binding mid-call aborts the whole process.
   */
  async stop(request: In, graceMs: number): Promise<void> {
    this.exitExpected = true;
    this.thread.postMessage(request);
    const timer = setTimeout(() => void this.thread.terminate(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Ends the thread now; for a thread known to be idle (between calls), or one that never started. */
  async terminate(): Promise<void> {
    this.exitExpected = true;
    await this.thread.terminate();
  }
}
