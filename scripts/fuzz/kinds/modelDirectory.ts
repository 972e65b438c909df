import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { sha256 } from '../../../src/model/checksum.js';
import type { BaseInputs, FuzzCase, FuzzKind } from '../fuzzCase.js';
import { damageJsonText, mutateJson, stringifyMutated } from '../jsonMutation.js';
import type { CaseRandom } from '../random.js';

const FILES = ['synth.json', 'model.json', 'weights.bin'] as const;

/** Model directories: every field of synth.json (its schema most of all) and model.json, damaged weights, links and special files. */
export const modelDirectoryKind: FuzzKind = {
  name: 'model',
  summary: 'model directories: synth.json and model.json fields, the schema, truncated and bit-flipped weights, symbolic links',
  async makeCase(random, caseDir, base) {
    const source = random.chance(0.75) ? base.delimitedModel : base.textModel;
    const dir = path.join(caseDir, 'model');
    await cp(source, dir, { recursive: true });
    const what = await random.weighted<() => Promise<string>>([
      [5, () => mutateJsonFile(random, dir, 'synth.json', random.chance(0.4) ? 'schema' : undefined)],
      [3, () => mutateJsonFile(random, dir, 'model.json')],
      [2, () => damageJsonFile(random, dir)],
      [4, () => damageWeights(random, dir)],
      [3, () => replaceFile(random, dir, caseDir)],
    ])();
    const args = random.chance(0.8)
      ? ['generate', '--model', dir, '--lines', '3', '--random-seed', '1', '--max-invalid', '30', '--workers', '1', '-q']
      : ['inspect', dir, ...(random.chance(0.5) ? ['--json'] : [])];
    return { description: what, args, names: [dir, ...FILES, '--model', '--max-invalid'] } satisfies FuzzCase;
  },
};

async function mutateJsonFile(random: CaseRandom, dir: string, file: string, under?: string): Promise<string> {
  const target = path.join(dir, file);
  const doc = JSON.parse(await readFile(target, 'utf8'));
  const root = under && doc[under] && typeof doc[under] === 'object' ? doc[under] : doc;
  const done = mutateJson(random, root);
  await writeFile(target, stringifyMutated(doc, random.chance(0.5) ? 2 : undefined));
  return `${file}${under && root !== doc ? ` .${under}` : ''}: ${done.join('; ')}`;
}

async function damageJsonFile(random: CaseRandom, dir: string): Promise<string> {
  const file = random.pick(['synth.json', 'model.json']);
  const target = path.join(dir, file);
  const { text, what } = damageJsonText(random, await readFile(target, 'utf8'));
  await writeFile(target, text);
  return `${file}: ${what}`;
}

/** Truncated, extended or flipped weights; half the time synth.json's size and sha256 are updated to match, so the damage reaches the kernel. */
async function damageWeights(random: CaseRandom, dir: string): Promise<string> {
  const target = path.join(dir, 'weights.bin');
  const bytes = Buffer.from(await readFile(target));
  let damaged: Buffer;
  let what: string;
  const floats = bytes.length >> 2;
  switch (random.pick(['truncate', 'extend', 'flip', 'special-floats'] as const)) {
    case 'truncate': {
      const length = random.int(0, bytes.length - 1);
      damaged = bytes.subarray(0, length);
      what = `truncated to ${length} of ${bytes.length} bytes`;
      break;
    }
    case 'extend': {
      const extra = random.pick([1, 3, 4, 64, 4096]);
      damaged = Buffer.concat([bytes, random.bytes(extra)]);
      what = `${extra} bytes appended`;
      break;
    }
    case 'flip': {
      const n = random.int(1, 32);
      for (let i = 0; i < n; i++) bytes[random.int(0, bytes.length - 1)]! ^= 1 << random.int(0, 7);
      damaged = bytes;
      what = `${n} bits flipped`;
      break;
    }
    case 'special-floats': {
      const value = random.pick([NaN, Infinity, -Infinity, 3.4e38, -3.4e38, 1e-45]);
      const n = random.pick([1, 10, floats]);
      for (let i = 0; i < n; i++) bytes.writeFloatLE(value, 4 * random.int(0, floats - 1));
      damaged = bytes;
      what = `${n === floats ? 'many' : n} weights set to ${value}`;
      break;
    }
  }
  await writeFile(target, damaged);
  if (random.chance(0.5)) {
    const manifestPath = path.join(dir, 'synth.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    manifest.weights[0].bytes = damaged.length;
    manifest.weights[0].sha256 = sha256(damaged);
    await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
    what += ', synth.json size and sha256 updated to match';
  }
  return `weights.bin: ${what}`;
}

/** A model file swapped for something that is not a regular file inside the directory. */
async function replaceFile(random: CaseRandom, dir: string, caseDir: string): Promise<string> {
  const file = random.pick(FILES);
  const target = path.join(dir, file);
  const how = random.pick(['delete', 'directory', '/dev/zero', '/dev/null', 'loop', 'dangling', 'outside', 'sibling', 'fifo', 'empty', 'model-link'] as const);
  if (how === 'model-link') {
    // The model directory itself a link to an intact copy: must work as the copy does.
    const real = path.join(caseDir, 'real-model');
    await cp(dir, real, { recursive: true });
    await rm(dir, { recursive: true });
    await symlink(real, dir);
    return 'the model directory is a symbolic link to an intact copy';
  }
  const outside = path.join(caseDir, `outside-${file}`);
  if (how === 'outside') await cp(target, outside);
  await rm(target, { force: true });
  switch (how) {
    case 'delete':
      break;
    case 'directory':
      await mkdir(target);
      break;
    case '/dev/zero':
    case '/dev/null':
      await symlink(how, target);
      break;
    case 'loop':
      await symlink(file, target);
      break;
    case 'dangling':
      await symlink(path.join(caseDir, 'nowhere'), target);
      break;
    case 'outside':
      await symlink(outside, target);
      break;
    case 'sibling':
      await symlink(FILES.find((f) => f !== file)!, target);
      break;
    case 'fifo':
      execFileSync('mkfifo', [target]);
      break;
    case 'empty':
      await writeFile(target, '');
      break;
  }
  return `${file}: ${how === 'delete' ? 'deleted' : how === 'empty' ? 'empty' : `replaced by ${how}`}`;
}
