import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { startSynth } from './helpers/cliProcess.js';

// A condition the model hardly ever meets turns records down for about 100 s before the
// 1-in-10,000 stop, yielding none: a signal must end that stretch too, not only the time between
// records kept (found by the fuzzer's where kind).
for (const [signal, status] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
  test(`${signal} while a rare --where condition turns every record down ends the run with exit ${status} within seconds`, async () => {
    const run = startSynth(['generate', '--where', 'email=@', '--lines', '1', '--workers', '1', '--random-seed', '1'], { timeoutMs: 40_000 });
    // Past start-up (about 1 s here), inside the loop of turned-down records.
    await sleep(4000);
    const sent = Date.now();
    run.child.kill(signal);
    const result = await run.result;
    assert.equal(result.signal, null, `the run ignored ${signal} and was killed after ${Date.now() - sent} ms`);
    assert.equal(result.status, status, result.stderr);
    assert.equal(result.stderr, `synth: error: interrupted by ${signal}\n`);
    assert.equal(result.stdout, '');
    assert.ok(Date.now() - sent < 15_000, `ended ${Date.now() - sent} ms after ${signal}`);
  });
}
