import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FuzzCase, FuzzKind } from '../fuzzCase.js';
import type { CaseRandom } from '../random.js';
import { placeSpecialFile } from '../specialFiles.js';
import { damageText } from '../textMutation.js';

/** --seed-file: start strings cut from real records, with extra fields, unknown characters, quotes, blank and huge lines, byte damage. */
export const seedFileKind: FuzzKind = {
  name: 'seed-file',
  summary: '--seed-file: prefixes of real records, extra fields, unknown characters, broken quotes, blank and huge lines, byte damage, special files',
  async makeCase(random, caseDir, base) {
    const delimited = random.chance(0.75);
    const records = (await readFile(delimited ? base.delimitedData : base.textData, 'utf8')).split('\n').slice(delimited ? 1 : 0).filter((l) => l !== '');
    const file = path.join(caseDir, 'seeds.txt');
    let what: string;
    let startStrings = 0;
    if (random.chance(0.1)) {
      what = await placeSpecialFile(random, file);
    } else {
      const count = random.weighted([[8, random.int(1, 5)], [1, 0], [1, random.int(20, 60)]] as const);
      const lines = Array.from({ length: count }, () => seedLine(random, random.pick(records)));
      let bytes: Buffer = Buffer.from(lines.join('\n') + (random.chance(0.8) ? '\n' : ''));
      what = `${count} start strings`;
      if (random.chance(0.35)) {
        const damage = damageText(random, bytes);
        bytes = damage.bytes;
        what += `, ${damage.what}`;
      }
      await writeFile(file, bytes);
      startStrings = countStartStrings(bytes);
    }
    // One start string (or none) means every record starts with it, 1000 of them by default: a
    // long run by design, so such cases ask for a few.
    const lines = startStrings <= 1 || random.chance(0.25) ? ['--lines', String(random.int(1, 6))] : [];
    return {
      description: `${what}${lines.length ? ` --lines ${lines[1]}` : ''}`,
      args: ['generate', '--model', delimited ? base.delimitedModel : base.textModel, '--seed-file', file, ...lines, '--random-seed', '1', '--max-invalid', '30', '--workers', '1', '-q'],
      names: ['--seed-file', file, '--lines', '--max-invalid', '--max-chars', '--seed'],
    } satisfies FuzzCase;
  },
};

function seedLine(random: CaseRandom, record: string): string {
  const at = random.int(0, record.length);
  return random.weighted<() => string>([
    [6, () => record.slice(0, at)],
    [1, () => record],
    [1, () => `${record},extra,fields`],
    [1, () => record.slice(0, at) + random.pick(['"', '""', '\\', '\t', 'Ω', '😀', '\u0000', '\u2028'])],
    [1, () => `"${record.slice(0, at)}`],
    [1, () => ''],
    [1, () => random.text(random.pick([200, 10_000]), 'abc,')],
    [1, () => record.slice(0, at) + ','.repeat(random.int(1, 30))],
  ])();
}

/** Start strings synth will see in the file: its lines, as --seed-file splits them. */
function countStartStrings(bytes: Buffer): number {
  const lines = bytes.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines.length;
}
