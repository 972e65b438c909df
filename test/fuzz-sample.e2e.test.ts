import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { FUZZ_KINDS } from '../scripts/fuzz/kinds/index.js';
import { reproduceCommand, runFuzz, type KindSummary } from '../scripts/fuzz/runFuzz.js';

// A fixed seeded sample of `npm run fuzz`: mutated model directories, training files, schema and
// seed files, numeric flags and --where conditions through the real CLI. SYNTH_FUZZ_SEED and SYNTH_FUZZ_CASES pick
// another sample or a bigger one.
const SEED = Number(process.env.SYNTH_FUZZ_SEED ?? 20261207);
/** Cases per kind; training runs cost several times a generate run, so that kind gets a third. */
const CASES = Number(process.env.SYNTH_FUZZ_CASES ?? 30);
const casesOf = (kind: string) => (kind === 'train' ? Math.ceil(CASES / 3) : CASES);

const summaries = new Map<string, KindSummary>();

before(async () => {
  for (const summary of await runFuzz({ seed: SEED, kinds: FUZZ_KINDS, count: casesOf, jobs: 2 })) summaries.set(summary.kind, summary);
}, { timeout: 900_000 });

describe('a seeded sample of fuzz cases', () => {
  for (const kind of FUZZ_KINDS) {
    test(`${kind.name}: every case ends with exit 0, 2, 3 or 4 and one line naming the input, never a crash, hang or 1 GB`, (t) => {
      const summary = summaries.get(kind.name)!;
      t.diagnostic(`endings: ${JSON.stringify(summary.byEnding)} in ${summary.elapsedMs} ms`);
      const failures = summary.failures.map((f) => `${f.verdict.ok ? '' : f.verdict.problem}\n  input: ${f.fuzzCase.description}\n  replay: ${reproduceCommand(SEED, f.kind, f.index)}`);
      assert.deepEqual(failures, []);
      assert.equal(summary.cases, casesOf(kind.name));
      // The sample must reach past the first check: some cases are refused, and some get through.
      assert.ok(Object.keys(summary.byEnding).length >= 2, `only one ending: ${JSON.stringify(summary.byEnding)}`);
    });
  }
});
