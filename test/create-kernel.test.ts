import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { before, describe, test } from 'node:test';
import { tempDirectory } from './helpers/tempDirectory.js';

const run = promisify(execFile);
const distRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const url = (relative: string): string => pathToFileURL(path.join(distRoot, relative)).href;

/**
 * Runs createKernel in a child process where the packages named in `blocked` cannot be imported,
 * as on a machine where they are not installed (a module resolution hook, not a mock), and
 * returns what it printed: the kernel's backend, the warning lines, or the error.
 */
async function createKernelWithout(dir: string, blocked: string[], choice: string): Promise<{ backend?: string; warnings: string[]; error?: string; errorName?: string }> {
  const { stdout } = await run(process.execPath, ['--import', path.join(dir, 'register.mjs'), path.join(dir, 'main.mjs'), choice], {
    env: { ...process.env, SYNTH_TEST_BLOCKED: blocked.join(',') },
  });
  return JSON.parse(stdout);
}

describe('createKernel', () => {
  let dir: string;

  before(async () => {
    dir = await tempDirectory('synth-create-kernel-');
    await writeFile(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
    await writeFile(
      path.join(dir, 'hooks.mjs'),
      `const blocked = (process.env.SYNTH_TEST_BLOCKED ?? '').split(',').filter(Boolean);
export async function resolve(specifier, context, next) {
  if (blocked.some((name) => specifier === name || specifier.startsWith(name + '/'))) {
    throw Object.assign(new Error("Cannot find package '" + specifier + "'"), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}
`,
    );
    await writeFile(
      path.join(dir, 'main.mjs'),
      `import { createKernel } from '${url('src/engine/kernels/createKernel.js')}';
import { randomWeights } from '${url('test/helpers/randomModel.js')}';
import { apiOptionName, formatMessage } from '${url('src/errors.js')}';
const warnings = [];
try {
  const kernel = await createKernel(randomWeights(12, 8, [6, 5]), process.argv[2], { batchSize: 3, threads: 1 }, (warning) => warnings.push(formatMessage(warning, apiOptionName)));
  const logits = await kernel.step(new Int32Array([1, 2, 3]), [6, 6, 5, 5].map((u) => new Float32Array(3 * u)));
  if (logits.length !== 36) throw new Error('wrong logits length');
  console.log(JSON.stringify({ backend: kernel.backend, warnings }));
} catch (error) {
  console.log(JSON.stringify({ warnings, error: error.message, errorName: error.name }));
}
`,
    );
  });

  test('auto takes onnx without loading TensorFlow.js at all', async () => {
    const result = await createKernelWithout(dir, ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm'], 'auto');
    assert.deepEqual(result, { backend: 'onnx', warnings: [] });
  });

  test('auto falls back to wasm with exactly one warning line when onnxruntime-node is missing', async () => {
    const result = await createKernelWithout(dir, ['onnxruntime-node', '@tensorflow/tfjs-node'], 'auto');
    assert.equal(result.backend, 'wasm');
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0]!, /onnx unavailable .*onnxruntime-node.*using the wasm backend\. For the native backend: ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@1/);
    assert.doesNotMatch(result.warnings[0]!, /tfjs-node/, 'the optional tfjs-node the user did not ask for is not mentioned');
  });

  test('a backend asked for by name that cannot start is an error naming it, with no fallback', async () => {
    const result = await createKernelWithout(dir, ['onnxruntime-node'], 'onnx');
    assert.equal(result.errorName, 'BackendUnavailableError');
    assert.match(result.error!, /onnx backend \(onnxruntime-node\) could not start: .*onnxruntime-node/);
    assert.deepEqual(result.warnings, []);
  });

  test('wasm asked for by name gives a wasm kernel', async () => {
    assert.deepEqual(await createKernelWithout(dir, [], 'wasm'), { backend: 'wasm', warnings: [] });
  });
});
