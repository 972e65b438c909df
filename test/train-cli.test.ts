import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadModelDirectory } from '../src/model/loadModelDirectory.js';
import { tempDirectory } from './helpers/tempDirectory.js';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/synth.js');
const tiny = ['--embedding-dim', '8', '--lstm-units', '12', '--sequence-length', '16', '--batch-size', '2', '--random-seed', '3', '--backend', 'wasm'];

async function tinyCsv(): Promise<{ dir: string; input: string }> {
  const dir = await tempDirectory('synth-train-cli-');
  const input = path.join(dir, 'data.csv');
  await writeFile(input, ['a,b', ...Array.from({ length: 30 }, (_, i) => `x${i % 5},"y, ${i % 3}"`)].join('\n'));
  return { dir, input };
}

function synth(args: string[]): { status: number | null; stderr: string } {
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr };
}

test('synth train refuses an existing --out without --overwrite (exit 2)', async () => {
  const { dir, input } = await tinyCsv();
  const out = path.join(dir, 'model');
  await mkdir(out);
  const run = synth(['train', '--input', input, '--out', out, ...tiny]);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /--out .*model already exists; pass --overwrite/);
  assert.deepEqual(await readdir(out), []);
});

test('synth train rejects bad flag values with exit 2, naming the flag and the accepted range', async () => {
  const { dir, input } = await tinyCsv();
  const out = path.join(dir, 'model');
  const cases: [string, string, RegExp][] = [
    ['--lstm-units', '256,abc', /--lstm-units.*comma-separated whole numbers from 1 to 4096/],
    ['--dropout', '1.5', /--dropout.*from 0 to 0.9/],
    ['--epochs', '0', /--epochs.*from 1 to 100000/],
    ['--batch-size', '2.5', /--batch-size.*whole number/],
    ['--learning-rate', '0', /--learning-rate.*greater than 0/],
    ['--max-minutes', 'NaN', /--max-minutes.*greater than 0/],
    ['--validation-split', '-0.1', /--validation-split.*from 0 to 0.9/],
    ['--delimiter', 'ab', /--delimiter.*one character/],
    ['--backend', 'gpu', /--backend.*Allowed choices are auto, onnx, tensorflow, wasm, cpu/],
    ['--workers', '0', /--workers.*from 1 to 256/],
  ];
  for (const [flag, value, message] of cases) {
    const run = synth(['train', '--input', input, '--out', out, flag, value]);
    assert.equal(run.status, 2, `${flag} ${value}`);
    assert.match(run.stderr, message);
  }
});

test('synth train on an empty file exits 2 naming the file', async () => {
  const { dir } = await tinyCsv();
  const input = path.join(dir, 'empty.csv');
  await writeFile(input, '');
  const run = synth(['train', '--input', input, '--out', path.join(dir, 'model'), ...tiny]);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /empty\.csv is empty/);
});

for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`${signal} during training saves the best model so far and exits ${status}`, async () => {
    const { dir, input } = await tinyCsv();
    const out = path.join(dir, 'model');
    const child = spawn(process.execPath, [bin, 'train', '--input', input, '--out', out, '--epochs', '10000', ...tiny]);
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (!stderr.includes('epoch 2/') && (stderr + chunk).includes('epoch 2/')) child.kill(signal);
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, status, stderr);
    assert.match(stderr, /interrupted: keeping the best model \(epoch \d+\)/);
    const model = await loadModelDirectory(out);
    assert.equal(model.manifest.training.metrics.stoppedBy, 'interrupted');
    assert.deepEqual((await readdir(dir)).sort(), ['data.csv', 'model']);
  });
}

test('a semicolon .csv trains as delimited by ";", says so on stderr, and --delimiter none reads it as text', async () => {
  const dir = await tempDirectory('synth-train-cli-');
  const input = path.join(dir, 'semi.csv');
  await writeFile(input, ['name;price', ...Array.from({ length: 30 }, (_, i) => `item ${i % 4};${i % 9},50`)].join('\n'));
  const run = synth(['train', '--input', input, '--out', path.join(dir, 'model'), '--epochs', '1', '--no-score', ...tiny]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /reading --input .*semi\.csv as delimited by ';': its first rows all have 2 fields that way \(pass --delimiter to choose another\)/);
  const { manifest } = await loadModelDirectory(path.join(dir, 'model'));
  assert.deepEqual(manifest.records, { kind: 'delimited', delimiter: ';', header: ['name', 'price'] });

  const text = synth(['train', '--input', input, '--out', path.join(dir, 'text-model'), '--delimiter', 'none', '--epochs', '1', '--no-score', ...tiny]);
  assert.equal(text.status, 0, text.stderr);
  assert.doesNotMatch(text.stderr, /delimited by/);
  assert.deepEqual((await loadModelDirectory(path.join(dir, 'text-model'))).manifest.records, { kind: 'text' });
});

test('synth train --epoch-records trains sampled epochs of that size and the model generates', async () => {
  const dir = await tempDirectory('synth-train-cli-');
  const input = path.join(dir, 'data.csv');
  await writeFile(input, ['a,b', ...Array.from({ length: 300 }, (_, i) => `x${i % 5},"y, ${i % 3}"`)].join('\n'));
  const out = path.join(dir, 'model');
  const run = synth(['train', '--input', input, '--out', out, '--epochs', '2', '--epoch-records', '25', '--no-score', ...tiny]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /training on 240 records \(\d+ tokens\), 25 drawn afresh each epoch, validating on 7 sampled from 60 held out/);
  assert.match(run.stderr, /epoch 2\/2: loss/);
  assert.equal((await loadModelDirectory(out)).manifest.training.settings.epochRecords, 25);
  const generated = spawnSync(process.execPath, [bin, 'generate', '--model', out, '--lines', '5', '--random-seed', '1', '--workers', '1', '--max-invalid', '100000'], { encoding: 'utf8' });
  assert.equal(generated.status, 0, generated.stderr);
  assert.equal(generated.stdout.trim().split('\n').length, 5);
});

test('--epoch-records 0 is refused naming the flag', () => {
  const run = synth(['train', '--input', 'x.csv', '--out', 'm', '--epoch-records', '0']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /--epoch-records.*from 1/);
});

test('synth train calibrates the fields\' distributions after training and says so; --no-calibrate leaves it out', async () => {
  const dir = await tempDirectory('synth-train-cli-');
  const input = path.join(dir, 'data.csv');
  await writeFile(input, ['kind,size', ...Array.from({ length: 200 }, (_, i) => `${['a', 'b', 'c'][i % 3]},${(i * 7) % 50}`)].join('\n'));
  const calibrated = synth(['train', '--input', input, '--out', path.join(dir, 'on'), '--epochs', '2', '--no-score', ...tiny]);
  assert.equal(calibrated.status, 0, calibrated.stderr);
  assert.match(calibrated.stderr, /calibrated 2 fields' distributions on \d+ generated records in /);
  const on = (await loadModelDirectory(path.join(dir, 'on'))).manifest;
  assert.deepEqual(on.calibration?.fields.map((f) => f.field), [0, 1]);
  assert.equal(on.training.settings.calibrate, true);
  const plain = synth(['train', '--input', input, '--out', path.join(dir, 'off'), '--epochs', '2', '--no-score', '--no-calibrate', ...tiny]);
  assert.equal(plain.status, 0, plain.stderr);
  assert.doesNotMatch(plain.stderr, /calibrated/);
  const off = (await loadModelDirectory(path.join(dir, 'off'))).manifest;
  assert.equal(off.calibration, undefined);
  assert.equal(off.training.settings.calibrate, false);
});
