import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './helpers/runCli.js';

/**
 * The floors of src/, lowest first (docs/development.md): a file imports only from its own floor
 * or lower ones. Rooms on one floor (generate, train, evaluate) may import each other.
 */
const FLOORS: readonly (readonly string[])[] = [
  ['errors'], ['random'], ['workers'], ['memory'], ['onnx', 'tfjs'], ['files'], ['schema'], ['model'], ['tokenizer'],
  ['engine'], ['validate'], ['output'], ['data'], ['generate', 'train', 'evaluate'], ['api'], ['cli'], ['index'],
];

const srcDir = path.join(repoRoot, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every relative import of every file (static, type-only, re-exports and import()), as .ts paths under src/. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(srcDir)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/(?:from\s*|import\s*\(\s*|import\s+)['"](\.\.?\/[^'"]+)\.js['"]/g)].map((m) => path.resolve(path.dirname(file), `${m[1]}.ts`));
    graph.set(path.relative(srcDir, file), [...new Set(targets)].map((t) => path.relative(srcDir, t)));
  }
  return graph;
}

function floorOf(file: string): number {
  const room = file.split(path.sep)[0]!.replace(/\.ts$/, '');
  return FLOORS.findIndex((floor) => floor.includes(room));
}

test('every file of src/ is in a room on a known floor', () => {
  const unplaced = [...importGraph().keys()].filter((file) => floorOf(file) < 0);
  assert.deepEqual(unplaced, [], 'add the room to FLOORS (and to docs/development.md) at its level');
});

test('no import goes up the floors', () => {
  const up = [...importGraph()].flatMap(([file, targets]) => targets.filter((t) => floorOf(t) > floorOf(file)).map((t) => `${file} -> ${t}`));
  assert.deepEqual(up, []);
});

test('no import circle, type-only imports included', () => {
  const graph = importGraph();
  const circles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === 'open') circles.push([...stack.slice(stack.indexOf(target)), target].join(' -> '));
      else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  assert.deepEqual(circles, []);
});
