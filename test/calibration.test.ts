import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { createKernel } from '../src/engine/kernels/createKernel.js';
import { generateCandidates } from '../src/engine/generator.js';
import { checkManifest } from '../src/model/checkManifest.js';
import { loadModelDirectory } from '../src/model/loadModelDirectory.js';
import { createMaskRows } from '../src/schema/maskRows.js';
import type { MarginalCalibration } from '../src/schema/marginalCalibration.js';
import { advanceCursor, compileConstraint, startCursor, type RecordConstraint } from '../src/schema/recordConstraint.js';
import { CharTokenizer } from '../src/tokenizer/charTokenizer.js';
import { calibrateMarginals } from '../src/train/calibrateMarginals.js';
import type { EncodedRecords } from '../src/train/encodedRecords.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODEL_DIR = path.join(root, 'fixtures', 'default-model');

async function bundled() {
  const model = await loadModelDirectory(MODEL_DIR);
  const tokenizer = new CharTokenizer(model.manifest.tokenizer);
  return { model, tokenizer, schema: model.manifest.schema! };
}

function encode(tokenizer: CharTokenizer, rows: string[][]): EncodedRecords {
  const ids: number[] = [tokenizer.endOfRecord];
  const offsets: number[] = [1];
  for (const row of rows) {
    ids.push(...tokenizer.encodeRecord(row));
    offsets.push(ids.length);
  }
  return { ids: Int32Array.from(ids), offsets: Uint32Array.from(offsets), count: rows.length };
}

/** Share of `value` in field `field` over `lines` records of the bundled model under `constraint`. */
async function shareOf(constraint: RecordConstraint, field: number, value: string, lines: number): Promise<number> {
  const { model, tokenizer } = await bundled();
  const kernel = await createKernel(model.weights, 'auto', { batchSize: 64, masked: true }, () => {});
  let hits = 0;
  try {
    const plan = { prefixes: [[]], temperature: 1, maxTokens: model.manifest.generation.maxChars, randomSeed: 99, firstIndex: 0, endIndex: lines, constraint };
    for await (const candidate of generateCandidates(kernel, tokenizer.endOfRecord, plan)) {
      if (tokenizer.decodeFields(candidate.ids)[field] === value) hits++;
    }
  } finally {
    await kernel.dispose();
  }
  return hits / lines;
}

describe('marginal calibration', () => {
  test('moves a field the model gets wrong to the training share, on the real bundled model', async () => {
    const { model, tokenizer, schema } = await bundled();
    const plan = schema.fields.findIndex((f) => f.name === 'plan');
    // The customers table with 70% of its plans made "enterprise" (about 8% in the real table):
    // the network has never seen such data, so only the calibration can bring the share there.
    const rows = (parse(await readFile(path.join(root, 'fixtures', 'customers.csv')), { from_line: 2 }) as string[][]).slice(0, 1500);
    rows.forEach((row, i) => (row[plan] = i % 10 < 7 ? 'enterprise' : row[plan]!));
    const { calibration } = await calibrateMarginals(model.weights, tokenizer, schema, [encode(tokenizer, rows)], {
      records: 1200,
      rounds: 3,
      randomSeed: 1,
      maxTokens: model.manifest.generation.maxChars,
      warn: () => {},
    });
    assert.ok(calibration, 'a table of closed sets and numbers gets a calibration');
    assert.ok(calibration.fields.some((f) => f.field === plan));
    assert.ok(!calibration.fields.some((f) => schema.fields[f.field]!.kind === 'text' && schema.fields[f.field]!.name === 'email'), 'free text is left alone');
    const before = await shareOf(compileConstraint(schema, tokenizer), plan, 'enterprise', 1500);
    const after = await shareOf(compileConstraint(schema, tokenizer, true, calibration), plan, 'enterprise', 1500);
    assert.ok(before < 0.2, `uncalibrated enterprise share ${before}`);
    assert.ok(Math.abs(after - 0.7) < 0.05, `calibrated enterprise share ${after}, wanted 0.70`);
  });

  test('a calibrated step adds its bias to the allowed tokens and its end bias to the closers, forbidden tokens stay out', async () => {
    const { tokenizer, schema } = await bundled();
    const spend = schema.fields.findIndex((f) => f.name === 'monthly_spend');
    const plan = schema.fields.findIndex((f) => f.name === 'plan');
    const enterprise = tokenizer.valueTokensOf(plan)!.get('enterprise')!;
    const one = tokenizer.idOfChar('1')!;
    const zero = tokenizer.idOfChar('0')!;
    const calibration: MarginalCalibration = {
      temperature: 1,
      fields: [
        { field: plan, steps: [{ step: 0, tokens: [enterprise], bias: [1.5], end: 0 }] },
        {
          field: spend,
          steps: [
            { step: 1, after: one, tokens: [tokenizer.idOfChar('9')!], bias: [-2], end: 0.75 },
            { step: 4, after: zero, tokens: [], bias: [], end: 0.75 },
          ],
        },
      ],
    };
    const constraint = compileConstraint(schema, tokenizer, true, calibration);
    const rows = createMaskRows(constraint);
    // Walk a record written in the model's own order up to `field`, then `inField` tokens into it.
    const cursorAt = (field: number, inField: number[]) => {
      const cursor = startCursor(constraint.sequence);
      const record = tokenizer.encodeRecord(['', 'Mary', 'Singh', 'mary.singh@proton.me', '34', 'Portland, OR', 'United States', '', '2019-04-25', 'pro', '34.40']);
      const opener = tokenizer.fieldTokens![field]!;
      for (const id of record) {
        advanceCursor(constraint, cursor, id);
        if (id === opener) break;
      }
      for (const id of inField) advanceCursor(constraint, cursor, id);
      return cursor;
    };
    const planRow = rows.rowOf(cursorAt(plan, []));
    assert.equal(planRow[enterprise], 1.5);
    assert.equal(planRow[tokenizer.valueTokensOf(plan)!.get('pro')!], 0);
    assert.equal(planRow[one], -Infinity, 'a character is no plan');
    const spendRow = rows.rowOf(cursorAt(spend, [one]));
    assert.equal(spendRow[tokenizer.idOfChar('9')!], -2);
    assert.equal(spendRow[tokenizer.idOfChar('0')!], 0);
    assert.equal(spendRow[tokenizer.idOfChar('a')!], -Infinity);
    // Two places are written after the point, so "1" may not end yet: the end bias adds nothing to -Infinity.
    for (const t of constraint.closerClass!) assert.equal(spendRow[t], -Infinity);
    // "1.00" may end: every token that stands for the end carries the end bias.
    const ended = rows.rowOf(cursorAt(spend, [one, tokenizer.idOfChar('.')!, zero, zero]));
    for (const t of constraint.closerClass!) assert.equal(ended[t], 0.75);
    assert.equal(ended[one], -Infinity, 'no third place');
    // Another digit before: another context, uncalibrated.
    const other = rows.rowOf(cursorAt(spend, [tokenizer.idOfChar('2')!]));
    assert.equal(other[tokenizer.idOfChar('9')!], 0);
  });

  test('the generation loop\'s plain row plus its sparse bias is the calibrated row, at every step of real records', async () => {
    const model = await loadModelDirectory(path.join(root, 'fixtures', 'default-model'));
    const tokenizer = new CharTokenizer(model.manifest.tokenizer);
    const schema = model.manifest.schema!;
    const rows = (parse(await readFile(path.join(root, 'fixtures', 'customers.csv')), { from_line: 2 }) as string[][]).slice(0, 300);
    for (const row of rows) row[0] = '';
    const { calibration } = await calibrateMarginals(model.weights, tokenizer, schema, [encode(tokenizer, rows)], { records: 300, rounds: 1, randomSeed: 2, maxTokens: model.manifest.generation.maxChars, warn: () => {} });
    const constraint = compileConstraint(schema, tokenizer, true, calibration);
    const masks = createMaskRows(constraint);
    let biased = 0;
    for (const row of rows.slice(0, 60)) {
      const cursor = startCursor(constraint.sequence);
      for (const id of tokenizer.encodeRecord(row)) {
        const combined = Float32Array.from(masks.plainRowOf(cursor));
        const bias = masks.biasOf(cursor);
        if (bias) {
          biased++;
          bias.tokens.forEach((t, i) => {
            if (combined[t] !== -Infinity) combined[t] = bias.values[i]!;
          });
        }
        assert.deepEqual(combined, masks.rowOf(cursor));
        advanceCursor(constraint, cursor, id);
      }
    }
    assert.ok(biased > 100, `only ${biased} calibrated steps`);
  });

  test('a table too small to say anything is not calibrated, and nothing is generated for it', async () => {
    const { model, tokenizer, schema } = await bundled();
    const rows = (parse(await readFile(path.join(root, 'fixtures', 'customers.csv')), { from_line: 2 }) as string[][]).slice(0, 20);
    for (const row of rows) row[0] = '';
    const result = await calibrateMarginals(model.weights, tokenizer, schema, [encode(tokenizer, rows)], { records: 4000, rounds: 3, randomSeed: 1, maxTokens: model.manifest.generation.maxChars, warn: () => {} });
    assert.deepEqual(result, { calibration: undefined, records: 0 });
  });

  test('a damaged calibration in synth.json is refused, naming the field', async () => {
    const manifest = JSON.parse(await readFile(path.join(MODEL_DIR, 'synth.json'), 'utf8'));
    const cases: [unknown, RegExp][] = [
      [{ temperature: 1, fields: [{ field: 3, steps: [{ step: 0, tokens: [1e6], bias: [1], end: 0 }] }] }, /calibration.*token ids below/],
      [{ temperature: 1, fields: [{ field: 3, steps: [{ step: 0, tokens: [1], bias: [1e9], end: 0 }] }] }, /calibration.*biases must be numbers/],
      [{ temperature: 1, fields: [{ field: 99, steps: [] }] }, /calibration.*field index/],
      [{ temperature: 0, fields: [] }, /calibration.*temperature/],
      [{ temperature: 1, fields: [{ field: 3, steps: [{ step: 0, tokens: [], bias: [], end: 0 }, { step: 0, tokens: [], bias: [], end: 1 }] }] }, /appears twice/],
    ];
    for (const [calibration, pattern] of cases) {
      assert.throws(() => checkManifest({ ...manifest, calibration }, 'synth.json'), pattern);
    }
    assert.doesNotThrow(() => checkManifest({ ...manifest, calibration: { temperature: 1, fields: [] } }, 'synth.json'));
  });
});
