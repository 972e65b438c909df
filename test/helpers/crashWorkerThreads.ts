/**
 * Preload for `node --import <this file> bin/synth.js ...`: every worker thread (never the main
 * thread) dies SYNTH_TEST_CRASH_AFTER_MS after it starts, by throwing (SYNTH_TEST_CRASH_HOW=throw)
 * or by process.exit(7) (=exit), the two ways a worker thread dies. The timer runs only between
 * event-loop turns, so the worker dies from JavaScript, not inside a native call.
 */
import { isMainThread, threadId } from 'node:worker_threads';

if (!isMainThread) {
  const afterMs = Number(process.env.SYNTH_TEST_CRASH_AFTER_MS ?? 300);
  setTimeout(() => {
    if (process.env.SYNTH_TEST_CRASH_HOW === 'exit') process.exit(7);
    throw new Error(`worker thread ${threadId} crashed (injected by the test)`);
  }, afterMs).unref();
}
