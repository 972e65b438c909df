import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openAtomicOutputFile, writeOutputFileAtomically } from '../src/output/atomicOutputFile.js';
import { runSynth, startSynth, waitUntil } from './helpers/cliProcess.js';
import { cliPath, runShell } from './helpers/runCli.js';
import { temporarySiblingsOf } from './helpers/outputFiles.js';
import { writeRandomModel } from './helpers/randomModel.js';

let work: string;
before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'synth-atomic-'));
});
after(() => rm(work, { recursive: true, force: true }));

/** The pid of a process that has exited, so a temporary file named for it belongs to a dead writer. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim() as unknown as number;
}

describe('openAtomicOutputFile', () => {
  test('the destination keeps its previous content until commit, then has the new content and mode', async () => {
    const file = path.join(work, 'keep.csv');
    await writeFile(file, 'old\n');
    await chmod(file, 0o600);
    const output = await openAtomicOutputFile(file);
    output.stream.write('new\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(await readFile(file, 'utf8'), 'old\n');
    assert.equal((await temporarySiblingsOf(file)).length, 1);
    await output.commit();
    assert.equal(await readFile(file, 'utf8'), 'new\n');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await temporarySiblingsOf(file), []);
  });

  test('discard leaves the previous file (or none) and no temporary file', async () => {
    const file = path.join(work, 'discard.csv');
    await writeFile(file, 'old\n');
    const output = await openAtomicOutputFile(file);
    output.stream.write('half a reco');
    await output.discard();
    assert.equal(await readFile(file, 'utf8'), 'old\n');
    const absent = path.join(work, 'never.csv');
    await (await openAtomicOutputFile(absent)).discard();
    await assert.rejects(stat(absent));
    assert.deepEqual([...(await temporarySiblingsOf(file)), ...(await temporarySiblingsOf(absent))], []);
  });

  test('temporary files of dead writers are removed when the file is next written; a live writer\'s are left', async () => {
    const file = path.join(work, 'left.csv');
    const dead = `${file}.tmp-${deadPid()}-0123abcd`;
    const live = `${file}.tmp-${process.pid}-0123abcd`;
    await writeFile(dead, 'killed run');
    await writeFile(live, 'running');
    await writeOutputFileAtomically(file, 'report\n');
    assert.equal(await readFile(file, 'utf8'), 'report\n');
    assert.deepEqual(await temporarySiblingsOf(file), [live]);
    await rm(live);
  });

  test('a link keeps pointing at the file it named, which gets the new content', async () => {
    const real = path.join(work, 'real.json');
    const link = path.join(work, 'link.json');
    await writeFile(real, '{}');
    await import('node:fs/promises').then((fs) => fs.symlink(real, link));
    await writeOutputFileAtomically(link, '{"new":true}');
    assert.equal(await readFile(real, 'utf8'), '{"new":true}');
    assert.ok((await import('node:fs/promises').then((fs) => fs.lstat(link))).isSymbolicLink());
  });
});

describe('synth generate -o killed with SIGKILL leaves the previous file or none, never a truncated one', () => {
  let model: string;
  before(async () => {
    model = await writeRandomModel({ dir: path.join(work, 'model'), records: [['alice', '42', 'paris'], ['bob', '7', 'oslo']], header: ['name', 'age', 'city'], embeddingDim: 4, lstmUnits: [8], seed: 5 });
  });

  for (const previous of ['name,age,city\nkeep,1,me\n', undefined]) {
    test(previous === undefined ? 'no previous file: none after the kill' : 'a previous file: intact after the kill', async () => {
      const out = path.join(work, previous === undefined ? 'fresh.csv' : 'previous.csv');
      if (previous !== undefined) await writeFile(out, previous);
      const run = startSynth(['generate', '--model', model, '--lines', '100000000', '--max-invalid', '1000000000', '--workers', '1', '-o', out]);
      // Killed once thousands of records are out, mid-write.
      await waitUntil(async () => {
        const [temporary] = await temporarySiblingsOf(out);
        return temporary !== undefined && (await stat(temporary).then((s) => s.size, () => 0)) > 64 * 1024;
      }, 'the run has written 64 KiB');
      run.child.kill('SIGKILL');
      const result = await run.result;
      assert.equal(result.signal, 'SIGKILL');
      if (previous === undefined) await assert.rejects(stat(out), 'no file under the output name');
      else assert.equal(await readFile(out, 'utf8'), previous);
      assert.equal((await temporarySiblingsOf(out)).length, 1, 'the killed run\'s temporary file, under its own name');

      // The next run writing the file removes what the killed one left.
      const next = startSynth(['generate', '--model', model, '--lines', '3', '--random-seed', '1', '--workers', '1', '-o', out]);
      assert.equal((await next.result).status, 0);
      assert.equal((await readFile(out, 'utf8')).trim().split('\n').length, 4, 'header and 3 records');
      assert.deepEqual(await temporarySiblingsOf(out), []);
    });
  }

  test('exit 4 puts both files in place: the valid records so far and the rejected ones', async () => {
    const validator = path.join(work, 'reject-odd.mjs');
    await writeFile(validator, 'let n = 0;\nexport default () => n++ % 2 === 0;\n');
    const out = path.join(work, 'budget.csv');
    const rejected = path.join(work, 'budget-rejected.jsonl');
    const result = await runSynth(['generate', '--model', model, '--lines', '50', '--random-seed', '1', '--workers', '1', '--validator', validator, '--max-invalid', '3', '-o', out, '--invalid-output', rejected]);
    assert.equal(result.status, 4, result.stderr);
    // The random model's records also fail the built-in checks, so how many are valid varies; the header is always there.
    assert.equal((await readFile(out, 'utf8')).split('\n')[0], 'name,age,city');
    assert.equal((await readFile(rejected, 'utf8')).trim().split('\n').length, 4);
  });

  test('a closed stdout (| head -1) is a finished run: --invalid-output is put in place', async () => {
    const validator = path.join(work, 'reject-odd-2.mjs');
    await writeFile(validator, 'let n = 0;\nexport default () => n++ % 2 === 0;\n');
    const rejected = path.join(work, 'head-rejected.jsonl');
    const result = await runShell(`"${process.execPath}" "${cliPath}" generate --model "${model}" --lines 100000 --max-invalid 1000000 --workers 1 --validator "${validator}" --invalid-output "${rejected}" | head -1`);
    assert.equal(result.status, 0, result.stderr);
    assert.ok((await readFile(rejected, 'utf8')).endsWith('\n'));
    assert.deepEqual(await temporarySiblingsOf(rejected), []);
  });
});
