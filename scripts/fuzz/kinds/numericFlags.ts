import path from 'node:path';
import { TINY_TRAINING } from '../baseInputs.js';
import type { BaseInputs, FuzzCase, FuzzKind } from '../fuzzCase.js';
import type { CaseRandom } from '../random.js';

type Command = 'generate' | 'train' | 'evaluate';

/**
 * A numeric flag: `valid` draws values that keep the run short (a valid request for a billion
 * records is a long run by design, not a hang), `edges` are the spellings and range ends that
 * parsers get wrong.
 */
interface FlagSpec {
  command: Command;
  flag: string;
  valid(random: CaseRandom): string;
  edges: readonly string[];
}

/** Invalid for every numeric flag: not numbers, not finite, not ASCII digits, or absurdly long. (No NUL: argv cannot hold one.) */
const JUNK: readonly string[] = [
  '', ' ', 'NaN', 'Infinity', '-Infinity', 'abc', '1e400', '-1e400', '\uff19', '\u0663', '\u00a0', '1\n2', 'null', '0x1G',
  '9'.repeat(400), `-${'9'.repeat(30)}`, 'x'.repeat(10_000), '1_000', '--',
];

const int = (min: number, max: number) => (random: CaseRandom) => String(random.int(min, max));
const float = (min: number, max: number) => (random: CaseRandom) => String(min + random.float() * (max - min));
const oneOf = (...values: string[]) => (random: CaseRandom) => random.pick(values);

const FLAGS: readonly FlagSpec[] = [
  { command: 'generate', flag: '--lines', valid: int(1, 20), edges: ['0', '-1', '1.5', '1e2', '+3', ' 4 ', '007', '0x10', '1000000001'] },
  { command: 'generate', flag: '--temperature', valid: float(0, 5), edges: ['0', '-0', '100', '100.5', '-0.1', '1e-300', '5e-324', '0x10', '1e3', '.5', '5.'] },
  { command: 'generate', flag: '--max-chars', valid: int(1, 300), edges: ['0', '1', '2', '-5', '2000', '1000001'] },
  { command: 'generate', flag: '--max-invalid', valid: oneOf('0', '1', '5', '50', '5%', '0%', '100%', '0.5%'), edges: ['-1', '-1%', '101%', '%', '5%%', '1e3', '2.5', '1e2%', ' 5 %'] },
  { command: 'generate', flag: '--random-seed', valid: int(0, 2 ** 32 - 1), edges: ['0', '4294967295', '4294967296', '-1', '1.5', '1e9'] },
  { command: 'generate', flag: '--batch-size', valid: int(1, 64), edges: ['0', '1', '4096', '4097', '-2'] },
  { command: 'generate', flag: '--workers', valid: int(1, 4), edges: ['0', '256', '257', '-1'] },
  { command: 'generate', flag: '--validator-timeout', valid: int(1, 5000), edges: ['0', '3600000', '3600001', '-5'] },
  { command: 'generate', flag: '--shard', valid: oneOf('1/1', '1/2', '2/2', '1/3', '3/3'), edges: ['0/2', '3/2', '1/0', '1', 'a/b', '1/2/3', '-1/2', '1.5/2', '1/1000000000', '1/1000000001', '2/ 2', '/'] },
  { command: 'train', flag: '--embedding-dim', valid: int(1, 8), edges: ['0', '4097', '-4'] },
  { command: 'train', flag: '--lstm-units', valid: oneOf('8', '1', '4,4', '2,3,4', 'auto'), edges: ['0', '8,', ',8', '8,,8', '8 ,8', '1,2,3,4,5,6,7,8,9', '4097', '-8', '8.5'] },
  { command: 'train', flag: '--dropout', valid: float(0, 0.9), edges: ['0', '0.9', '0.95', '1', '-0.1'] },
  { command: 'train', flag: '--sequence-length', valid: int(1, 50), edges: ['0', '1', '10000', '10001'] },
  { command: 'train', flag: '--batch-size', valid: oneOf('1', '2', '8', '16', 'auto'), edges: ['0', '4096', '4097', 'auto ', 'AUTO'] },
  { command: 'train', flag: '--learning-rate', valid: oneOf('0.001', '0.01', '0.1', '1', 'auto'), edges: ['0', '10', '10.5', '-1', '1e-300'] },
  { command: 'train', flag: '--validation-split', valid: float(0, 0.9), edges: ['0', '0.9', '0.91', '1', '-0'] },
  { command: 'train', flag: '--patience', valid: int(1, 20), edges: ['0', '1000', '1001'] },
  { command: 'train', flag: '--epochs', valid: int(1, 2), edges: ['0', '100001', '-1'] },
  { command: 'train', flag: '--max-minutes', valid: oneOf('0', '0.01', '0.05'), edges: ['-1', '1e-300', '5e-324', '10000001'] },
  { command: 'train', flag: '--random-seed', valid: int(0, 2 ** 32 - 1), edges: ['4294967296', '-1'] },
  { command: 'train', flag: '--workers', valid: int(1, 2), edges: ['0', '257'] },
  { command: 'train', flag: '--epoch-records', valid: int(1, 50), edges: ['0', '1', '4294967295', '4294967296'] },
  { command: 'train', flag: '--closed-set-max', valid: int(0, 300), edges: ['0', '-1', '100000', '100001'] },
  { command: 'evaluate', flag: '--lines', valid: int(1, 30), edges: ['0', '1000001'] },
  { command: 'evaluate', flag: '--temperature', valid: float(0, 3), edges: ['-1', '101'] },
  { command: 'evaluate', flag: '--random-seed', valid: int(0, 2 ** 32 - 1), edges: ['4294967296'] },
];

/** Every numeric flag of generate, train and evaluate: valid values, range edges and junk, one to three flags a case. */
export const numericFlagsKind: FuzzKind = {
  name: 'flags',
  summary: 'every numeric flag of generate, train and evaluate: in-range values, range edges, junk spellings',
  async makeCase(random, caseDir, base) {
    const command = random.weighted([[6, 'generate'], [3, 'train'], [1, 'evaluate']] as const);
    const flags = baseFlags(command, caseDir, base);
    const specs = FLAGS.filter((s) => s.command === command);
    const changed: string[] = [];
    for (let i = random.int(1, 3); i > 0; i--) {
      const spec = random.pick(specs);
      const value = random.weighted<() => string>([[4, () => spec.valid(random)], [4, () => random.pick(spec.edges)], [2, () => random.pick(JUNK)]])();
      flags.set(spec.flag, value);
      changed.push(spec.flag);
    }
    // "--flag=value" always reaches the parser; "--flag value" lets commander read "-1" as a flag.
    const args: string[] = [command];
    for (const [flag, value] of flags) {
      if (value === null) args.push(flag);
      else if (changed.includes(flag) && random.chance(0.3)) args.push(flag, value);
      else args.push(`${flag}=${value}`);
    }
    return {
      description: changed.map((f) => `${f}=${JSON.stringify(flags.get(f)).slice(0, 60)}`).join(' '),
      args,
      names: [...changed, '--max-invalid'],
    } satisfies FuzzCase;
  },
};

/** The short run each command makes when no flag is mutated; null marks a switch without value. */
function baseFlags(command: Command, caseDir: string, base: BaseInputs): Map<string, string | null> {
  if (command === 'generate') {
    return new Map<string, string | null>([['--model', base.delimitedModel], ['--lines', '3'], ['--random-seed', '1'], ['--max-invalid', '30'], ['--workers', '1'], ['-q', null]]);
  }
  if (command === 'evaluate') {
    return new Map<string, string | null>([['--model', base.delimitedModel], ['--data', base.delimitedData], ['--lines', '20'], ['--random-seed', '1']]);
  }
  const flags = new Map<string, string | null>([['--input', base.delimitedData], ['--out', path.join(caseDir, 'out')]]);
  for (let i = 0; i < TINY_TRAINING.length; i++) {
    const flag = TINY_TRAINING[i]!;
    const next = TINY_TRAINING[i + 1];
    if (next !== undefined && !next.startsWith('-')) {
      flags.set(flag, next);
      i++;
    } else flags.set(flag, null);
  }
  flags.set('--max-minutes', '0.05');
  return flags;
}
