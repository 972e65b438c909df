import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TINY_TRAINING } from '../baseInputs.js';
import type { FuzzCase, FuzzKind } from '../fuzzCase.js';
import type { CaseRandom } from '../random.js';
import { placeSpecialFile } from '../specialFiles.js';
import { damageText } from '../textMutation.js';

/** Training files: broken quoting, BOM, line ends, NUL, invalid UTF-8, a 1 MB field, 10,000 columns, header only, empty. */
export const trainingFileKind: FuzzKind = {
  name: 'train',
  summary: 'training files: broken quoting, BOM, CRLF/CR, NUL, invalid UTF-8, a 1 MB field, 10,000 columns, header only, empty',
  async makeCase(random, caseDir, base) {
    const delimited = random.chance(0.75);
    let text = await readFile(delimited ? base.delimitedData : base.textData, 'utf8');
    const done: string[] = [];
    const structural = random.chance(0.7) ? random.int(1, 2) : 0;
    for (let i = 0; i < structural; i++) {
      const change = reshape(random, text, delimited);
      text = change.text;
      done.push(change.what);
    }
    let bytes: Buffer = Buffer.from(text);
    if (structural === 0 || random.chance(0.4)) {
      const damage = damageText(random, bytes);
      bytes = damage.bytes;
      done.push(damage.what);
    }
    const extension = random.weighted([[6, delimited ? '.csv' : '.txt'], [1, '.tsv'], [1, '.txt'], [1, ''], [1, '.CSV']] as const);
    const input = path.join(caseDir, `input${extension}`);
    await writeFile(input, bytes);
    if (random.chance(0.05)) {
      await rm(input);
      done.push(await placeSpecialFile(random, input));
    }
    const delimiterFlag = random.chance(0.15) ? ['--delimiter', random.pick([',', ';', 'tab', 'none', '|'])] : [];
    return {
      description: `${done.join('; ')} (${extension || 'no extension'}${delimiterFlag.length ? ` --delimiter ${delimiterFlag[1]}` : ''})`,
      // A time limit, as every default run has one: 70,000 distinct characters make a valid table
      // whose epoch takes minutes (a softmax over each), and that is no hang.
      args: ['train', '--input', input, '--out', path.join(caseDir, 'out'), ...delimiterFlag, ...TINY_TRAINING, '--max-minutes', '0.05'],
      names: [input, path.basename(input), '--input', '--delimiter'],
    } satisfies FuzzCase;
  },
};

/** A change of the table's shape or syntax, as opposed to byte damage. */
function reshape(random: CaseRandom, text: string, delimited: boolean): { text: string; what: string } {
  const lines = text.split('\n').filter((l) => l !== '');
  // A second change may find the first left no rows (header only) or nothing at all.
  if (lines.length === 0) return { text: '\n', what: 'a blank line' };
  const row = random.int(Math.min(delimited ? 1 : 0, lines.length - 1), lines.length - 1);
  const line = lines[row]!;
  const at = random.int(0, line.length);
  const withLine = (replacement: string[]) => [...lines.slice(0, row), ...replacement, ...lines.slice(row + 1)].join('\n') + '\n';
  return random.weighted<() => { text: string; what: string }>([
    [3, () => ({ text: withLine([line.slice(0, at) + '"' + line.slice(at)]), what: `a stray quote in line ${row + 1}` })],
    [1, () => ({ text: `${text.trimEnd()}\n"unterminated,${'x'.repeat(random.int(0, 50))}\n`, what: 'an unterminated quote in the last row' })],
    [2, () => ({ text: withLine([line.slice(0, at) + ',' + line.slice(at)]), what: `an extra delimiter in line ${row + 1}` })],
    [1, () => ({ text: withLine([line.replace(/,[^,]*$/, '')]), what: `a field missing in line ${row + 1}` })],
    [2, () => ({ text: `${lines[0]}\n`, what: 'header only' })],
    [1, () => ({ text: '', what: 'empty' })],
    [2, () => ({ text: withLine([line.slice(0, at) + random.text(1_048_576, 'abcdefghij') + line.slice(at)]), what: `a 1 MB field in line ${row + 1}` })],
    [2, () => ({ text: manyColumns(random, random.pick([1_000, 10_000])), what: 'a table of many columns' })],
    [1, () => ({ text: [lines[0]!.replace(/^[^,]*/, ''), ...lines.slice(1)].join('\n'), what: 'an empty header name' })],
    [1, () => ({ text: [lines[0]!.replace(/^[^,]*,([^,]*)/, '$1,$1'), ...lines.slice(1)].join('\n'), what: 'a duplicate header name' })],
    [1, () => ({ text: `${lines[0]}\n${Array.from({ length: 40 }, () => lines[1]).join('\n')}\n`, what: 'every row the same' })],
    [1, () => ({ text: `${lines[0]}\n${Array.from({ length: 40 }, () => ','.repeat(lines[0]!.split(',').length - 1)).join('\n')}\n`, what: 'every field blank' })],
    [1, () => ({ text: manyDistinctCharacters(random.pick([300, 600, 70_000])), what: 'many distinct characters' })],
    [1, () => ({ text: lines.map((l) => l.replace(/,/g, random.pick([';', '\t', '|']))).join('\n'), what: 'another delimiter' })],
    [1, () => ({ text: `${lines.slice(0, 2).join('\n')}\n`, what: 'one row' })],
  ])();
}

function manyColumns(random: CaseRandom, columns: number): string {
  const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(',');
  const rows = Array.from({ length: 5 }, () => Array.from({ length: columns }, () => String(random.int(0, 9))).join(','));
  return `${header}\n${rows.join('\n')}\n`;
}

/** Records over `n` distinct code points: the tokenizer's id width (8, 9, 16 bits and past) is chosen from this. */
function manyDistinctCharacters(n: number): string {
  const chars: string[] = [];
  for (let cp = 0x4e00; chars.length < n; cp++) if (cp < 0xd800 || cp > 0xdfff) chars.push(String.fromCodePoint(cp));
  const rows: string[] = ['text'];
  for (let i = 0; i < chars.length; i += 500) rows.push(chars.slice(i, i + 500).join(''));
  return `${rows.join('\n')}\n`;
}
