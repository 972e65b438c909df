import { writeFailure } from '../files/writeFailure.js';

/** Writes strings to a stream, respecting backpressure and turning every stream failure into a rejection. */
export interface LineSink {
  /** Returns nothing when the stream can take more now; else a promise that settles on 'drain' or failure. */
  write(chunk: string): void | Promise<void>;
  /** Settles once every chunk written so far has been handed to the OS, or rejects with the first failure. */
  flush(): Promise<void>;
}

/**
 * One write per chunk, each with the same completion callback: counting callbacks tells when all
 * data is out without a promise per chunk. An 'error' or an early 'close' rejects whoever waits,
 * so a dead stream can never leave the caller hanging or crash the process with an unhandled 'error'.
 */
export function createLineSink(stream: NodeJS.WritableStream, destination: string): LineSink {
  let failure: Error | undefined;
  let unfinished = 0;
  const drainWaiters: Waiter[] = [];
  const flushWaiters: Waiter[] = [];

  const fail = (error: unknown) => {
    failure ??= writeFailure(destination, error);
    for (const waiter of drainWaiters.splice(0)) waiter.reject(failure);
    for (const waiter of flushWaiters.splice(0)) waiter.reject(failure);
  };
  const onWritten = (error?: Error | null) => {
    unfinished--;
    if (error) return fail(error);
    if (unfinished === 0) for (const waiter of flushWaiters.splice(0)) waiter.resolve();
  };

  stream.on('error', fail);
  stream.on('drain', () => {
    for (const waiter of drainWaiters.splice(0)) waiter.resolve();
  });
  stream.on('close', () => {
    if (unfinished > 0 || drainWaiters.length > 0) fail(Object.assign(new Error('stream closed'), { code: 'ERR_STREAM_DESTROYED' }));
  });

  return {
    write(chunk) {
      if (failure !== undefined) return Promise.reject(failure);
      unfinished++;
      if (stream.write(chunk, onWritten)) return;
      if (failure !== undefined) return Promise.reject(failure);
      return new Promise<void>((resolve, reject) => drainWaiters.push({ resolve, reject }));
    },
    flush() {
      if (failure !== undefined) return Promise.reject(failure);
      if (unfinished === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => flushWaiters.push({ resolve, reject }));
    },
  };
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}
