import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FuzzCase, FuzzKind } from '../fuzzCase.js';
import type { CaseRandom } from '../random.js';
import { repoRoot } from '../runSynthCase.js';
import { damageText } from '../textMutation.js';

/** The bundled model: the closed sets, numbers and dates conditions are written for. */
const BUNDLED_MODEL = path.join(repoRoot, 'fixtures', 'default-model');
const BUNDLED_DATA = path.join(repoRoot, 'fixtures', 'customers.csv');

interface Field {
  name: string;
  kind: string;
  values?: string[];
  key?: unknown;
}

let fieldsOnce: Field[] | undefined;
/** The bundled model's field schema, read from its synth.json so the cases follow the model. */
function bundledFields(): Field[] {
  fieldsOnce ??= (JSON.parse(readFileSync(path.join(BUNDLED_MODEL, 'synth.json'), 'utf8')) as { schema: { fields: Field[] } }).schema.fields;
  return fieldsOnce;
}

let rowsOnce: string[][] | undefined;
/** Real rows of the bundled data (no quoted cells, so a plain split holds): values the model has. */
function realRows(): string[][] {
  rowsOnce ??= readFileSync(BUNDLED_DATA, 'utf8').split('\n').slice(1).filter((l) => l !== '' && !l.includes('"')).map((l) => l.split(','));
  return rowsOnce;
}

/**
 * Fields whose conditions are met often enough for a short run. A condition on a field written
 * late (first_name, email) turns down whole records until it holds, so a rare one is a long run by
 * design; those fields appear here only in conditions refused before generation.
 */
const EARLY_SETS = ['age', 'city', 'country', 'company', 'plan'];

/** A value of a closed set with the characters --where reads specially escaped. */
function escapeValue(value: string): string {
  return value.replace(/\\|\||\.{2,}/g, (s) => (s.startsWith('.') ? s.replace(/\./g, '\\.') : `\\${s}`));
}

const DATE = (random: CaseRandom) => `${random.int(2019, 2024)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;

/** A condition the bundled model meets in a short run: every form, values drawn from its schema. */
function validCondition(random: CaseRandom): { text: string; field: string } {
  const fields = bundledFields();
  const setField = () => {
    const name = random.pick(EARLY_SETS);
    return fields.find((f) => f.name === name)!;
  };
  return random.weighted<() => { text: string; field: string }>([
    [3, () => { const f = setField(); return { text: `${f.name}=${escapeValue(random.pick(f.values!))}`, field: f.name }; }],
    [2, () => {
      const f = setField();
      const values = Array.from({ length: random.int(2, 4) }, () => escapeValue(random.pick(f.values!)));
      return { text: `${f.name}=${values.join('|')}`, field: f.name };
    }],
    [2, () => {
      const lo = random.int(18, 70);
      const hi = random.int(lo, 79);
      return { text: `age=${random.pick([`${lo}..${hi}`, `${lo}..`, `..${hi}`, `${lo - 0.5}..${hi}`])}`, field: 'age' };
    }],
    [2, () => {
      const lo = random.pick([0, 5, 10, 20, 50]);
      const hi = lo + random.pick([10, 50, 200, 2000]);
      return { text: `monthly_spend=${random.pick([`${lo}..${hi}`, `${lo}..`, `..${hi}`, `${lo}.00..${hi}.99`])}`, field: 'monthly_spend' };
    }],
    [2, () => {
      const [a, b] = [DATE(random), DATE(random)].sort();
      return { text: `signup_date=${random.pick([`${a}..${b}`, `${a}..`, `..${b}`, `2019-01-01..2024-12-31`])}`, field: 'signup_date' };
    }],
    [1, () => ({ text: `plan=${random.pick(['basic', 'pro', 'free', 'enterprise'])}`, field: 'plan' })],
  ])();
}

/** What parsers and checkers get wrong: every mutation the brief lists, and a few more. */
function mutatedCondition(random: CaseRandom): { text: string; field: string } {
  const fields = bundledFields();
  const any = random.pick(fields);
  const base = validCondition(random);
  const pick = (...items: string[]) => random.pick(items);
  return random.weighted<() => { text: string; field: string }>([
    [2, () => ({ text: `${pick('contry', 'countries', 'name', 'id', 'x', 'monthly spend', 'age ', ' age')}=${pick('Japan', '30', '1..2')}`, field: 'unknown' })],
    [2, () => ({ text: `${random.pick([any.name.toUpperCase(), any.name[0]!.toUpperCase() + any.name.slice(1)])}=Japan`, field: 'case' })],
    [2, () => ({ text: `${pick('country=japan', 'country=JAPAN', 'plan=Pro', 'city=tokyo', 'country=Japan ', 'country= Japan')}`, field: 'country' })],
    [2, () => ({ text: `${pick('country=Atlantis', 'plan=gold', 'age=17', 'age=80', 'city=Paris, TX', 'company=Acme', 'first_name=Zed', 'last_name=Nobody')}`, field: 'unknown value' })],
    [2, () => ({ text: pick('age=60..30', 'monthly_spend=100..10', 'signup_date=2024-01-01..2020-01-01', 'age=79..18', 'monthly_spend=0.02..0.01'), field: 'reversed' })],
    [2, () => ({ text: pick('country=A..Z', 'plan=..pro', 'city=Tokyo..', 'company=a..b', 'email=a..', 'first_name=..Zed', 'last_name=A..B'), field: 'range on text' })],
    [2, () => ({ text: pick('age=90..99', 'age=..17', 'monthly_spend=5000', 'monthly_spend=2000..', 'monthly_spend=-5..-1', 'signup_date=2030-01-01', 'signup_date=..2018-12-31', 'signup_date=2025-01-01..', 'age=100', 'age=-1'), field: 'out of range' })],
    [3, () => ({ text: pick('company=Smith\\|Jones', 'company=Smith\\, Jones & Co', 'note=wait\\..', 'a\\=b=1', 'country=Japan\\', 'country\\=x=Japan', 'country=Jap\\an', 'company=Umbrella, Inc\\.', 'age=30\\..39', 'age=3\\0..39', 'plan=basic\\|pro', 'country=\\\\', '\\=country=Japan', 'company=Umbrella, Inc.', 'company=Smith, Jones & Co', 'expr=a=b', 'country==Japan'), field: 'escape' })],
    [3, () => ({ text: pick('', '=', '==', 'country', 'country=', '=Japan', 'country=|Japan', 'country=Japan|', 'country=||', 'age=..', 'age=...', 'age=1..2..3', 'age=....', 'age=30..|40', 'plan=basic||pro', '|', '..', ' = '), field: 'empty part' })],
    [2, () => ({ text: `${pick('age', 'monthly_spend')}=${pick('1e400', '-1e400', '9'.repeat(400), `..${'9'.repeat(40)}`, `-${'9'.repeat(30)}..`, '1e3..1e4', '0x10', '1_0', '+30', '-0', '.5..', '30...', '30.', '3e1..4e1', '0.000000000000000000001..')}`, field: 'huge' })],
    [2, () => ({ text: `${pick('age', 'monthly_spend', 'signup_date')}=${pick('NaN', 'NaN..', '..NaN', 'Infinity', '-Infinity..', '..Infinity', '-Infinity..Infinity', 'null', 'undefined', 'true')}`, field: 'not finite' })],
    [3, () => ({ text: `signup_date=${pick('2024/03/01', '01/03/2024', '03/01/2024', '20240301', '2024-02-30', '2024-13-01', '2024-3-1', '2024-03-01T00:00:00Z', '2024-03-01 00:00:00', ' 2024-03-01', '2024-03-01..2024/04/01', '1 March 2024', '2023-02-29', '2024-02-29', '0000-01-01', '9999-12-31', '+2024-03-01', '2024-W09')}`, field: 'date' })],
    [3, () => ({ text: pick('country=Ｊapan', 'country=Japan\u200b', 'city=Tōkyō', 'city=M\u0075\u0308nchen', 'city=München', '😀=1', 'country=😀', 'country=\u202eJapan', 'ａｇｅ=30', 'age=٣٠', 'age=\uff13\uff10', 'first_name=L\u0065\u0301a', 'company=\u0000'.replace('\u0000', 'x\u00a0y')), field: 'unicode' })],
    [2, () => ({ text: pick('customer_id=C01001', 'customer_id=C03001', 'customer_id=1..5', 'customer_id=', 'customer_id=C0|C1'), field: 'customer_id' })],
    [1, () => ({ text: `${base.text}${pick('|', '..', '\\', '=', ',')}${pick('x', '', '1', '..')}`, field: base.field })],
    // Only texts refused by the check: a well-formed text the model hardly ever writes ("email=@")
    // is turned down record by record until the 1-in-10,000 stop, about 100 s on the bundled model.
    [1, () => ({ text: `email=${pick('ZED@X.COM', 'a b@c.d', 'jöerg@mail.com', 'x\ty')}`, field: 'email' })],
  ])();
}

/** A rare but valid text condition would turn down whole records for minutes: those are kept out (see EARLY_SETS). */
function conditions(random: CaseRandom): string[] {
  const out: { text: string; field: string }[] = [];
  // Half the cases only valid conditions, so generation itself is reached, not just the checks.
  const allValid = random.chance(0.5);
  for (let i = random.int(1, 4); i > 0; i--) {
    if (out.length > 0 && random.chance(0.08)) {
      // The same field twice: refused, whatever the two say.
      const twin = out[random.int(0, out.length - 1)]!;
      const again = validCondition(random);
      out.push(again.field === twin.field ? again : { text: `${twin.field}=${random.pick(['Japan', '30..40', '1'])}`, field: twin.field });
      continue;
    }
    out.push(allValid || random.chance(0.5) ? validCondition(random) : mutatedCondition(random));
  }
  return out.map((c) => c.text);
}

/** Each condition as `--where=TEXT` or, now and then, `--where TEXT` (which commander may read as a flag). */
function whereArgs(random: CaseRandom, texts: readonly string[]): string[] {
  return texts.flatMap((t) => (random.chance(0.8) || t === '' ? [`--where=${t}`] : ['--where', t]));
}

/** --where on generate and evaluate, and --seed-file with a header row: the conditions' inputs. */
export const whereKind: FuzzKind = {
  name: 'where',
  summary: '--where on generate and evaluate (every form, unknown fields, wrong case, reversed, open and out-of-range ranges, escapes, empty parts, huge and non-finite numbers, dates, unicode, key column, a field twice, with --seed), --seed-file with a header row',
  async makeCase(random, caseDir, base) {
    const what = random.weighted([[11, 'generate'], [2, 'evaluate'], [5, 'seed-rows'], [1, 'text-model']] as const);
    const texts = what === 'seed-rows' && random.chance(0.6) ? [] : conditions(random);
    const names = ['--where', '--seed', '--seed-file', '--lines', '--max-invalid', '--max-chars', '--condition-placement', '--data'];
    const seed = ['--random-seed', String(random.int(0, 1000))];
    const common = [...seed, '--workers', '1'];
    if (what === 'evaluate') {
      const placement = random.weighted([[6, []], [1, ['--condition-placement', 'in-place']], [1, ['--condition-placement', 'first']], [1, ['--condition-placement', 'exact']], [1, ['--condition-placement', 'nowhere']]] as const);
      return {
        description: `evaluate ${texts.map((t) => JSON.stringify(t)).join(' ')} ${placement.join(' ')}`.trim(),
        args: ['evaluate', '--model', BUNDLED_MODEL, '--data', BUNDLED_DATA, '--lines', String(random.int(5, 20)), ...whereArgs(random, texts), ...placement, ...seed],
        names,
      } satisfies FuzzCase;
    }
    if (what === 'text-model') {
      return {
        description: `text model ${texts.map((t) => JSON.stringify(t)).join(' ')}`,
        args: ['generate', '--model', base.textModel, '--lines', '2', ...whereArgs(random, texts), ...common, '-q'],
        names,
      } satisfies FuzzCase;
    }
    if (what === 'seed-rows') {
      const file = path.join(caseDir, 'wanted.csv');
      const seeded = await writeSeedRows(random, file);
      const lines = random.weighted([[6, []], [1, ['--lines', String(seeded.rows)]], [1, ['--lines', String(seeded.rows + random.pick([-1, 1, 10]))]]] as const);
      return {
        description: `${seeded.what}${texts.length ? ` with ${texts.map((t) => JSON.stringify(t)).join(' ')}` : ''} ${lines.join(' ')}`.trim(),
        args: ['generate', '--seed-file', file, ...lines, ...whereArgs(random, texts), ...common, '-q'],
        names: [...names, file],
      } satisfies FuzzCase;
    }
    const extra = random.weighted([[10, []], [1, ['--seed', 'C03001,']], [1, ['--seed', '']], [1, ['--seed', 'C0', '--seed', 'C1']], [1, ['--shard', '1/2']], [1, ['--format', 'jsonl']], [1, ['--max-chars', String(random.int(1, 40))]]] as const);
    return {
      description: `${texts.map((t) => JSON.stringify(t)).join(' ')} ${extra.join(' ')}`.trim(),
      args: ['generate', '--lines', String(random.weighted([[8, random.int(1, 5)], [1, random.int(6, 20)]])), ...whereArgs(random, texts), ...extra, ...common, '-q'],
      names,
    } satisfies FuzzCase;
  },
};

/**
 * A --seed-file whose first line names columns, with rows cut from real records (mostly), blank
 * cells, mutated values, wrong cell counts, quoting, header typos and byte damage.
 */
async function writeSeedRows(random: CaseRandom, file: string): Promise<{ what: string; rows: number }> {
  const all = bundledFields().map((f) => f.name);
  const header = Array.from(new Set(Array.from({ length: random.int(1, 3) }, () => random.pick([...EARLY_SETS, ...EARLY_SETS, 'signup_date', 'monthly_spend', 'first_name']))));
  const notes: string[] = [`header ${header.join(',')}`];
  const headerCells = random.weighted<() => string[]>([
    [12, () => header],
    [1, () => { notes.push('a column twice'); return [...header, header[0]!]; }],
    [1, () => { notes.push('a typo'); return [...header, 'contry']; }],
    [1, () => { notes.push('different case'); return header.map((h) => h.toUpperCase()); }],
    [1, () => { notes.push('the key column'); return [...header, 'customer_id']; }],
  ])();
  const rows = random.int(1, 6);
  const lines = [headerCells.map(quoteCell).join(',')];
  for (let r = 0; r < rows; r++) {
    const real = random.pick(realRows());
    let cells = headerCells.map((name) => {
      const column = all.indexOf(name);
      if (random.chance(0.3) || column < 0) return '';
      // An exact spend, date or first name is met by about 1 record in thousands: a long run by
      // design, so those columns get only values refused before generation.
      if (EARLY_SETS.includes(name) && random.chance(0.8)) return real[column]!;
      return random.pick(['Atlantis', 'japan', 'NaN', '1e400', '2024/03/01', '2024-02-30', '"', '""', 'Ｊapan', '😀', '  ', 'x'.repeat(2000), '17', '0.001', '-1', 'Japan|Canada', '30..40']);
    });
    if (random.chance(0.08)) {
      const more = cells.length < 2 || random.chance(0.5);
      notes.push(`row ${r + 1} with a cell ${more ? 'more' : 'fewer'}`);
      cells = more ? [...cells, 'extra'] : cells.slice(1);
    }
    lines.push(cells.map(quoteCell).join(','));
    if (random.chance(0.05)) lines.push('');
  }
  let bytes: Buffer = Buffer.from(lines.join('\n') + (random.chance(0.8) ? '\n' : ''));
  if (random.chance(0.05)) {
    bytes = Buffer.from(`${lines[0]}\n"unclosed,${lines.slice(1).join('\n')}\n`);
    notes.push('an unclosed quote');
  }
  if (random.chance(0.15)) {
    const damage = damageText(random, bytes);
    bytes = damage.bytes;
    notes.push(damage.what);
  }
  await writeFile(file, bytes);
  return { what: `seed rows (${rows}): ${notes.join(', ')}`, rows };
}

function quoteCell(cell: string): string {
  return /[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
