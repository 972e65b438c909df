import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertOneLineError } from './helpers/cliAssertions.js';
import { inBatches, runSynth } from './helpers/cliProcess.js';
import { writeRandomModel } from './helpers/randomModel.js';
import { unprivilegedUnavailable } from './helpers/unprivileged.js';
import type { CliResult } from './helpers/runCli.js';

// Every bad flag or value is a usage error: exit 2, one line naming the flag and what is
// accepted, no stack trace, and no output file touched.

let work: string;
let model: string;

before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'synth-rel-flags-'));
  model = await writeRandomModel({
    dir: path.join(work, 'model'),
    records: [['alice', '42', 'paris'], ['bob', '7', 'oslo, norway']],
    header: ['name', 'age', 'city'],
    embeddingDim: 4,
    lstmUnits: [8],
    seed: 4,
  });
});

after(() => rm(work, { recursive: true, force: true }));

const generate = (flags: string[], options: { unprivileged?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> =>
  runSynth(['generate', '--model', model, '--lines', '2', '--random-seed', '1', '--workers', '1', ...flags], { timeoutMs: 20_000, ...options });

const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Numeric flags, the values that make no sense for each, and the range the message must state. */
const NUMERIC_FLAGS: { flag: string; bad: string[]; range: string }[] = [
  { flag: '--lines', bad: ['-1', '0', '1.5', 'NaN', '1e3', '99999999999999999999', 'Infinity', ''], range: 'a whole number from 1 to 1000000000' },
  { flag: '--max-chars', bad: ['-5', '0', '2.5', 'NaN', '1000001'], range: 'a whole number from 1 to 1000000' },
  { flag: '--max-invalid', bad: ['-1', '0.5', 'NaN', '1e99'], range: 'a whole number from 0 to 1000000000' },
  { flag: '--random-seed', bad: ['-1', '1.5', 'NaN', '4294967296', '0x10'], range: 'a whole number from 0 to 4294967295' },
  { flag: '--batch-size', bad: ['-8', '0', '1.5', 'NaN', '4097'], range: 'a whole number from 1 to 4096' },
  { flag: '--workers', bad: ['-1', '0', '1.5', 'NaN', '257'], range: 'a whole number from 1 to 256' },
  { flag: '--validator-timeout', bad: ['-1', '0', '2.5', 'NaN', '3600001'], range: 'a whole number from 1 to 3600000' },
  { flag: '--temperature', bad: ['-0.1', '-1', 'NaN', 'hot', 'Infinity', '1e400', '101', ''], range: 'a number from 0 to 100' },
];

describe('numbers that make no sense exit 2, naming the flag and the accepted range', () => {
  for (const { flag, bad, range } of NUMERIC_FLAGS) {
    test(`${flag} ${bad.map((v) => JSON.stringify(v)).join(', ')}`, async (t) => {
      const results = await inBatches(bad.map((value) => () => generate([`${flag}=${value}`])), 4);
      results.forEach((result, i) => {
        const line = assertOneLineError(result, 2, new RegExp(`option '${esc(flag)} <[a-z]+>' argument '${esc(bad[i]!)}' is invalid`), new RegExp(`expected ${range}`));
        if (i === 0) t.diagnostic(line);
      });
    });
  }

  test('the edges of each range are accepted (the control)', async () => {
    const accepted = [['--lines', '1'], ['--max-invalid', '0'], ['--random-seed', '4294967295'], ['--random-seed', '0'], ['--temperature', '0'], ['--batch-size', '1'], ['--validator-timeout', '1']];
    const results = await inBatches(accepted.map(([flag, value]) => () => generate(['--no-validate', flag!, value!])), 3);
    results.forEach((result, i) => assert.equal(result.status, 0, `${accepted[i]!.join(' ')}: ${result.stderr}`));
  });
});

describe('other bad flags exit 2 with one line naming the flag', () => {
  test('an unknown flag', async (t) => {
    t.diagnostic(assertOneLineError(await generate(['--no-such-flag']), 2, /unknown option '--no-such-flag'/));
  });

  test('a misspelt flag gets its suggestion on the same line', async (t) => {
    t.diagnostic(assertOneLineError(await generate(['--sed', 'a']), 2, /unknown option '--sed' \(Did you mean --seed\?\)/));
  });

  test('a flag missing its value', async (t) => {
    t.diagnostic(assertOneLineError(await runSynth(['generate', '--model', model, '--lines']), 2, /option '--lines <n>' argument missing/));
  });

  test('an unknown command, and no command at all', async (t) => {
    t.diagnostic(assertOneLineError(await runSynth(['generat']), 2, /unknown command 'generat' \(Did you mean generate\?\)/));
    const bare = await runSynth([]);
    assert.equal(bare.status, 2, 'synth without a command is a usage error');
    assert.match(bare.stderr, /Usage: synth/);
  });

  test('--backend and --format outside their choices', async (t) => {
    t.diagnostic(assertOneLineError(await generate(['--backend', 'gpu']), 2, /option '--backend <name>' argument 'gpu' is invalid\. Allowed choices are auto, onnx, onnx-int8, tensorflow, wasm, cpu/));
    t.diagnostic(assertOneLineError(await generate(['--format', 'xml']), 2, /option '--format <format>' argument 'xml' is invalid\. Allowed choices are text, csv, jsonl/));
  });

  test('--match that is not a regular expression', async (t) => {
    t.diagnostic(assertOneLineError(await generate(['--match', 'a(b']), 2, /--match "a\(b" is not a valid regular expression/));
  });

  test('--seed holding characters outside the vocabulary names each of them once', async (t) => {
    t.diagnostic(assertOneLineError(await generate(['--seed', 'alizé€z']), 2, /--seed "alizé€z" holds characters the model never saw: "z", "é", "€"; remove them/));
  });

  test('one of several start strings with unknown characters is named by its position', async (t) => {
    t.diagnostic(assertOneLineError(await generate(['--seed', 'bob,', '--seed', 'Q,', '--lines', '2']), 2, /start string 2 \("Q,"\) holds characters the model never saw: "Q"/));
  });

  test('a delimited-model seed with more fields than the model has', async (t) => {
    t.diagnostic(assertOneLineError(await generate(['--seed', 'bob,7,oslo,paris']), 2, /--seed "bob,7,oslo,paris" has 4 fields but the model's records have 3 \(name,age,city\); give at most 3/));
  });

  test('a quoted delimiter inside a seed field is not counted as a field (the control)', async () => {
    const result = await generate(['--seed', 'bob,7,"oslo, norway"', '--no-validate']);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(result.stdout.split('\n').slice(0, 2).every((row) => row.startsWith('bob,7,"oslo, norway')), result.stdout);
  });

  test('a start string that leaves no room under --max-chars', async (t) => {
    t.diagnostic(assertOneLineError(await generate(['--seed', 'alice,', '--max-chars', '6']), 2, /--max-chars 6 leaves no room after a start string of 6 characters; raise --max-chars/));
  });

  test('--lines that contradicts the number of start strings', async (t) => {
    t.diagnostic(assertOneLineError(await generate(['--seed', 'bob,', '--seed', 'alice,', '--lines', '3']), 2, /--lines 3 does not match the 2 start strings/));
  });

  test('--seed together with --seed-file, and a missing --seed-file', async (t) => {
    const seeds = path.join(work, 'seeds.txt');
    await writeFile(seeds, 'bob,\n');
    t.diagnostic(assertOneLineError(await generate(['--seed', 'bob,', '--seed-file', seeds]), 2, /give either --seed or --seed-file, not both/));
    t.diagnostic(assertOneLineError(await generate(['--seed-file', path.join(work, 'no-seeds.txt')]), 2, /--seed-file .*no-seeds\.txt cannot be read \(ENOENT\)/));
  });

  for (const [format, file, implied] of [['jsonl', 'out.csv', 'csv'], ['csv', 'out.jsonl', 'jsonl'], ['text', 'out.ndjson', 'jsonl'], ['csv', 'OUT.TXT', 'text']] as const) {
    test(`--format ${format} contradicting -o ${file}`, async (t) => {
      const out = path.join(work, file);
      t.diagnostic(assertOneLineError(await generate(['--format', format, '-o', out]), 2, new RegExp(`--format ${format} contradicts -o/--output ${esc(out)}, whose extension means ${implied}; drop --format or change the file name`)));
      await assert.rejects(stat(out), 'no file is created');
    });
  }

  test('-o in a missing directory, and --invalid-output in one', async (t) => {
    const out = path.join(work, 'missing-dir', 'out.csv');
    t.diagnostic(assertOneLineError(await generate(['-o', out]), 2, new RegExp(`-o/--output ${esc(out)}: directory ${esc(path.dirname(out))} does not exist; create it first`)));
    t.diagnostic(assertOneLineError(await generate(['--invalid-output', out]), 2, new RegExp(`--invalid-output ${esc(out)}: directory .* does not exist`)));
  });

  test('-o naming a directory', async (t) => {
    t.diagnostic(assertOneLineError(await generate(['-o', work]), 2, /-o\/--output .*: is a directory; give a file path/));
  });

  test('-o and --invalid-output naming the same file', async (t) => {
    const out = path.join(work, 'same.jsonl');
    t.diagnostic(assertOneLineError(await generate(['-o', out, '--invalid-output', out]), 2, /-o\/--output and --invalid-output both name .*same\.jsonl; give them different files/));
  });

  test('-o in a read-only directory (file permissions enforced, since root may write anywhere)', { skip: unprivilegedUnavailable() }, async (t) => {
    const locked = path.join(work, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o555);
    const out = path.join(locked, 'out.csv');
    const result = await generate(['-o', out], { unprivileged: true });
    t.diagnostic(assertOneLineError(result, 2, new RegExp(`-o/--output ${esc(out)}: permission denied; check that directory ${esc(locked)} \\(and the file, if it exists\\) is writable`)));
  });

  test('a run that fails at start leaves an existing output file untouched', async () => {
    const out = path.join(work, 'precious.csv');
    await writeFile(out, 'name,age,city\nkeep,1,me\n');
    for (const flags of [['--seed', 'zzz'], ['--validator', path.join(work, 'no-validator.mjs')], ['--max-chars', '1', '--seed', 'a']]) {
      const result = await generate([...flags, '-o', out]);
      assert.equal(result.status, 2, result.stderr);
      assert.equal(await readFile(out, 'utf8'), 'name,age,city\nkeep,1,me\n', flags.join(' '));
    }
    const badModel = await runSynth(['generate', '--model', path.join(work, 'no-model'), '-o', out]);
    assert.equal(badModel.status, 3);
    assert.equal(await readFile(out, 'utf8'), 'name,age,city\nkeep,1,me\n');
  });
});
