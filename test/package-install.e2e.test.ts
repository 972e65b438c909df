import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from './helpers/runCli.js';

const run = promisify(execFile);

/**
 * The package as a user gets it: `npm pack` (the dist already built by `npm test`; --ignore-scripts
 * so the pack does not rebuild dist under the other suites), then a fresh project installs the
 * tarball OFFLINE from npm's cache and runs the bin and the API. The project's lockfile is made from
 * this repository's (the cache holds exactly those tarballs), as a user's CI would have one.
 */
describe('the packed package, installed offline into a fresh project', () => {
  let work: string;
  let files: string[];
  let project: string;
  // No allowScripts in the user's project and no ONNXRUNTIME_NODE_INSTALL: onnxruntime-node's
  // postinstall runs, cannot download its CUDA files offline, and must not fail the install.
  const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: '', npm_config_onnxruntime_node_install: '' };

  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'synth-pack-'));
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: repoRoot, env });
    const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
    files = packed.files.map((f) => f.path);
    project = path.join(work, 'project');
    await run('mkdir', ['-p', project]);
    const tarball = path.join(work, packed.filename);
    await writeProject(project, tarball);
    await run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: project, env, timeout: 420_000 });
  });

  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  test('the tarball holds the built JS, declarations, the bundled model and README, and no tests, benches or training data', () => {
    for (const f of ['bin/synth.js', 'dist/src/cli/main.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'fixtures/default-model/synth.json', 'fixtures/default-model/weights.bin', 'README.md', 'package.json']) {
      assert.ok(files.includes(f), `${f} is packed`);
    }
    const unwanted = files.filter((f) => /^(src|test|bench|scripts|dist\/(test|bench|scripts))\/|^fixtures\/(?!default-model\/)|\.map$|^\.ci/.test(f));
    assert.deepEqual(unwanted, []);
  });

  test('npx synth generate --lines 5 prints five records from the bundled model', async () => {
    const { stdout, stderr } = await run('npx', ['--offline', 'synth', 'generate', '--lines', '5', '--random-seed', '3'], { cwd: project, env, timeout: 120_000 });
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines.length, 5, stdout);
    for (const line of lines) assert.match(line, /^C\d{5},/, 'a customer record of the bundled model');
    // At most one line on stderr: the fallback note when onnxruntime-node could not install here.
    const notes = stderr.trim() === '' ? [] : stderr.trim().split('\n');
    assert.ok(notes.length <= 1, stderr);
    if (notes.length === 1) assert.match(notes[0]!, /using the wasm backend\. For the native backend: ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node/);
  });

  test("the API imports as 'synth', generates typed records and type-checks against the declarations", async () => {
    const script = path.join(project, 'fixtures.mts');
    await writeFile(
      script,
      `import { generate, loadModel, UsageError, type FieldValue, type SynthRecord } from 'synth';
const { manifest } = await loadModel();
const records: SynthRecord[] = [];
for await (const record of generate({ lines: 3, randomSeed: 3, workers: 1 })) records.push(record);
let usage = '';
try { for await (const _ of generate({ lines: 0 })) void _; } catch (error) { if (error instanceof UsageError) usage = error.message; }
console.log(JSON.stringify({ header: manifest.records.kind === 'delimited' ? manifest.records.header.length : 0, fields: records.map((r) => r.raw.length), ages: records.map((r) => { const age: FieldValue = r.fields.age!; return typeof age; }), usage }));
`,
    );
    const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    await run(process.execPath, [tsc, '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', path.join(repoRoot, 'node_modules', '@types'), script], { cwd: project });
    await run(process.execPath, [tsc, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node', '--typeRoots', path.join(repoRoot, 'node_modules', '@types'), script], { cwd: project });
    const { stdout } = await run(process.execPath, [script.replace(/\.mts$/, '.mjs')], { cwd: project, timeout: 60_000 });
    const result = JSON.parse(stdout) as { header: number; fields: number[]; ages: string[]; usage: string };
    assert.deepEqual(result.fields, [result.header, result.header, result.header]);
    assert.deepEqual(result.ages, ['number', 'number', 'number'], 'fields are typed by column name');
    assert.match(result.usage, /lines must be a whole number from 1/);
  });
});

/** package.json with the tarball as a devDependency, and a lockfile from this repository's. */
async function writeProject(project: string, tarball: string): Promise<void> {
  const pkg = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8'));
  const lock = JSON.parse(await readFile(path.join(repoRoot, 'package-lock.json'), 'utf8'));
  const spec = `file:${path.relative(project, tarball)}`;
  const integrity = `sha512-${createHash('sha512').update(await readFile(tarball)).digest('base64')}`;
  const packages: Record<string, object> = {
    '': { name: 'fixture-user', devDependencies: { synth: spec } },
    'node_modules/synth': {
      version: pkg.version,
      resolved: spec,
      integrity,
      dev: true,
      dependencies: pkg.dependencies,
      optionalDependencies: pkg.optionalDependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [key, entry] of Object.entries(lock.packages as Record<string, { dev?: boolean }>)) {
    if (key !== '' && !entry.dev) packages[key] = { ...entry, dev: true };
  }
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'fixture-user', private: true, type: 'module', devDependencies: { synth: spec } }, null, 2));
  await writeFile(path.join(project, 'package-lock.json'), JSON.stringify({ name: 'fixture-user', lockfileVersion: 3, requires: true, packages }, null, 2));
}
