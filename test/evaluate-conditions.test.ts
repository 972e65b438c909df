import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { message, option, UsageError } from '../src/errors.js';
import { buildReport } from '../src/evaluate/buildReport.js';
import { formatReportHtml } from '../src/evaluate/reportHtml.js';
import { formatReportTable } from '../src/evaluate/reportTable.js';
import { conditionedSplit } from '../src/evaluate/conditionedSplit.js';
import { formatWhere, parseWhere } from '../src/generate/whereConditions.js';
import { checkCondition } from '../src/schema/checkCondition.js';
import type { FieldCondition } from '../src/schema/fieldCondition.js';
import { profileRecords } from '../src/schema/profileRecords.js';
import { flagName } from '../src/cli/flagName.js';

const HEADER = ['name', 'email', 'country', 'plan', 'age'];
const COUNTRIES = ['Japan', 'Canada', 'Spain', 'Norway'];
const NAMES = ['mary', 'yuki', 'omar', 'lena', 'ivan', 'sara', 'tom', 'ana', 'li', 'jon', 'eva', 'max'];

/** Records where the email repeats the name, and the country sets the age band (a pair trend). */
function records(n: number): string[][] {
  return Array.from({ length: n }, (_, i) => {
    const name = `${NAMES[i % NAMES.length]}${i}`;
    const country = COUNTRIES[i % COUNTRIES.length]!;
    return [name, `${name}@mail.example`, country, i % 3 === 0 ? 'pro' : 'basic', String(20 + (i % COUNTRIES.length) * 10 + (i % 7))];
  });
}

const schema = profileRecords(records(400), HEADER, { keys: false });
const where = (text: string): FieldCondition => checkCondition(parseWhere(text), schema);

describe('formatWhere', () => {
  test('reads back through parseWhere to the same checked condition', () => {
    for (const text of ['country=Japan', 'country=Japan|Spain', 'age=30..39', 'age=30..', 'age=..39']) {
      const condition = where(text);
      assert.equal(formatWhere(condition, schema.fields[condition.field]!.name), text);
    }
  });

  test('escapes what parseWhere would read as syntax', () => {
    const odd: FieldCondition = { field: 0, kind: 'values', values: ['a|b', 'wait..', 'C:\\x', 'x.y'] };
    const text = formatWhere(odd, 'a=b');
    assert.equal(text, 'a\\=b=a\\|b|wait\\.\\.|C:\\\\x|x.y');
    const { source: _source, ...parsed } = parseWhere(text);
    assert.deepEqual(parsed, { field: 'a=b', kind: 'values', values: ['a|b', 'wait..', 'C:\\x', 'x.y'] });
  });
});

describe('conditionedSplit', () => {
  const split = { training: records(400).slice(0, 320), heldOut: records(400).slice(320) };
  const naming = { conditions: message`${option('where')} "country=Japan"`, data: 'people.csv' };

  test('keeps the rows of both parts that meet every condition, numbers compared as numbers', () => {
    const { training, heldOut } = conditionedSplit(split, [where('country=Japan'), where('age=20..24')], schema, naming);
    assert.ok(training.length >= 20 && heldOut.length >= 5);
    for (const row of [...training, ...heldOut]) {
      assert.equal(row[2], 'Japan');
      assert.ok(Number(row[4]) >= 20 && Number(row[4]) <= 24, row[4]);
    }
    const expected = (rows: string[][]) => rows.filter((r) => r[2] === 'Japan' && Number(r[4]) <= 24).length;
    assert.equal(training.length, expected(split.training));
    assert.equal(heldOut.length, expected(split.heldOut));
  });

  test('too few rows: a usage error naming the conditions, the counts and the minimums', () => {
    const small = { training: split.training.slice(0, 60), heldOut: split.heldOut };
    assert.throws(
      () => conditionedSplit(small, [where('country=Japan')], schema, naming),
      (error: unknown) => {
        assert.ok(UsageError.is(error));
        assert.equal(error.exitStatus, 2);
        assert.equal(error.format(flagName), '--where "country=Japan": 15 of 60 training rows and 20 of 80 held-out rows of people.csv meet it, and a report needs at least 20 and 5; widen the condition (a set a|b, a wider range) or give more data');
        return true;
      },
    );
  });
});

describe('buildReport with conditioned columns', () => {
  const all = records(400);
  const japan = all.filter((r) => r[2] === 'Japan');
  const candidates = japan.map((fields) => ({ text: fields.join(','), fields, valid: true }));

  test('a conditioned column is shown but scored in no shape, pair or text agreement, and a warning says why', () => {
    const report = buildReport(japan.slice(0, 80), HEADER, candidates, japan.slice(80), { where: ['country=Japan', 'age=50..59'], conditionPlacement: 'in-place' }, [], [2]);
    const country = report.columns.find((c) => c.name === 'country')!;
    assert.equal(country.metric, null);
    assert.equal(report.synthesizers[0]!.columnScores[2], null);
    assert.ok(report.pairs.length > 0);
    assert.ok(report.pairs.every((p) => !p.columns.includes('country')), JSON.stringify(report.pairs));
    assert.ok(report.textAgreement.length > 0, 'email × name is still listed');
    assert.ok(report.textAgreement.every((p) => !p.columns.includes('country')));
    assert.ok(report.warnings.some((w) => /^conditioned column country: left out of Column Shapes, Pair Trends and Text Agreement .* meet country=Japan and age=50\.\.59$/.test(w)), report.warnings.join('\n'));
    assert.deepEqual([report.settings.where, report.settings.conditionPlacement], [['country=Japan', 'age=50..59'], 'in-place']);
    assert.match(formatReportTable(report), /^conditions {7}country=Japan, age=50\.\.59; conditioned fields forced at their own place in the model's order$/m);
    assert.match(formatReportHtml(report), /<dt>where<\/dt><dd>country=Japan; age=50\.\.59<\/dd>/);
  });

  test('without conditions the same column is scored', () => {
    const report = buildReport(japan.slice(0, 80), HEADER, candidates, japan.slice(80), {}, []);
    assert.equal(report.columns[2]!.metric, 'TVComplement');
    assert.ok(report.pairs.some((p) => p.columns.includes('country')));
  });
});
