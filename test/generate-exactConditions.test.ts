import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedShare, generateCandidates, type Candidate } from '../src/engine/generator.js';
import type { LstmState, StepKernel } from '../src/engine/kernels/kernel.js';
import { conditionalStarts, type ConditionPlacement } from '../src/generate/conditionalStart.js';
import { compileConstraint } from '../src/schema/recordConstraint.js';
import type { RecordSchema } from '../src/schema/schema.js';
import { CharTokenizer } from '../src/tokenizer/charTokenizer.js';

/**
 * Records of two closed-set fields a, b written in that order by a known distribution: p(a1) =
 * 0.8; p(b1 | a1) = 0.1, p(b1 | a2) = 0.9. Given b = b1, Bayes says p(a1 | b1) = 0.08 / 0.26 =
 * 0.3077. A condition met exactly must give that share of a1; one forced in place gives 0.8.
 */
const schema: RecordSchema = {
  closedSetMaxValues: 300,
  fields: [
    { name: 'a', kind: 'set', blankShare: 0, repeats: true, distinct: 2, minLength: 2, maxLength: 2, chars: '12a', values: ['a1', 'a2'] },
    { name: 'b', kind: 'set', blankShare: 0, repeats: true, distinct: 2, minLength: 2, maxLength: 2, chars: '12b', values: ['b1', 'b2'] },
  ],
};
const tokenizer = CharTokenizer.fromCharacters(new Set('ab12'), 2, true, [['a1', 'a2'], ['b1', 'b2']], [0, 1], [], { fieldTokens: true });
const id = (name: string): number => tokenizer.spec.vocab.indexOf(name);
const [A1, A2, B1, B2] = ['<F1:a1>', '<F1:a2>', '<F2:b1>', '<F2:b2>'].map(id) as [number, number, number, number];
const [F1, F2] = tokenizer.fieldTokens! as [number, number];

/** A kernel whose "state" remembers the value of a, and whose logits are the distribution above. */
function markovKernel(batchSize: number): StepKernel {
  const V = tokenizer.vocabSize;
  const log = Math.log;
  return {
    backend: 'test',
    batchSize,
    vocabSize: V,
    units: [1],
    async step(tokens: Int32Array, state: LstmState): Promise<Float32Array> {
      const logits = new Float32Array(batchSize * V).fill(-30);
      for (let row = 0; row < batchSize; row++) {
        const token = tokens[row]!;
        if (token === A1 || token === A2) state[0]![row] = token;
        const at = (t: number, p: number) => (logits[row * V + t] = log(p));
        if (token === tokenizer.endOfRecord) at(F1, 1);
        else if (token === F1) (at(A1, 0.8), at(A2, 0.2));
        else if (token === A1 || token === A2) at(F2, 1);
        else if (token === F2) state[0]![row] === A1 ? (at(B1, 0.1), at(B2, 0.9)) : (at(B1, 0.9), at(B2, 0.1));
        else at(tokenizer.endOfRecord, 1);
      }
      return logits;
    },
    async dispose() {},
  };
}

async function shareOfA1(placement: ConditionPlacement, count: number): Promise<{ a1: number; kept: number; rejected: number }> {
  const constraint = compileConstraint(schema, tokenizer);
  const built = conditionalStarts(tokenizer, schema, constraint, [[{ field: 1, kind: 'values', values: ['b1'] }]], placement);
  let a1 = 0;
  let kept = 0;
  let rejected = 0;
  const candidates: AsyncIterable<Candidate> = generateCandidates(markovKernel(16), tokenizer.endOfRecord, {
    prefixes: built.prefixes,
    sequences: built.sequences,
    constraint: built.constraint,
    temperature: 1,
    maxTokens: 10,
    randomSeed: 5,
    firstIndex: 0,
  });
  for await (const candidate of candidates) {
    if (candidate.rejected) {
      rejected++;
      continue;
    }
    const fields = tokenizer.decodeFields(candidate.ids);
    assert.equal(fields[1], 'b1', 'every kept record meets the condition');
    if (fields[0] === 'a1') a1++;
    if (++kept === count) break;
  }
  return { a1: a1 / kept, kept, rejected };
}

test('an exact condition gives the conditional distribution of the fields written before it (Bayes: 0.308)', async () => {
  const exact = await shareOfA1('exact', 4000);
  // Binomial standard error at 4000 draws: 0.0073; 0.3077 ± 4 of them.
  assert.ok(Math.abs(exact.a1 - 0.3077) < 0.03, `a1 share ${exact.a1}`);
  // p(b1) = 0.26: about 2.85 records turned down per record kept.
  assert.ok(exact.rejected / exact.kept > 2.3 && exact.rejected / exact.kept < 3.4, `${exact.rejected} turned down for ${exact.kept}`);
  const inPlace = await shareOfA1('in-place', 2000);
  assert.ok(Math.abs(inPlace.a1 - 0.8) < 0.04, `forced in place, a keeps its own distribution: ${inPlace.a1}`);
  assert.equal(inPlace.rejected, 0);
});

test('the same seed turns down and keeps the same records', async () => {
  const first = await shareOfA1('exact', 300);
  const second = await shareOfA1('exact', 300);
  assert.deepEqual(first, second);
});

test('allowedShare: the allowed mass among the reference tokens, at the temperature; greedy is all or nothing', () => {
  const logits = Float32Array.from([Math.log(0.5), Math.log(0.3), Math.log(0.2)]);
  const all = Float32Array.from([0, 0, 0]);
  const two = Float32Array.from([-Infinity, 0, 0]);
  const reference = Float32Array.from([0, 0, -Infinity]);
  assert.ok(Math.abs(allowedShare(logits, 0, 3, 1, two, all) - 0.5) < 1e-6);
  assert.ok(Math.abs(allowedShare(logits, 0, 3, 1, two, reference) - 0.3 / 0.8) < 1e-6, 'tokens the schema masks do not count');
  const hot = allowedShare(logits, 0, 3, 2, two, all);
  const expected = (Math.sqrt(0.3) + Math.sqrt(0.2)) / (Math.sqrt(0.5) + Math.sqrt(0.3) + Math.sqrt(0.2));
  assert.ok(Math.abs(hot - expected) < 1e-6, 'temperature 2 flattens the distribution first');
  assert.equal(allowedShare(logits, 0, 3, 0, two, all), 0);
  assert.equal(allowedShare(logits, 0, 3, 0, Float32Array.from([0, -Infinity, -Infinity]), all), 1);
});
