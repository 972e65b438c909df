import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CharTokenizer, splitCopies } from '../src/tokenizer/charTokenizer.js';
import { reorderedRecords, sampleFieldOrder, type FieldOrderPlan } from '../src/train/fieldOrders.js';
import { EncodedRecordsBuilder, recordIds } from '../src/train/encodedRecords.js';
import { seededRandom } from '../src/random/seededRandom.js';
import { findCopySources, sourcesFirst } from '../src/train/copySources.js';
import { RecordProfiler } from '../src/schema/profileRecords.js';

const people = [
  ['Mary', 'Smith', 'mary.smith@mail.com', 'Japan'],
  ['Arjun', 'Patel', 'apatel77@mail.com', 'India'],
  ["Sean", "O'Brien", 'sean.obrien@mail.com', 'Ireland'],
];
const chars = new Set(people.flat().join(''));

function fieldTokenizer(copies = false): CharTokenizer {
  return CharTokenizer.fromCharacters(chars, 4, true, [undefined, undefined, undefined, ['Japan', 'India', 'Ireland']], [3, 0, 1, 2], [], {
    fieldTokens: true,
    copies: copies
      ? [
          { field: 2, source: 0, normalized: true },
          { field: 2, source: 1, normalized: true },
        ]
      : [],
  });
}

describe('field tokens: a record in any field order', () => {
  test('each field is opened by its own token, in the model order by default', () => {
    const tok = fieldTokenizer();
    assert.deepEqual(tok.spec.vocab.slice(0, 5), ['<EOR>', '<FIELD1>', '<FIELD2>', '<FIELD3>', '<FIELD4>']);
    const ids = tok.encodeRecord(people[0]!);
    assert.deepEqual(ids.filter((id) => tok.isSpecial(id)), [4, 1, 2, 3, 0], 'country first (the model order), end-of-record last');
  });

  test('every order decodes to the same record, in the table order', () => {
    const tok = fieldTokenizer();
    for (const order of [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]]) {
      const ids = tok.encodeInOrder(people[2]!, order);
      assert.deepEqual(tok.decodeFields(ids.slice(0, -1)), people[2]);
    }
  });

  test('a record that skips or repeats a field fails the field count instead of decoding', () => {
    const tok = fieldTokenizer();
    const ids = tok.encodeInOrder(people[0]!, [0, 1, 2, 3]).slice(0, -1);
    const missing = ids.slice(0, ids.lastIndexOf(tok.fieldTokens![3]!));
    assert.notEqual(tok.decodeFields(missing).length, 4);
    const repeated = [...ids, tok.fieldTokens![0]!, ...tok.encodeValue(0, 'Sean')];
    assert.notEqual(tok.decodeFields(repeated.filter((_, i) => i < ids.lastIndexOf(tok.fieldTokens![3]!) || i >= ids.length)).length, 4);
  });

  test('a start string keeps the model order: leading seeded fields in the prefix, the others fed when the record opens them', () => {
    const tok = fieldTokenizer();
    // Model order: country, first, last, email. Seeding first and last (table fields 0 and 1).
    const start = tok.encodeStart(['Mary', 'Smith', '']);
    assert.deepEqual(start.prefix, [tok.fieldTokens![3]!], 'the model writes country first, unseeded');
    assert.deepEqual(start.forced, [
      [tok.fieldTokens![0]!, [...tok.encodeValue(0, 'Mary'), tok.fieldTokens![1]!]],
      [tok.fieldTokens![1]!, [...tok.encodeValue(1, 'Smith'), tok.fieldTokens![2]!]],
    ]);
    const country = tok.encodeStart(['Mary', 'Smith', 'a', 'Japan']);
    assert.deepEqual(country.prefix, [tok.fieldTokens![3]!, tok.valueTokensOf(3)!.get('Japan')!], 'a seeded first field goes into the prefix (left open: it is the last one given)');
    assert.deepEqual(tok.encodeStart([]).prefix, [tok.fieldTokens![3]!], 'no seed: the first field of the model order is opened');
  });
});

describe('copy tokens', () => {
  test('an e-mail is learned as copies of the names, and expands back to the very text', () => {
    const tok = fieldTokenizer(true);
    const ids = tok.encodeRecord(people[2]!);
    const email = ids.slice(ids.indexOf(tok.fieldTokens![2]!) + 1, ids.indexOf(tok.fieldTokens![2]!) + 4);
    assert.deepEqual(email.map((id) => tok.spec.vocab[id]), ['<COPY1:lower@3>', '.', '<COPY2:lower@3>']);
    assert.deepEqual(tok.decodeFields(ids.slice(0, -1)), people[2], "O'Brien's copy is lower case, letters only: obrien");
    assert.ok(ids.length < tok.encodeInOrder(people[2]!, [3, 0, 1, 2]).length + 100);
    // A generated record copies whatever names it wrote.
    const other = tok.encodeRecord(['Arjun', 'Smith', 'a', 'India']).slice(0, -1);
    const at = other.indexOf(tok.fieldTokens![2]!);
    other.splice(at + 1, 1, tok.copyTokensOf(2)[0]!.id, tok.idOfChar('.')!, tok.copyTokensOf(2)[1]!.id);
    assert.equal(tok.decodeFields(other)[2], 'arjun.smith');
  });

  test('longer and exact values are replaced first; short values are never copies', () => {
    const copies = [
      { id: 90, field: 0, source: 1, normalized: false },
      { id: 91, field: 0, source: 2, normalized: false },
      { id: 92, field: 0, source: 3, normalized: false },
    ];
    assert.deepEqual(splitCopies('Anna and Ann, Al', copies, ['', 'Ann', 'Anna', 'Al']), [91, ' and ', 90, ', Al']);
  });

  test('copies are found from the data: e-mails hold the names, the country is never in them', () => {
    const rows = Array.from({ length: 50 }, (_, i) => {
      const first = ['Mary', 'Arjun', 'Sean', 'Li'][i % 4]!;
      const last = ['Smith', 'Patel', "O'Brien", 'Wang', 'Garcia'][i % 5]!;
      return [first, last, `${first.toLowerCase()}.${last.toLowerCase().replace("'", '')}${i}@mail.com`, ['Japan', 'India'][i % 2]!];
    });
    const profiler = new RecordProfiler();
    for (const row of rows) profiler.add(row);
    const schema = profiler.finish(['first', 'last', 'email', 'country']);
    // The names are closed sets here; copying works on their values all the same.
    assert.equal(schema.fields[2]!.kind, 'text');
    const found = findCopySources(schema, rows);
    assert.deepEqual(found.map((c) => [c.source, c.normalized]).sort(), [[0, true], [1, true]]);
    assert.deepEqual(sourcesFirst([2, 3, 0, 1], found), [0, 1, 2, 3], 'the names are written before the e-mail that copies them');
  });
});

test('of two text fields that hold each other, the stronger direction copies', () => {
  const rows = Array.from({ length: 40 }, (_, i) => {
    const city = ["Oakdale", "Pine Bluff", "Riverton", "Westfield", "Ashford"][i % 5]!;
    // The name holds the city in 3 rows of 4; in 1 of 4 the two are equal (the city then "holds" the name).
    return [i % 4 === 0 ? city : `${city} Field ${i}`, city, `code${i}`];
  });
  const profiler = new RecordProfiler();
  for (const row of rows) profiler.add(row);
  const schema = profiler.finish(['name', 'city', 'code']);
  assert.deepEqual(findCopySources(schema, rows), [{ field: 0, source: 1, normalized: false }]);
});

describe('training field orders', () => {
  const plan = (tok: CharTokenizer, shuffledShare: number): FieldOrderPlan => {
    const fieldOfToken = new Int32Array(tok.vocabSize).fill(-1);
    tok.fieldTokens!.forEach((id, f) => (fieldOfToken[id] = f));
    return {
      fieldOfToken,
      defaultOrder: tok.defaultOrder(),
      movable: [0, 1, 2, 3],
      sources: [[], [], [0, 1], []],
      shuffledShare,
      endOfRecord: tok.endOfRecord,
    };
  };

  test('orders are permutations; moved subsets vary; copied fields always precede the text that copies them', () => {
    const tok = fieldTokenizer(true);
    const random = seededRandom(3);
    const seen = new Set<string>();
    let defaults = 0;
    for (let k = 0; k < 2000; k++) {
      const order = sampleFieldOrder(plan(tok, 0.5), random);
      assert.deepEqual([...order].sort(), [0, 1, 2, 3]);
      assert.ok(order.indexOf(0) < order.indexOf(2) && order.indexOf(1) < order.indexOf(2), `order ${order}`);
      if (order.join() === tok.defaultOrder().join()) defaults++;
      seen.add(order.join());
    }
    assert.ok(seen.size >= 6, `${seen.size} distinct orders`);
    assert.ok(defaults > 900 && defaults < 1400, `${defaults} of 2000 in the model order (half, plus shuffles that land on it)`);
  });

  test('a reordered stream holds the same records, each still decoding to its fields', () => {
    const tok = fieldTokenizer(true);
    const builder = new EncodedRecordsBuilder(tok.vocabSize, 3, 200, tok.endOfRecord);
    for (const row of people) builder.add(tok.encodeRecord(row));
    const records = builder.finish();
    const out = new Uint16Array(records.ids.length);
    out[0] = tok.endOfRecord;
    reorderedRecords(records, null, plan(tok, 1), seededRandom(9), out);
    const reordered = { ids: out, offsets: records.offsets, count: records.count };
    let moved = 0;
    for (let i = 0; i < 3; i++) {
      const ids = [...recordIds(reordered, i)];
      assert.equal(ids.at(-1), tok.endOfRecord);
      assert.deepEqual(tok.decodeFields(ids.slice(0, -1)), people[i]);
      if (ids.join() !== [...recordIds(records, i)].join()) moved++;
    }
    assert.ok(moved > 0, 'every record was asked to move a subset to the front');
  });
});
