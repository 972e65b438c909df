// Child process for the readers-during-a-replace test: replaces TARGET in place with model A, then
// B, then A..., through writeModelDirectory (what `synth train --overwrite` calls), until STOP
// exists; prints the number of replaces. Usage: node replaceModelLoop.js TARGET A B STOP
import { existsSync } from 'node:fs';
import { loadModelDirectory } from '../../src/model/loadModelDirectory.js';
import { writeModelDirectory, type ManifestContent } from '../../src/model/writeModelDirectory.js';
import { loadTf } from '../../src/tfjs/backend.js';

const [target, a, b, stop] = process.argv.slice(2) as [string, string, string, string];
const { tf } = await loadTf('wasm');
const models = await Promise.all(
  [a, b].map(async (dir) => {
    const { manifest, weights } = await loadModelDirectory(dir);
    const { format: _format, version: _version, weights: _files, layers: _layers, ...content } = manifest;
    return { content: content as ManifestContent, weights };
  }),
);
let replaces = 0;
while (!existsSync(stop)) {
  const model = models[replaces % 2]!;
  await writeModelDirectory(tf, target, model.content, model.weights, { overwrite: true });
  replaces++;
}
console.log(replaces);
