import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inBatches, runSynth } from './helpers/cliProcess.js';
import { writeRandomModel } from './helpers/randomModel.js';

// synth generate runs that read a model while it is replaced over and over (by writeModelDirectory,
// what synth train --overwrite calls) each read the old or the new model whole: every run exits 0
// with exactly the records of model A or of model B.

let work: string;
before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'synth-readers-'));
});
after(() => rm(work, { recursive: true, force: true }));

const loop = path.join(path.dirname(fileURLToPath(import.meta.url)), 'helpers', 'replaceModelLoop.js');
const generate = (model: string) => runSynth(['generate', '--model', model, '--lines', '5', '--random-seed', '1', '--workers', '1'], { timeoutMs: 60_000 });

test('generate runs during a stream of in-place replaces read model A or model B whole, never a mix', { timeout: 180_000 }, async (t) => {
  const records = [['alice', '42', 'paris'], ['bob', '7', 'oslo']];
  // Same vocabulary and shapes, different weights: a mix of the two would load and give other records.
  const a = await writeRandomModel({ dir: path.join(work, 'a'), records, header: ['name', 'age', 'city'], embeddingDim: 8, lstmUnits: [16], seed: 1 });
  const b = await writeRandomModel({ dir: path.join(work, 'b'), records, header: ['name', 'age', 'city'], embeddingDim: 8, lstmUnits: [16], seed: 2 });
  const [fromA, fromB] = await Promise.all([generate(a), generate(b)]);
  assert.equal(fromA.status, 0, fromA.stderr);
  assert.notEqual(fromA.stdout, fromB.stdout);

  const target = path.join(work, 'model');
  await cp(a, target, { recursive: true });
  const stop = path.join(work, 'stop');
  const writer = spawn(process.execPath, [loop, target, a, b, stop], { stdio: ['ignore', 'pipe', 'inherit'] });
  let replaces = '';
  writer.stdout.setEncoding('utf8').on('data', (d: string) => (replaces += d));
  const writerDone = new Promise<number | null>((resolve) => writer.on('close', resolve));

  const results = await inBatches(Array.from({ length: 12 }, () => () => generate(target)), 3);
  await writeFile(stop, '');
  assert.equal(await writerDone, 0);
  const seen = results.map((r, i) => {
    assert.equal(r.status, 0, `reader ${i}: ${r.stderr}`);
    assert.ok(r.stdout === fromA.stdout || r.stdout === fromB.stdout, `reader ${i} wrote records of neither model:\n${r.stdout}`);
    return r.stdout === fromA.stdout ? 'A' : 'B';
  });
  t.diagnostic(`${replaces.trim()} replaces; readers saw ${seen.join('')}`);
  assert.ok(Number(replaces) >= 12, 'the model was replaced while the readers ran');
});
