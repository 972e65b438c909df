import assert from 'node:assert/strict';
import { access, mkdir, mkdtemp, readFile, rm, symlink, truncate, unlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sha256 } from '../src/model/checksum.js';
import { assertOneLineError } from './helpers/cliAssertions.js';
import { runSynth } from './helpers/cliProcess.js';
import { copyModelDirectory, editJsonFile } from './helpers/modelCopies.js';
import { writeRandomModel } from './helpers/randomModel.js';

// Every bad model directory ends the run before any output: exit 3, one line naming the file
// (and the field, where there is one).

let goodModel: string;
let work: string;

let vocabSize: number;

before(async (t) => {
  work = await mkdtemp(path.join(os.tmpdir(), 'synth-rel-model-'));
  goodModel = await writeRandomModel({ dir: path.join(work, 'good-model'), records: [['alice', '42', 'paris'], ['bob', '7', 'oslo, norway']], header: ['name', 'age', 'city'], embeddingDim: 4, lstmUnits: [8], seed: 21 });
  vocabSize = JSON.parse(await readFile(path.join(goodModel, 'synth.json'), 'utf8')).architecture.vocabSize;
});

after(() => rm(work, { recursive: true, force: true }));

const generate = (model: string, extra: string[] = []) =>
  runSynth(['generate', '--model', model, '--lines', '2', '--random-seed', '1', '--workers', '1', ...extra], { timeoutMs: 20_000 });

/** A copy of the good model, changed by `corrupt`. */
async function corrupted(corrupt: (dir: string) => Promise<void>): Promise<string> {
  const dir = await copyModelDirectory(goodModel, work);
  await corrupt(dir);
  return dir;
}

/** Rewrites synth.json's recorded size and sha256 of weights.bin to match its current bytes. */
async function resealWeights(dir: string): Promise<void> {
  const bytes = await readFile(path.join(dir, 'weights.bin'));
  await editJsonFile(path.join(dir, 'synth.json'), (m) => {
    m.weights[0].bytes = bytes.byteLength;
    m.weights[0].sha256 = sha256(bytes);
  });
}

const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a bad model directory exits 3 naming the file and what is wrong', () => {
  test('the intact copy generates (the control for every case below)', async (t) => {
    const r = await generate(await corrupted(async (t) => {}));
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.split('\n').length, 3);
  });

  test('a missing directory', async (t) => {
    const dir = path.join(work, 'no-such-model');
    t.diagnostic(assertOneLineError(await generate(dir), 3, new RegExp(`model directory ${esc(dir)} does not exist`), /synth train/));
  });

  test('a file given as the model directory', async (t) => {
    const file = path.join(work, 'a-file');
    await writeFile(file, 'not a model');
    t.diagnostic(assertOneLineError(await generate(file), 3, new RegExp(`${esc(file)} is not a directory`)));
  });

  test('an empty directory', async (t) => {
    const dir = path.join(work, 'empty-model');
    await mkdir(dir);
    t.diagnostic(assertOneLineError(await generate(dir), 3, new RegExp(`${esc(dir)} is not a synth model directory \\(no synth\\.json\\)`)));
  });

  test('synth.json missing', async (t) => {
    const dir = await corrupted((d) => unlink(path.join(d, 'synth.json')));
    t.diagnostic(assertOneLineError(await generate(dir), 3, /no synth\.json/));
  });

  test('synth.json that is not JSON', async (t) => {
    const dir = await corrupted((d) => writeFile(path.join(d, 'synth.json'), '{"format": "synth-model", "version": 1,'));
    t.diagnostic(assertOneLineError(await generate(dir), 3, new RegExp(`${esc(path.join(dir, 'synth.json'))} is not valid JSON`)));
  });

  test('synth.json of an unknown format version', async (t) => {
    const dir = await corrupted((d) => editJsonFile(path.join(d, 'synth.json'), (m) => (m.version = 3)));
    t.diagnostic(assertOneLineError(await generate(dir), 3, /synth\.json: field "version" is 3; this synth reads versions 1 and 2/));
  });

  test('synth.json of another format', async (t) => {
    const dir = await corrupted((d) => editJsonFile(path.join(d, 'synth.json'), (m) => (m.format = 'keras')));
    t.diagnostic(assertOneLineError(await generate(dir), 3, /synth\.json: field "format" is "keras", expected "synth-model"/));
  });

  test('model.json missing', async (t) => {
    const dir = await corrupted((d) => unlink(path.join(d, 'model.json')));
    t.diagnostic(assertOneLineError(await generate(dir), 3, new RegExp(`${esc(path.join(dir, 'model.json'))} is missing`)));
  });

  test('model.json corrupt: not JSON', async (t) => {
    const dir = await corrupted(async (d) => {
      const text = await readFile(path.join(d, 'model.json'), 'utf8');
      await writeFile(path.join(d, 'model.json'), text.slice(0, text.length / 2));
    });
    t.diagnostic(assertOneLineError(await generate(dir), 3, new RegExp(`${esc(path.join(dir, 'model.json'))} is not valid JSON`)));
  });

  test('model.json corrupt: JSON without a weights manifest', async (t) => {
    const dir = await corrupted((d) => writeFile(path.join(d, 'model.json'), '{"modelTopology": {}}'));
    t.diagnostic(assertOneLineError(await generate(dir), 3, /model\.json is not a TensorFlow\.js Layers model/));
  });

  test('model.json corrupt: a weight entry without a usable shape', async (t) => {
    const dir = await corrupted((d) => editJsonFile(path.join(d, 'model.json'), (m) => (m.weightsManifest[0].weights[1].shape = 'wide')));
    t.diagnostic(assertOneLineError(await generate(dir), 3, /model\.json: weightsManifest weights\[1\] needs "name", "dtype" and a "shape"/));
  });

  test('the weights file missing', async (t) => {
    const dir = await corrupted((d) => unlink(path.join(d, 'weights.bin')));
    t.diagnostic(assertOneLineError(await generate(dir), 3, new RegExp(`weights file ${esc(path.join(dir, 'weights.bin'))} is missing`)));
  });

  test('the weights file truncated by one byte', async (t) => {
    const size = (await readFile(path.join(goodModel, 'weights.bin'))).byteLength;
    const dir = await corrupted((d) => truncate(path.join(d, 'weights.bin'), size - 1));
    t.diagnostic(assertOneLineError(await generate(dir), 3, new RegExp(`weights file .*weights\\.bin has ${size - 1} bytes, synth\\.json says ${size}; the file is truncated`)));
  });

  test('the weights file with a wrong checksum (one bit flipped)', async (t) => {
    const dir = await corrupted(async (d) => {
      const bytes = await readFile(path.join(d, 'weights.bin'));
      bytes[bytes.length >> 1] ^= 0x01;
      await writeFile(path.join(d, 'weights.bin'), bytes);
    });
    t.diagnostic(assertOneLineError(await generate(dir), 3, /weights file .*weights\.bin does not match the sha256 in synth\.json/));
  });

  test('tensor shapes that do not match the architecture (sizes and checksum consistent)', async (t) => {
    // The kernel of lstm_1 is [4, 32]; declared as [32, 4] it has the same byte count, so only the shape check can tell.
    const dir = await corrupted((d) =>
      editJsonFile(path.join(d, 'model.json'), (m) => {
        const kernel = m.weightsManifest[0].weights.find((w: { name: string }) => w.name === 'lstm_1/kernel');
        kernel.shape = [32, 4];
      }),
    );
    t.diagnostic(assertOneLineError(await generate(dir), 3, /model\.json: weight lstm_1\/kernel has shape \[32,4\], the architecture in synth\.json needs \[4,32\] = \[architecture\.embeddingDim, 4 × architecture\.lstmUnits\[0\]\]/));
  });

  test('an architecture with more LSTM units than the weights hold (synth.json and model.json edited together)', async (t) => {
    const dir = await corrupted(async (d) => {
      await editJsonFile(path.join(d, 'synth.json'), (m) => (m.architecture.lstmUnits = [9]));
      await editJsonFile(path.join(d, 'model.json'), (m) => {
        for (const layer of m.modelTopology.config.layers) if (layer.config.units === 8) layer.config.units = 9;
      });
    });
    t.diagnostic(assertOneLineError(await generate(dir), 3, /weight lstm_1\/kernel has shape \[4,32\], the architecture in synth\.json needs \[4,36\]/));
  });

  test('a vocabulary whose size does not match the embedding (vocab and vocabSize edited together)', async (t) => {
    const dir = await corrupted((d) =>
      editJsonFile(path.join(d, 'synth.json'), (m) => {
        m.tokenizer.vocab.pop();
        m.architecture.vocabSize -= 1;
      }),
    );
    t.diagnostic(assertOneLineError(await generate(dir), 3, new RegExp(`model\\.json: weight embedding/embeddings has shape \\[${vocabSize},4\\], .*needs \\[${vocabSize - 1},4\\] = \\[architecture\\.vocabSize, architecture\\.embeddingDim\\]`)));
  });

  test('a vocabulary list that disagrees with architecture.vocabSize', async (t) => {
    const dir = await corrupted((d) => editJsonFile(path.join(d, 'synth.json'), (m) => m.tokenizer.vocab.push('Z')));
    t.diagnostic(assertOneLineError(await generate(dir), 3, new RegExp(`synth\\.json: field "tokenizer\\.vocab" has ${vocabSize + 1} entries but architecture\\.vocabSize is ${vocabSize}`)));
  });
});

describe('a model directory never makes synth read outside it or run its code', () => {
  for (const outside of ['../../etc/passwd', '/etc/passwd', '../weights.bin']) {
    test(`a weights manifest path ${outside} is refused`, async (t) => {
      const dir = await corrupted(async (d) => {
        await editJsonFile(path.join(d, 'model.json'), (m) => (m.weightsManifest[0].paths = [outside]));
        await editJsonFile(path.join(d, 'synth.json'), (m) => (m.weights[0].path = path.basename(outside)));
      });
      t.diagnostic(assertOneLineError(await generate(dir), 3, new RegExp(`model\\.json: weights path ${esc(JSON.stringify(outside))} points outside the model directory; refusing to read it`)));
    });
  }

  test('a path outside is never even opened: it names a FIFO, whose opening would block the run', async (t) => {
    // Opening a FIFO for reading blocks until a writer comes, so had synth opened it the run would time out.
    const dir = await corrupted(async (d) => {
      execFileSync('mkfifo', [path.join(path.dirname(d), 'trap.bin')]);
      await editJsonFile(path.join(d, 'model.json'), (m) => (m.weightsManifest[0].paths = ['../trap.bin']));
      await editJsonFile(path.join(d, 'synth.json'), (m) => (m.weights[0].path = 'trap.bin'));
    });
    t.diagnostic(assertOneLineError(await generate(dir), 3, /points outside the model directory/));
  });

  test('a weights file that is a symbolic link out of the directory is refused', async (t) => {
    const dir = await corrupted(async (d) => {
      await unlink(path.join(d, 'weights.bin'));
      await symlink('/etc/passwd', path.join(d, 'weights.bin'));
    });
    t.diagnostic(assertOneLineError(await generate(dir), 3, /weights\.bin is a link to \/etc\/passwd, outside the model directory; refusing to read it/));
  });

  for (const special of ['/dev/zero', 'fifo']) {
    test(`a model file that is ${special === 'fifo' ? 'a FIFO' : 'a link to /dev/zero'} is refused, not read forever`, async (t) => {
      const dir = await corrupted(async (d) => {
        const target = special === 'fifo' ? 'synth.json' : 'weights.bin';
        await unlink(path.join(d, target));
        if (special === 'fifo') execFileSync('mkfifo', [path.join(d, target)]);
        else await symlink(special, path.join(d, target));
      });
      t.diagnostic(assertOneLineError(await generate(dir), 3, /(synth\.json|weights\.bin) is not a regular file; refusing to read it/));
    });
  }

  test('loading a model never runs code from it: a module named as the weights file is only read as bytes', async (t) => {
    const sentinel = path.join(work, 'code-ran');
    const dir = await corrupted(async (d) => {
      const code = `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(sentinel)}, 'ran');\n`;
      await writeFile(path.join(d, 'weights.mjs'), code);
      await rm(path.join(d, 'weights.bin'));
      await editJsonFile(path.join(d, 'model.json'), (m) => (m.weightsManifest[0].paths = ['./weights.mjs']));
      await editJsonFile(path.join(d, 'synth.json'), (m) => (m.weights[0].path = 'weights.mjs'));
      await writeFile(path.join(d, 'weights.bin'), code); // resealWeights reads weights.bin
      await resealWeights(d);
      await rm(path.join(d, 'weights.bin'));
    });
    // The module's bytes pass the size and checksum checks, then fail as float32 data.
    t.diagnostic(assertOneLineError(await generate(dir), 3, /model\.json: (weight .* runs past the end|weights data has \d+ bytes not described)/));
    await assert.rejects(access(sentinel), 'the module was never imported');
  });
});
