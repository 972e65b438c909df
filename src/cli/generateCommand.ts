import { readTextFile } from '../files/readTextFile.js';
import { Command, InvalidArgumentError, Option } from 'commander';
import { message, option, SynthError, UsageError, type Message } from '../errors.js';
import type { BackendChoice } from '../engine/kernels/createKernel.js';
import type { GenerateRunOptions } from '../generate/generateOptions.js';
import { DEFAULT_BATCH_SIZE, IN_PROCESS_BATCHES, toRecordRunOptions } from '../api/generate.js';
import { runGenerate } from '../generate/runGenerate.js';
import type { SchemaMode } from '../schema/schema.js';
import { parseShard, type Shard } from '../generate/shard.js';
import { parseInvalidLimit, type InvalidLimit } from '../validate/invalidLimit.js';
import { OUTPUT_FORMATS, resolveFormat } from '../output/format.js';
import { parseTableName } from '../output/sqlTableName.js';
import { defaultModelDir } from './defaultModel.js';
import { collect, integerIn, numberInParser } from './flagParsers.js';
import { createGenerateProgress } from './generateProgress.js';
import { formatStats } from './formatStats.js';
import { cliText, flagName } from './flagName.js';
import { interruptSignal } from './interruptSignal.js';

const BACKENDS: readonly BackendChoice[] = ['auto', 'onnx', 'onnx-int8', 'tensorflow', 'wasm', 'cpu'];

interface GenerateFlags {
  model: string;
  lines?: number;
  seed?: string[];
  seedFile?: string;
  where?: string[];
  temperature: number;
  maxChars?: number;
  maxInvalid?: InvalidLimit;
  shard?: Shard;
  keyOffset?: number;
  randomSeed?: number;
  batchSize: number;
  workers?: number;
  backend: BackendChoice;
  format?: string;
  table?: string;
  create: boolean;
  output?: string;
  validator?: string;
  validatorTimeout: number;
  match?: string;
  validate: boolean;
  schema: SchemaMode;
  schemaFile?: string;
  invalidOutput?: string;
  stats?: boolean;
  quiet?: boolean;
}

/** `synth generate`: translates flags into GenerateOptions and hands them to runGenerate. */
export function generateCommand(): Command {
  return new Command('generate')
    .description('sample new records from a trained model; records go to stdout or --output')
    .option('--model <dir>', 'model directory', defaultModelDir())
    .option('--lines <n>', 'valid records to generate (default: 1000, or one per start string)', integerIn(1, 1_000_000_000))
    .option('--seed <text>', 'start string; repeat it for one record per start string', collect)
    .option('--seed-file <file>', 'start strings, one per line; one record each, in order. A first line of column names makes it CSV rows instead: one record per row, its non-blank cells fixed')
    .option('--where <FIELD=VALUE>', 'a condition every record meets: FIELD=VALUE, FIELD=a|b|c or FIELD=LO..HI (an end may be left open); repeat for more (all must hold)', collect)
    .option('--temperature <t>', 'sampling temperature; 0 picks the most likely token', numberInParser(0, 100), 1)
    .option('--max-chars <n>', "record length limit (default: the model's own)", integerIn(1, 1_000_000))
    .option('--max-invalid <n>', 'rejected records allowed before giving up (exit 4): a count, or a share of --lines such as 5% (default: 10%, at least 1000)', asFlagValue(parseInvalidLimit))
    .option('--shard <i/n>', 'generate part i of n of the run: its share of --lines from its own part of the candidate stream', asFlagValue(parseShard))
    .option('--random-seed <n>', 'seed of the random streams, for replayable output', integerIn(0, 2 ** 32 - 1))
    .option('--key-offset <n>', 'key columns start after this many fresh values (rows an earlier run put in the same table)', integerIn(0, Number.MAX_SAFE_INTEGER))
    .option('--batch-size <n>', 'sequences stepped together per worker', integerIn(1, 4096), DEFAULT_BATCH_SIZE)
    .option('--workers <n>', `worker threads (default: one per core; one for jobs up to ${IN_PROCESS_BATCHES} batches)`, integerIn(1, 256))
    .addOption(new Option('--backend <name>', 'compute backend').choices(BACKENDS).default('auto'))
    .addOption(new Option('--format <format>', 'output format (default: from the --output extension, else text)').choices([...OUTPUT_FORMATS]))
    .option('--table <name>', 'sql: the table to create and fill (default: the training file\'s name, else records)')
    .option('--no-create', 'sql: INSERT statements only, into a table that already exists')
    .option('-o, --output <file>', 'write records to this file instead of stdout')
    .option('--validator <module>', 'JS module whose default export (text, fields) returns true or false')
    .option('--validator-timeout <ms>', 'time allowed per record for --validator', integerIn(1, 3_600_000), 5000)
    .option('--match <regex>', 'a record is valid only if it matches this regular expression')
    .addOption(new Option('--schema <mode>', "masks and checks from the model's field schema: strict (values in the training range), lenient (format only), off").choices(['strict', 'lenient', 'off']).default('strict'))
    .option('--schema-file <file>', 'use this edited schema (JSON, as from synth inspect MODEL --json) instead of the model\'s own')
    .option('--no-validate', 'accept every record, even one cut off by --max-chars')
    .option('--invalid-output <file>', 'write rejected records with their reasons as JSON lines')
    .option('--stats', 'print a summary on stderr: counts, tokens/s, records/s, random seed, backend')
    .option('-q, --quiet', 'print nothing on stderr but errors')
    .action(async (flags: GenerateFlags) => {
      const options = await toGenerateOptions(flags);
      const warn = (warning: Message) => {
        if (!options.quiet) process.stderr.write(`synth: ${cliText(warning)}\n`);
      };
      const progress = options.progress ? createGenerateProgress() : undefined;
      const interrupt = interruptSignal();
      try {
        const stats = await runGenerate(options, { warn, progress: progress?.update, signal: interrupt.signal, optionName: flagName });
        progress?.stop();
        if (options.stats) process.stderr.write(formatStats(stats));
        else if (options.randomSeed === undefined) warn(message`random seed ${stats.randomSeed} (replay with ${option('randomSeed')} ${stats.randomSeed})`);
      } finally {
        progress?.stop();
        interrupt.dispose();
      }
    });
}

async function toGenerateOptions(flags: GenerateFlags): Promise<GenerateRunOptions> {
  if (flags.seed && flags.seedFile) throw new UsageError('give either --seed or --seed-file, not both');
  // A --seed-file's lines are start strings, or rows under a header of column names: which, the
  // model's header decides once the model is read (runStarts.ts).
  const seedFile = flags.seedFile === undefined ? undefined : { name: flags.seedFile, lines: await readSeedFile(flags.seedFile) };
  const outputPath = flags.output === '-' ? undefined : flags.output;
  const run = toRecordRunOptions({
    model: flags.model,
    lines: flags.lines,
    seeds: flags.seed,
    where: flags.where,
    temperature: flags.temperature,
    maxChars: flags.maxChars,
    maxInvalid: flags.maxInvalid,
    randomSeed: flags.randomSeed,
    batchSize: flags.batchSize,
    workers: flags.workers,
    backend: flags.backend,
    validator: flags.validator,
    validatorTimeoutMs: flags.validatorTimeout,
    match: flags.match,
    validate: flags.validate,
    schema: flags.schema,
    schemaFile: flags.schemaFile,
    shard: flags.shard,
    keyOffset: flags.keyOffset,
  });
  const format = resolveFormat(flags.format, outputPath);
  if (format !== 'sql' && (flags.table !== undefined || !flags.create)) {
    throw new UsageError(`${flags.table !== undefined ? '--table' : '--no-create'} applies only to --format sql (or -o FILE.sql); drop it or add --format sql`);
  }
  return {
    ...run,
    ...(seedFile ? { seedFile } : {}),
    format,
    ...(format === 'sql' ? { sql: { table: flags.table === undefined ? undefined : parseTableName(flags.table), create: flags.create } } : {}),
    outputPath,
    invalidOutputPath: flags.invalidOutput,
    stats: flags.stats === true,
    quiet: flags.quiet === true,
    progress: flags.quiet !== true && process.stderr.isTTY === true,
  };
}

/** A commander parser from a core parser: its UsageError's reason becomes commander's one-line message. */
function asFlagValue<T>(parse: (text: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof SynthError) throw new InvalidArgumentError(`${error.format(flagName).replace(/^.*?: /, '')}.`);
      throw error;
    }
  };
}

/** About a million start strings of 100 characters; past that the file's strings alone near 1 GB of memory. */
const MAX_SEED_FILE_BYTES = 128 * 2 ** 20;

async function readSeedFile(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readTextFile(file, MAX_SEED_FILE_BYTES);
  } catch (error) {
    throw new UsageError(`--seed-file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const seeds = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (seeds.at(-1) === '') seeds.pop();
  if (seeds.length === 0) throw new UsageError(`--seed-file ${file} is empty; put one start string per line`);
  return seeds;
}
