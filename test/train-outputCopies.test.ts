import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import type * as Ort from 'onnxruntime-node';
import { allowTransferInNewThreads, OutputCopies } from '../src/train/onnx/outputCopies.js';

const hasTransfer = (): boolean => typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer === 'function';
const tensor = (data: Float32Array) => ({ data }) as unknown as Ort.Tensor;

interface Seen {
  transfer: boolean;
  copyBytes: number;
  fetchBytes: number;
}

test('in a thread started after allowTransferInNewThreads, release frees the copies at once and never a fetched array', async () => {
  allowTransferInNewThreads();
  const module = new URL('../src/train/onnx/outputCopies.js', import.meta.url).href;
  // A result that is the binding's copy, one that is the fetch's own array, and the fetch itself.
  const code = `
    const { parentPort } = require('node:worker_threads');
    import(${JSON.stringify(module)}).then(({ OutputCopies }) => {
      const fetched = new Float32Array(256);
      const copy = new Float32Array(1024);
      const copies = new OutputCopies();
      copies.release({ copy: { data: copy }, same: { data: fetched } }, { copy: { data: new Float32Array(1024) }, same: { data: fetched } });
      parentPort.postMessage({ transfer: typeof ArrayBuffer.prototype.transfer === 'function', copyBytes: copy.buffer.byteLength, fetchBytes: fetched.byteLength });
    });`;
  const seen = await new Promise<Seen>((resolve, reject) => {
    const worker = new Worker(code, { eval: true });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  assert.equal(seen.transfer, true, 'ArrayBuffer.prototype.transfer in the new thread');
  assert.equal(seen.copyBytes, 0, 'the copy was detached, its memory freed');
  assert.equal(seen.fetchBytes, 256 * 4, "the fetch's own array is untouched");
});

test('without transfer in this thread, release leaves every array to the collector', { skip: hasTransfer() && 'ArrayBuffer.prototype.transfer is native here' }, () => {
  const copies = new OutputCopies(1e9);
  const copy = new Float32Array(1024);
  const fetched = new Float32Array(16);
  copies.release({ copy: tensor(copy), same: tensor(fetched) }, { copy: tensor(new Float32Array(1024)), same: tensor(fetched) });
  assert.equal(copy.length, 1024);
  assert.equal(fetched.length, 16);
});

test('release skips results on a SharedArrayBuffer (never detachable)', () => {
  const copies = new OutputCopies();
  const shared = new Float32Array(new SharedArrayBuffer(64));
  copies.release({ shared: tensor(shared) }, {});
  assert.equal(shared.length, 16);
});
