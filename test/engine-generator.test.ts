import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateCandidates, type Candidate, type GenerationPlan } from '../src/engine/generator.js';
import { createState, type StepKernel } from '../src/engine/kernels/kernel.js';
import { createTfjsKernel } from '../src/engine/kernels/tfjs/tfjsKernel.js';
import { candidateStream } from '../src/engine/rng.js';
import { sampleToken } from '../src/engine/sampler.js';
import { createStartStates } from '../src/engine/startState.js';
import { loadModelDirectory } from '../src/model/loadModelDirectory.js';
import type { ModelWeights } from '../src/model/manifest.js';
import { CharTokenizer } from '../src/tokenizer/charTokenizer.js';
import { writeRandomModel } from './helpers/randomModel.js';

const END = 0;

async function collect(kernel: StepKernel, plan: GenerationPlan): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for await (const candidate of generateCandidates(kernel, END, plan)) out.push(candidate);
  return out;
}

/** The records without the per-run step counts, which depend on nothing but the record either. */
const records = (candidates: Candidate[]) => candidates.map(({ index, prefix, ids, ended }) => ({ index, prefix, ids, ended }));

/** The contract written as the simplest loop: one record at a time, batch of one, no slots. */
async function referenceRecord(kernel: StepKernel, plan: GenerationPlan, k: number): Promise<{ ids: number[]; ended: boolean }> {
  const prefix = plan.prefixes[k % plan.prefixes.length]!;
  const state = createState(kernel.units, 1);
  let logits: Float32Array = new Float32Array(0);
  for (const token of [END, ...prefix]) logits = await kernel.step(Int32Array.of(token), state);
  const random = candidateStream(plan.randomSeed, k);
  const ids = [...prefix];
  while (ids.length < plan.maxTokens) {
    const token = sampleToken(logits, 0, kernel.vocabSize, plan.temperature, random());
    if (token === END) return { ids, ended: true };
    ids.push(token);
    if (ids.length < plan.maxTokens) logits = await kernel.step(Int32Array.of(token), state);
  }
  return { ids, ended: false };
}

/** The same kernel, sampling through the optional stepSample path (as an in-graph sampler would). */
function withStepSample(kernel: StepKernel): StepKernel {
  return {
    backend: kernel.backend,
    batchSize: kernel.batchSize,
    vocabSize: kernel.vocabSize,
    units: kernel.units,
    step: (tokens, state) => kernel.step(tokens, state),
    async stepSample(tokens, state, uniforms, temperature) {
      const logits = await kernel.step(tokens, state);
      return Int32Array.from({ length: kernel.batchSize }, (_, row) => sampleToken(logits, row * kernel.vocabSize, kernel.vocabSize, temperature, uniforms[row]!));
    },
    dispose: async () => {},
  };
}

describe('generateCandidates', () => {
  let weights: ModelWeights;
  let tokenizer: CharTokenizer;
  const kernels = new Map<number, StepKernel>();
  const kernel = async (batchSize: number): Promise<StepKernel> => {
    if (!kernels.has(batchSize)) kernels.set(batchSize, await createTfjsKernel(weights, { batchSize, backend: 'wasm' }));
    return kernels.get(batchSize)!;
  };
  let plan: GenerationPlan;

  before(async () => {
    const dir = await writeRandomModel({ records: [['alice', '42', 'paris'], ['bob', '7', 'oslo, norway'], ['zoë', '1001', 'rome']], lstmUnits: [32, 32], seed: 3 });
    const model = await loadModelDirectory(dir);
    weights = model.weights;
    tokenizer = new CharTokenizer(model.manifest.tokenizer);
    assert.equal(tokenizer.endOfRecord, END);
    plan = {
      prefixes: [tokenizer.encodePrefix(['bob', '']), [], tokenizer.encodePrefix(['al'])],
      temperature: 1,
      maxTokens: 30,
      randomSeed: 1234,
      firstIndex: 0,
      endIndex: 60,
    };
  });
  after(async () => {
    for (const k of kernels.values()) await k.dispose();
  });

  it('yields every candidate of the range once, in index order, with its prefix number', async () => {
    const candidates = await collect(await kernel(7), plan);
    assert.deepEqual(candidates.map((c) => c.index), Array.from({ length: 60 }, (_, k) => k));
    assert.ok(candidates.every((c) => c.prefix === c.index % 3));
    // Records of unequal lengths, so rows really did finish out of order.
    assert.ok(new Set(candidates.map((c) => c.ids.length)).size > 3);
    assert.ok(candidates.some((c) => c.ended) && candidates.some((c) => !c.ended));
  });

  it('gives byte-identical records for batch sizes 1, 7 and 64', async () => {
    const one = records(await collect(await kernel(1), plan));
    assert.deepEqual(records(await collect(await kernel(7), plan)), one);
    assert.deepEqual(records(await collect(await kernel(64), plan)), one);
  });

  it('gives each candidate exactly the record of the one-at-a-time reference loop', async () => {
    const candidates = await collect(await kernel(7), { ...plan, endIndex: 24 });
    const reference = await kernel(1);
    for (const c of candidates) assert.deepEqual({ ids: c.ids, ended: c.ended }, await referenceRecord(reference, plan, c.index), `candidate ${c.index}`);
  });

  it('gives the same candidates when the range is split: [0,20) == [0,10) + [10,20), and [5,12) alone', async () => {
    const whole = records(await collect(await kernel(7), { ...plan, endIndex: 20 }));
    const first = records(await collect(await kernel(7), { ...plan, endIndex: 10 }));
    const second = records(await collect(await kernel(64), { ...plan, firstIndex: 10, endIndex: 20 }));
    assert.deepEqual([...first, ...second], whole);
    assert.deepEqual(records(await collect(await kernel(1), { ...plan, firstIndex: 5, endIndex: 12 })), whole.slice(5, 12));
  });

  it('gives the same records through a kernel that samples in stepSample', async () => {
    const viaStep = records(await collect(await kernel(7), plan));
    assert.deepEqual(records(await collect(withStepSample(await kernel(7)), plan)), viaStep);
  });

  it('starts every record with its prefix and never exceeds maxChars', async () => {
    const candidates = await collect(await kernel(7), { ...plan, maxTokens: 12 });
    for (const c of candidates) {
      const prefix = plan.prefixes[c.prefix]!;
      assert.deepEqual(c.ids.slice(0, prefix.length), prefix);
      assert.ok(c.ids.length <= 12);
      assert.ok(!c.ids.includes(END), 'end-of-record inside a record');
      if (!c.ended) assert.equal(c.ids.length, 12);
    }
    assert.ok(candidates.some((c) => !c.ended), 'no record reached the limit; the test proves nothing');
  });

  it('keeps a prefix that is longer than maxChars whole, without sampling', async () => {
    const long = tokenizer.encodePrefix(['alice', 'paris']);
    const [c] = await collect(await kernel(7), { ...plan, prefixes: [long], maxTokens: 3, endIndex: 1 });
    assert.deepEqual(c, { index: 0, prefix: 0, ids: long, ended: false, steps: 0 });
  });

  it('counts one kernel step per sampled token after the first', async () => {
    for (const c of await collect(await kernel(7), plan)) {
      const sampled = c.ids.length - plan.prefixes[c.prefix]!.length + (c.ended ? 1 : 0);
      assert.equal(c.steps, sampled - 1, `candidate ${c.index}`);
    }
  });

  it('gives identical records for every candidate with the same prefix at temperature 0', async () => {
    const candidates = await collect(await kernel(7), { ...plan, temperature: 0, endIndex: 12 });
    for (const c of candidates.slice(3)) assert.deepEqual(c.ids, candidates[c.prefix]!.ids);
    assert.notDeepEqual(candidates[0]!.ids, candidates[1]!.ids);
  });

  it('gives different records for a different random seed', async () => {
    const a = records(await collect(await kernel(7), { ...plan, endIndex: 10 }));
    const b = records(await collect(await kernel(7), { ...plan, randomSeed: 4321, endIndex: 10 }));
    assert.notDeepEqual(a, b);
  });

  it('runs without an end index until the consumer breaks out, and then ends cleanly', async () => {
    const seen: number[] = [];
    const generator = generateCandidates(await kernel(7), END, { ...plan, endIndex: undefined, firstIndex: 100 });
    for await (const c of generator) {
      seen.push(c.index);
      if (seen.length === 25) break;
    }
    assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => 100 + i));
    assert.deepEqual(await generator.next(), { value: undefined, done: true });
  });

  /** i written with the digits the test vocabulary has, so every prefix is distinct. */
  const digits = (i: number): string => [...i.toString(3)].map((d) => '017'[Number(d)]).join('');

  it('gives one record per prefix in order for a long list of prefixes (a seed file)', async () => {
    const words = ['al', 'bob', 'zo', 'ice', 'par', 'o', 'ro', 'me'];
    const prefixes = Array.from({ length: 150 }, (_, i) => tokenizer.encodePrefix([words[i % 8]! + words[(i * 5) % 8]!, digits(i)]));
    const seedFile = { ...plan, prefixes, endIndex: 150 };
    const candidates = await collect(await kernel(7), seedFile);
    candidates.forEach((c, i) => assert.deepEqual(c.ids.slice(0, prefixes[i]!.length), prefixes[i]));
    const reference = await kernel(1);
    for (const k of [0, 77, 149]) assert.deepEqual({ ids: candidates[k]!.ids, ended: candidates[k]!.ended }, await referenceRecord(reference, seedFile, k));
  });

  it('gives the same start states when its cache is too small to hold every prefix', async () => {
    const prefixes = Array.from({ length: 40 }, (_, i) => tokenizer.encodePrefix(['b'.repeat(i % 6), digits(i)]));
    const counted = (inner: StepKernel) => {
      const wrapper = { ...withStepSample(inner), stepSample: undefined, steps: 0 };
      wrapper.step = (tokens, state) => (wrapper.steps++, inner.step(tokens, state));
      return wrapper;
    };
    const roomyKernel = counted(await kernel(7));
    const crampedKernel = counted(await kernel(7));
    const roomy = createStartStates(roomyKernel, END, prefixes, Infinity);
    const cramped = createStartStates(crampedKernel, END, prefixes, Infinity, 1);
    for (let k = 0; k < 100; k += 3) assert.deepEqual(await cramped.forCandidate(k), await roomy.forCandidate(k), `candidate ${k}`);
    assert.ok(crampedKernel.steps > roomyKernel.steps, 'the small cache never dropped a state; the test proves nothing');
  });

  it('hands out records that need no step one batch at a time on an unbounded range', { timeout: 20_000 }, async () => {
    const long = tokenizer.encodePrefix(['bob', 'oslo']);
    let count = 0;
    for await (const c of generateCandidates(await kernel(7), END, { ...plan, prefixes: [long], maxTokens: 2, endIndex: undefined })) {
      assert.equal(c.index, count);
      if (++count === 200) break;
    }
    assert.equal(count, 200);
  });

  it('feeds forced tokens right after their trigger instead of samples, the same for any batch size and either sampling path', async () => {
    // What a reordered model's start string asks for: after the separator that opens a seeded
    // field, that field's tokens and its closing separator.
    const [sep1, sep2] = tokenizer.fieldSeparators as [number, number];
    const fixed = [...'42'].map((c) => tokenizer.idOfChar(c)!).concat(sep2);
    const forcedPlan: GenerationPlan = { ...plan, prefixes: [[], tokenizer.encodePrefix(['al'])], forced: [[[sep1, fixed]], []], endIndex: 40 };
    const candidates = await collect(await kernel(7), forcedPlan);
    let triggered = 0;
    for (const c of candidates) {
      const at = c.ids.indexOf(sep1);
      if (at < 0 || at + 1 + fixed.length > c.ids.length) continue;
      if (c.prefix === 0) {
        triggered++;
        assert.deepEqual(c.ids.slice(at + 1, at + 1 + fixed.length), fixed, `candidate ${c.index}`);
      }
    }
    assert.ok(triggered >= 3, `only ${triggered} records reached the trigger; the test proves little`);
    // Records of the start string without forced tokens are the ones of the plan without any.
    const plain = records(await collect(await kernel(7), { ...forcedPlan, forced: undefined }));
    assert.deepEqual(records(candidates).filter((c) => c.prefix === 1), plain.filter((c) => c.prefix === 1));
    assert.notDeepEqual(records(candidates).filter((c) => c.prefix === 0), plain.filter((c) => c.prefix === 0));
    assert.deepEqual(records(await collect(await kernel(1), forcedPlan)), records(candidates));
    assert.deepEqual(records(await collect(await kernel(64), forcedPlan)), records(candidates));
    const fused = records(await collect(withStepSample(await kernel(7)), forcedPlan));
    assert.deepEqual(records(await collect(withStepSample(await kernel(64)), forcedPlan)), fused);
    assert.ok(fused.filter((c) => c.prefix === 0 && c.ids.includes(sep1)).every((c) => {
      const at = c.ids.indexOf(sep1);
      return at + 1 + fixed.length > c.ids.length || c.ids.slice(at + 1, at + 1 + fixed.length).join() === fixed.join();
    }));
  });

  it('yields nothing for an empty range and rejects impossible plans', async () => {
    assert.deepEqual(await collect(await kernel(7), { ...plan, firstIndex: 5, endIndex: 5 }), []);
    await assert.rejects(collect(await kernel(7), { ...plan, temperature: -1 }), RangeError);
    await assert.rejects(collect(await kernel(7), { ...plan, prefixes: [] }), RangeError);
    await assert.rejects(collect(await kernel(7), { ...plan, prefixes: [[weights.vocabSize]] }), RangeError);
    await assert.rejects(collect(await kernel(7), { ...plan, forced: [[]] }), RangeError);
    await assert.rejects(collect(await kernel(7), { ...plan, forced: [[[1, [weights.vocabSize]]], [], []] }), RangeError);
    await assert.rejects(collect(await kernel(7), { ...plan, firstIndex: 4, endIndex: 2 }), RangeError);
  });
});
