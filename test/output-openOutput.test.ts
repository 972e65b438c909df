import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { InternalError, option, UsageError } from '../src/errors.js';
import { flagName } from '../src/cli/flagName.js';
import { isBrokenPipe, openOutput } from '../src/output/openOutput.js';
import { createRecordWriter } from '../src/output/recordWriter.js';
import { unprivileged, unprivilegedUnavailable } from './helpers/unprivileged.js';
import { tempDirectory } from './helpers/tempDirectory.js';

const tempDir = () => tempDirectory('synth-output-');

/** The error's line as synth prints it (flags); `option` is the API key openOutput names. */
async function usageErrorOf(target: string, named?: string): Promise<string> {
  try {
    await openOutput(target, named === undefined ? undefined : option(named));
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${error}`);
    return error.format(flagName);
  }
  assert.fail('expected openOutput to throw');
}

test('no path and "-" both mean stdout, which close() leaves open', async () => {
  for (const target of [undefined, '-']) {
    const output = await openOutput(target);
    assert.equal(output.stream, process.stdout);
    assert.equal(output.isStdout, true);
    await output.close();
    assert.equal(process.stdout.writableEnded, false);
  }
});

test('records written to a file are all on disk once the writer ends and the output closes', async () => {
  const file = path.join(await tempDir(), 'out.csv');
  const output = await openOutput(file);
  const writer = createRecordWriter({
    format: 'csv', records: { kind: 'delimited', delimiter: ',', header: ['n'] }, output: output.stream, outputName: output.name,
  });
  for (let i = 0; i < 5000; i++) await writer.write({ index: i, text: String(i), fields: [String(i)], values: [String(i)] });
  await writer.end();
  await output.close();
  const lines = (await readFile(file, 'utf8')).split('\n');
  assert.equal(lines.length, 5002);
  assert.equal(lines[0], 'n');
  assert.equal(lines[5000], '4999');
});

test('an existing file is truncated when opened', async () => {
  const file = path.join(await tempDir(), 'out.txt');
  await writeFile(file, 'old content that is long\n');
  const output = await openOutput(file);
  output.stream.write('new\n');
  await output.close();
  assert.equal(await readFile(file, 'utf8'), 'new\n');
});

test('an output in a missing directory is a usage error naming the flag, the path and the directory', async () => {
  const dir = path.join(await tempDir(), 'missing');
  const file = path.join(dir, 'out.csv');
  assert.equal(await usageErrorOf(file), `-o/--output ${file}: directory ${dir} does not exist; create it first`);
});

test('the flag named in open errors can be chosen, for --invalid-output', async () => {
  const file = path.join(await tempDir(), 'missing', 'bad.jsonl');
  assert.match(await usageErrorOf(file, 'invalidOutput'), /^--invalid-output .*bad\.jsonl: directory .* does not exist/);
});

test('an output path that is a directory, or below a file, is a usage error', async () => {
  const dir = await tempDir();
  assert.equal(await usageErrorOf(dir), `-o/--output ${dir}: is a directory; give a file path`);
  const notDir = path.join(dir, 'plain');
  await writeFile(notDir, '');
  assert.match(await usageErrorOf(path.join(notDir, 'out.csv')), /: a parent of .* is not a directory$/);
});

test('an output in a read-only directory is a usage error', { timeout: 20000, skip: unprivilegedUnavailable() }, async () => {
  // root may write anywhere, so the check runs in a child process with file permissions enforced.
  const parent = await tempDir();
  const dir = path.join(parent, 'locked');
  await mkdir(dir);
  await chmod(dir, 0o555);
  const file = path.join(dir, 'out.csv');
  const openModule = new URL('../src/output/openOutput.js', import.meta.url).href;
  const script = `
    import { openOutput } from ${JSON.stringify(openModule)};
    try { await openOutput(${JSON.stringify(file)}); console.log('opened'); }
    catch (error) { console.log(error.name + ': ' + error.message); }`;
  const command = unprivileged(process.execPath, ['--input-type=module', '-e', script]);
  const child = spawn(command.file, command.args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  await new Promise((resolve) => child.on('close', resolve));
  assert.equal(stdout.trim(), `UsageError: output ${file}: permission denied; check that directory ${dir} (and the file, if it exists) is writable`);
});

test('a writable file in a read-only directory is still written (in place: no temporary file can be made there)', { timeout: 20000, skip: unprivilegedUnavailable() }, async () => {
  const dir = path.join(await tempDir(), 'locked');
  await mkdir(dir);
  const file = path.join(dir, 'out.csv');
  await writeFile(file, 'old\n');
  await chmod(file, 0o666);
  await chmod(dir, 0o555);
  const openModule = new URL('../src/output/openOutput.js', import.meta.url).href;
  const script = `
    import { openOutput } from ${JSON.stringify(openModule)};
    const output = await openOutput(${JSON.stringify(file)});
    output.stream.write('new\\n');
    await output.close();`;
  const command = unprivileged(process.execPath, ['--input-type=module', '-e', script]);
  const child = spawn(command.file, command.args, { stdio: ['ignore', 'inherit', 'inherit'] });
  assert.equal(await new Promise((resolve) => child.on('close', resolve)), 0);
  assert.equal(await readFile(file, 'utf8'), 'new\n');
});

test('writing to a full disk (/dev/full) rejects with ENOSPC naming the file, and close() too', { timeout: 5000 }, async () => {
  const output = await openOutput('/dev/full');
  const writer = createRecordWriter({ format: 'text', records: { kind: 'text' }, output: output.stream, outputName: output.name });
  let failure: unknown;
  try {
    for (let i = 0; i < 100; i++) await writer.write({ index: i, text: 'row', fields: ['row'], values: ['row'] });
    await writer.end();
  } catch (error) {
    failure = error;
  }
  assert.ok(failure instanceof InternalError);
  assert.equal(failure.message, 'cannot write to /dev/full: no space left on device (ENOSPC)');
  assert.equal(isBrokenPipe(failure), false);
  await assert.rejects(output.close(), { message: failure.message });
});

test('isBrokenPipe recognises EPIPE and writes after the stream was destroyed, directly or wrapped', () => {
  const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
  assert.equal(isBrokenPipe(epipe), true);
  assert.equal(isBrokenPipe(new InternalError('cannot write to stdout', { cause: epipe })), true);
  assert.equal(isBrokenPipe(Object.assign(new Error('destroyed'), { code: 'ERR_STREAM_DESTROYED' })), true);
  assert.equal(isBrokenPipe(Object.assign(new Error('full'), { code: 'ENOSPC' })), false);
  assert.equal(isBrokenPipe(undefined), false);
});

test('when the reader of stdout goes away the writer rejects with a broken pipe, and the process can exit 0 quietly', { timeout: 20000 }, async () => {
  const writerModule = new URL('../src/output/recordWriter.js', import.meta.url).href;
  const openModule = new URL('../src/output/openOutput.js', import.meta.url).href;
  const script = `
    import { createRecordWriter } from ${JSON.stringify(writerModule)};
    import { openOutput, isBrokenPipe } from ${JSON.stringify(openModule)};
    const output = await openOutput(undefined);
    const writer = createRecordWriter({ format: 'text', records: { kind: 'text' }, output: output.stream, outputName: output.name });
    try {
      for (let i = 0; i < 10_000_000; i++) await writer.write({ index: i, text: 'record ' + i, fields: [] });
      await writer.end();
      process.exitCode = 5; // never reached: the reader leaves first
    } catch (error) {
      if (!isBrokenPipe(error)) throw error;
    }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.once('data', () => child.stdout.destroy()); // like `| head -1`
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(stderr, '');
  assert.equal(status, 0);
});
