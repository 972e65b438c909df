import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { evaluate, generate, train, UsageError, type Message } from '../src/index.js';
import { flagName } from '../src/cli/flagName.js';
import { formatMessage } from '../src/errors.js';
import { runCli } from './helpers/runCli.js';
import { writeRandomModel } from './helpers/randomModel.js';

/** Warnings and errors name options the way their reader sets them: keys for the API, flags for the CLI. */
describe('messages name options in the caller\'s own names', () => {
  let work: string;
  let model: string;
  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'synth-option-names-'));
    model = await writeRandomModel({ dir: path.join(work, 'model'), embeddingDim: 4, lstmUnits: [8], maxChars: 20 });
  });
  after(() => rm(work, { recursive: true, force: true }));

  const noFlags = (text: string) => assert.doesNotMatch(text, /(^|[\s(])--?[a-z]/, `names a CLI flag: ${text}`);

  test('generate(): the worker cap warning names workers; its parts render as --workers for the CLI', async () => {
    const cap = 4 * os.availableParallelism();
    const warnings: [string, Message][] = [];
    for await (const _ of generate({ model, lines: 1, randomSeed: 1, workers: cap + 1, schema: 'off', onWarning: (line, warning) => warnings.push([line, warning]) }));
    const [line, parts] = warnings.find(([text]) => text.includes('worker threads')) ?? assert.fail(`no worker warning in ${JSON.stringify(warnings)}`);
    assert.match(line, new RegExp(`^workers ${cap + 1}: using ${cap} worker threads`));
    noFlags(line);
    assert.match(formatMessage(parts, flagName), new RegExp(`^--workers ${cap + 1}: using ${cap} worker threads`));
  });

  test('synth generate prints the same warning with the flag', async () => {
    const cap = 4 * os.availableParallelism();
    const result = await runCli(['generate', '--model', model, '--lines', '1', '--random-seed', '1', '--schema', 'off', '--workers', String(cap + 1)]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`^synth: --workers ${cap + 1}: using ${cap} worker threads`, 'm'));
  });

  test('train(): the detected-delimiter note names input and delimiter, not --input and --delimiter', async () => {
    const input = path.join(work, 'pipes.txt');
    await writeFile(input, ['name|age', ...Array.from({ length: 20 }, (_, i) => `n${i}|${20 + i}`)].join('\n') + '\n');
    const warnings: [string, Message][] = [];
    await train({
      input,
      out: path.join(work, 'trained'),
      embeddingDim: 4,
      lstmUnits: [8],
      epochs: 1,
      workers: 1,
      randomSeed: 1,
      observer: { warning: (line, warning) => warnings.push([line, warning]) },
    });
    const [line, parts] = warnings.find(([text]) => text.startsWith('reading')) ?? assert.fail(`no delimiter note in ${JSON.stringify(warnings)}`);
    assert.match(line, /^reading input .*pipes\.txt as delimited by '\|'.*\(pass delimiter to choose another, or delimiter none for plain text\)$/);
    noFlags(line);
    assert.match(formatMessage(parts, flagName), /^reading --input .*\(pass --delimiter to choose another, or --delimiter none for plain text\)$/);
  });

  test('evaluate(): a report warning names synthetic and data; synth evaluate names --synthetic and --data', async () => {
    const data = path.join(work, 'real.csv');
    const synthetic = path.join(work, 'other.csv');
    const rows = Array.from({ length: 40 }, (_, i) => `n${i % 7},${20 + (i % 11)}`);
    await writeFile(data, ['name,age', ...rows].join('\n') + '\n');
    await writeFile(synthetic, ['who,years', ...rows].join('\n') + '\n');
    const report = await evaluate({ data, synthetic, randomSeed: 1 });
    const warning = report.warnings.find((w) => w.startsWith('the header of')) ?? assert.fail(`no header warning in ${JSON.stringify(report.warnings)}`);
    assert.match(warning, /^the header of synthetic .*other\.csv \(who, years\) differs from data's \(name, age\)/);
    noFlags(warning);
    const cli = await runCli(['evaluate', '--data', data, '--synthetic', synthetic, '--random-seed', '1']);
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stderr, /the header of --synthetic .*other\.csv \(who, years\) differs from --data's \(name, age\)/);
  });

  test('rejection reasons: onInvalid reads maxChars and match; synth generate --invalid-output reads --max-chars and --match', async () => {
    const reasons: string[] = [];
    const run = generate({ model, lines: 1, randomSeed: 3, maxChars: 2, match: '^never$', maxInvalid: 20, schema: 'off', onInvalid: (_record, reason) => void reasons.push(reason) });
    await assert.rejects(async () => {
      for await (const _ of run);
    }, /rejected, more than maxInvalid 20/);
    assert.ok(reasons.some((r) => /^reached maxChars 2 before the end of the record$|^does not match match \/\^never\$\/$/.test(r)), reasons.join(' | '));
    reasons.forEach(noFlags);

    const log = path.join(work, 'rejected.jsonl');
    const cli = await runCli(['generate', '--model', model, '--lines', '1', '--random-seed', '3', '--max-chars', '2', '--match', '^never$', '--max-invalid', '20', '--schema', 'off', '--invalid-output', log]);
    assert.equal(cli.status, 4, cli.stderr);
    const logged = (await readFile(log, 'utf8')).trim().split('\n').map((line) => (JSON.parse(line) as { reason: string }).reason);
    assert.deepEqual(logged, reasons.map((r) => r.replace(/^reached maxChars/, 'reached --max-chars').replace(/^does not match match/, 'does not match --match')), 'the same reasons, in flags');
  });

  test('errors: an API caller reads maxChars and synthetic; the CLI reads --max-chars and --synthetic', async () => {
    const tooLong = await (async () => {
      try {
        for await (const _ of generate({ model, lines: 1, maxChars: 0 }));
      } catch (error) {
        return error;
      }
      return assert.fail('expected maxChars 0 to be refused');
    })();
    assert.ok(tooLong instanceof UsageError);
    assert.match(tooLong.message, /^maxChars /);
    noFlags(tooLong.message);
    assert.match(tooLong.format(flagName), /^--max-chars /);

    const missing = await evaluate({ data: path.join(work, 'real.csv'), synthetic: path.join(work, 'absent.csv') }).then(
      () => assert.fail('expected a missing synthetic file to be refused'),
      (error: unknown) => error,
    );
    assert.ok(missing instanceof UsageError);
    assert.match(missing.message, /^synthetic .*absent\.csv does not exist/);
    noFlags(missing.message);
  });
});
