// The doc check: every command shown in README.md and docs/*.md runs with the real CLI, and every
// API example runs against the built package. What it substitutes is in helpers/docSubstitutions.ts
// and the shims in helpers/docShims/; docs/development.md explains both for the people who write pages.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import ts from 'typescript';
import { apiSnippets, callsSynth, staleErrorLines, fencedBlocks, headingAnchors, relativeLinks, SHELL_LANGS, shellCommands, shownFiles, yamlCommands, type DocCommand, type FencedBlock } from './helpers/docBlocks.js';
import { DocDatabases, usesDatabaseUrl } from './helpers/docDatabase.js';
import { substituteSynthArgs } from './helpers/docSubstitutions.js';
import { prepareInputs, runDocCommand, writeShimBin } from './helpers/docWorkspace.js';
import { repoRoot, runCli } from './helpers/runCli.js';

const pages = ['README.md', ...readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const blocksOf = (page: string): FencedBlock[] => fencedBlocks(readFileSync(path.join(repoRoot, page), 'utf8'));
const commandsOf = (block: FencedBlock): DocCommand[] => (SHELL_LANGS.has(block.lang) ? shellCommands(block) : block.lang === 'yaml' || block.lang === 'yml' ? yamlCommands(block) : []);

/** Tools the pages pipe into that a machine may lack: their blocks are skipped there, saying so. */
const OPTIONAL_TOOLS = ['jq'];
const missingTools = OPTIONAL_TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
/** `$DATABASE_URL` in a block is a fresh database on a throwaway PostgreSQL cluster (helpers/docDatabase.ts). */
const databases = new DocDatabases();
const noDatabase = await DocDatabases.unavailable();

let root: string;
let binDir: string;
before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'synth-docs-'));
  binDir = path.join(root, 'bin');
  await writeShimBin(binDir);
});
after(async () => {
  await databases.stop();
  await rm(root, { recursive: true, force: true });
});

/** A fresh directory for one block: its commands share it, in order, as a reader's shell would. */
async function workspace(): Promise<{ dir: string; logFile: string }> {
  const dir = await mkdtemp(path.join(root, 'ws-'));
  return { dir, logFile: path.join(dir, '.synth-calls.jsonl') };
}

const synthCalls = async (logFile: string): Promise<number> => (await readFile(logFile, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

for (const page of pages) {
  const blocks = blocksOf(page);
  const shown = shownFiles(blocks);
  describe(`the commands of ${page}`, { concurrency: 2 }, () => {
    for (const block of blocks) {
      const commands = commandsOf(block);
      if (commands.length === 0) continue;
      const lacking = missingTools.filter((tool) => commands.some((c) => new RegExp(`(^|[|;&]\\s*)${tool}\\s`).test(c.text)));
      const needsDatabase = commands.some((c) => usesDatabaseUrl(c.text));
      const skip = (lacking.length > 0 && `${lacking.join(', ')} not installed`) || (needsDatabase && noDatabase);
      test(`line ${block.line}: ${commands.map((c) => c.text.replace(/\s+#.*$/, '').slice(0, 60)).join(' ; ')}`, { skip }, async () => {
        const { dir, logFile } = await workspace();
        const env = needsDatabase ? { DATABASE_URL: await databases.freshUrl() } : undefined;
        for (const documented of commands) {
          const command = env ? { ...documented, env: { ...documented.env, ...env } } : documented;
          await prepareInputs(command, dir, shown);
          for (const made of command.dirs ?? []) await mkdir(path.join(dir, made), { recursive: true });
          const before = await synthCalls(logFile);
          const result = await runDocCommand(command, { workspace: dir, binDir, logFile });
          const where = `${page}:${command.line} \`${command.text}\``;
          assert.equal(result.status, command.expectedStatus, `${where} exited ${result.status ?? result.signal}, documented ${command.expectedStatus}\n${result.stderr.slice(-2000)}`);
          assert.deepEqual(staleErrorLines(command, result.stderr), [], `${where}: the error the page shows is not the one printed:\n${result.stderr}`);
          if (callsSynth(command.text)) assert.ok((await synthCalls(logFile)) > before, `${where} names synth but never ran it`);
        }
        await rm(dir, { recursive: true, force: true });
      });
    }
  });
}

describe('the API examples', () => {
  for (const page of pages) {
    const blocks = blocksOf(page);
    for (const snippet of apiSnippets(blocks)) {
      test(`${page} line ${snippet.line} runs against the built package`, async () => {
        const { dir } = await workspace();
        // `import ... from 'synth'` resolves through package.json's exports, as in a user's project.
        await mkdir(path.join(dir, 'node_modules'));
        await symlink(repoRoot, path.join(dir, 'node_modules', 'synth'), 'dir');
        const source = snippet.lines.join('\n');
        for (const [, , value] of source.matchAll(/\b(input|data|synthetic|model): '([^']+)'/g)) {
          await prepareInputs({ text: `--data ${value}`, line: snippet.line, expectedStatus: 0 }, dir, new Map());
        }
        const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
        await writeFile(path.join(dir, 'example.mjs'), js);
        const result = await runDocCommand({ text: `node example.mjs`, line: snippet.line, expectedStatus: 0 }, { workspace: dir, binDir, logFile: path.join(dir, 'log') });
        assert.equal(result.status, 0, `${page}:${snippet.line} exited ${result.status}\n${result.stderr}`);
        const output = outputShownAfter(blocks, snippet);
        if (output) assert.equal(lines(result.stdout).length, output.lines.length, `${page}:${snippet.line} printed\n${result.stdout}\nbut the page shows ${output.lines.length} lines`);
        await rm(dir, { recursive: true, force: true });
      });
    }
  }
});

/** A `text` block right after an example (a line of prose between at most) shows its output. */
function outputShownAfter(blocks: FencedBlock[], snippet: FencedBlock): FencedBlock | undefined {
  const next = blocks[blocks.indexOf(snippet) + 1];
  const snippetEnd = snippet.line + snippet.lines.length + 1;
  return next && next.lang === 'text' && next.line - snippetEnd <= 3 ? next : undefined;
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

describe('the doc check itself', () => {
  test('the README starts with the quick start CI runs on a fresh clone, exactly as written', () => {
    const first = blocksOf('README.md').find((b) => SHELL_LANGS.has(b.lang));
    assert.deepEqual(first && shellCommands(first).map((c) => c.text), ['npm install && npx synth generate --lines 10', 'npm test']);
  });

  test('every page with a synth command has it covered, and the README stays under 12 KB', () => {
    const covered = pages.filter((p) => blocksOf(p).some((b) => commandsOf(b).some((c) => callsSynth(c.text))));
    assert.ok(covered.includes('README.md') && covered.length >= 6, `pages with commands: ${covered.join(', ')}`);
    assert.ok(readFileSync(path.join(repoRoot, 'README.md')).length <= 12 * 1024, 'README.md is over 12 KB: move detail into docs/');
  });

  test('every relative link points to a file, and to a heading of it, that exist', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const link of relativeLinks(readFileSync(path.join(repoRoot, page), 'utf8'))) {
        const file = link.target === '' ? path.join(repoRoot, page) : path.resolve(repoRoot, path.dirname(page), link.target);
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          broken.push(`${page}:${link.line} ${link.target} does not exist`);
          continue;
        }
        if (link.anchor && file.endsWith('.md') && !headingAnchors(text).has(link.anchor)) broken.push(`${page}:${link.line} ${link.target}#${link.anchor}: no such heading`);
      }
    }
    assert.deepEqual(broken, []);
  });

  test('every flag in --help is documented on the page of its command', async () => {
    for (const command of ['generate', 'train', 'evaluate']) {
      const help = await runCli([command, '--help']);
      const page = readFileSync(path.join(repoRoot, 'docs', `${command}.md`), 'utf8');
      const flags = [...help.stdout.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]!).filter((f) => f !== '--help');
      assert.ok(flags.length > 5, help.stdout);
      assert.deepEqual(flags.filter((f) => !new RegExp(`\`[^\`]*${f}(?![\\w-])`).test(page)), [], `flags of synth ${command} missing from docs/${command}.md`);
    }
  });

  test('$DATABASE_URL is a real PostgreSQL database: a documented load arrives in it', { skip: noDatabase }, async () => {
    const { dir, logFile } = await workspace();
    const env = { DATABASE_URL: await databases.freshUrl() };
    const load = await runDocCommand({ text: 'synth generate --format sql --lines 3 -q | psql -q -v ON_ERROR_STOP=1 "$DATABASE_URL"', line: 0, expectedStatus: 0, env }, { workspace: dir, binDir, logFile });
    assert.equal(load.status, 0, load.stderr);
    const count = await runDocCommand({ text: 'psql -At "$DATABASE_URL" -c "SELECT count(*) FROM customers"', line: 0, expectedStatus: 0, env }, { workspace: dir, binDir, logFile });
    assert.equal(count.stdout.trim(), '3', count.stderr);
  });

  test('a documented flag that no longer exists fails its command', async () => {
    const { dir, logFile } = await workspace();
    const result = await runDocCommand({ text: 'synth generate --lines 3 --no-such-flag', line: 0, expectedStatus: 0 }, { workspace: dir, binDir, logFile });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown option '--no-such-flag'/);
  });

  test('a long run is capped, not dropped: every flag still reaches the CLI', () => {
    assert.deepEqual(substituteSynthArgs(['generate', '--lines', '1000000', '--shard', '2/4']), ['generate', '--lines', '100', '--shard', '2/4']);
    assert.deepEqual(substituteSynthArgs(['train', '--input', 'a.csv', '--out', 'm', '--max-minutes=20']), ['train', '--input', 'a.csv', '--out', 'm', '--max-minutes', '0.01', '--no-score', '--workers', '1']);
    assert.deepEqual(substituteSynthArgs(['evaluate', '--data', 'a.csv']), ['evaluate', '--data', 'a.csv', '--lines', '100']);
  });

  test('console blocks run only the prompted lines; an exit status is read from the trailing comment', () => {
    const [block] = fencedBlocks('```console\n$ synth generate --lines 0   # exit status 2\nsynth: error: --lines in …, 0 given\n$ echo a \\\n  b\n```\n');
    const commands = shellCommands(block!);
    assert.deepEqual(commands.map((c) => [c.text, c.expectedStatus]), [
      ['synth generate --lines 0   # exit status 2', 2],
      ['echo a b', 0],
    ]);
    assert.deepEqual(staleErrorLines(commands[0]!, 'synth: error: --lines in 1 to 10, 0 given\n'), []);
    assert.deepEqual(staleErrorLines(commands[0]!, 'synth: error: --lines is bad\n'), ['synth: error: --lines in …, 0 given']);
  });
});
