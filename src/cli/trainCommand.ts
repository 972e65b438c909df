import { Command, InvalidArgumentError, Option } from 'commander';
import type { TrainBackendChoice } from '../train/createTrainer.js';
import { trainModel } from '../train/trainModel.js';
import { TRAIN_DEFAULTS, type TrainRunOptions } from '../train/trainOptions.js';
import { DEFAULT_CLOSED_SET_MAX_VALUES } from '../schema/profileRecords.js';
import { integerIn, numberInParser } from './flagParsers.js';
import { interruptSignal } from './interruptSignal.js';
import { createTrainProgress } from './trainProgress.js';
import { SCORE_LINES, scoreTrainedModel } from '../api/scoreTrainedModel.js';
import { formatScoreLine } from '../evaluate/reportTable.js';
import type { Message } from '../errors.js';
import { cliText } from './flagName.js';

const BACKENDS: readonly TrainBackendChoice[] = ['auto', 'onnx', 'tensorflow', 'wasm', 'cpu'];

/** Commander's parsed flags: TrainOptions' settings under the flag names, plus CLI-only switches. */
type TrainFlags = Omit<TrainRunOptions, 'inputPath' | 'outDir' | 'overwrite' | 'signal'> & {
  input: string;
  out: string;
  overwrite?: boolean;
  quiet?: boolean;
  score: boolean;
  closedSetMax?: number;
};

/** `synth train`: translates flags into TrainOptions and hands them to trainModel. */
export function trainCommand(): Command {
  const d = TRAIN_DEFAULTS;
  return new Command('train')
    .description('train a model on a CSV file (header in the first row) or a text file (one record per line)')
    .requiredOption('--input <file>', 'training data: .csv/.tsv (or any file with --delimiter) or plain text')
    .requiredOption('--out <dir>', 'model directory to write')
    .option('--overwrite', 'replace --out if it exists')
    .option('--embedding-dim <n>', 'embedding size', integerIn(1, 4096), d.embeddingDim)
    .option('--lstm-units <list>', 'units of each LSTM layer, comma-separated; auto: 256,256; 128,128 below 40,000 training tokens per epoch; one layer of 256 from a million', unitList, d.lstmUnits)
    .option('--dropout <rate>', 'dropout after each LSTM layer; auto: 0.2, or none for a table of a million training tokens or more', dropoutOrAuto, d.dropout)
    .option('--sequence-length <n>', 'tokens per training window', integerIn(1, 10_000), d.sequenceLength)
    .option('--batch-size <n>', 'windows per batch; auto: the largest of 64, 32, 16, 8 that gives at least 64 batches per epoch', batchSizeOrAuto, d.batchSize)
    .option('--learning-rate <lr>', 'RMSprop learning rate; auto: 0.01 x sqrt(batch size / 64)', rateOrAuto, d.learningRate)
    .addOption(
      new Option('--learning-rate-schedule <kind>', 'decay: --learning-rate for the first half of the planned epochs, then a cosine decay to 2% of it by the last; constant: --learning-rate throughout')
        .choices(['decay', 'constant'])
        .default(d.learningRateSchedule),
    )
    .option('--validation-split <share>', 'share of records held out for validation', numberInParser(0, 0.9), d.validationSplit)
    .option('--patience <n>', 'epochs without validation improvement before stopping (with the decay schedule, a stall before the decay begins starts it instead)', integerIn(1, 1000), d.patience)
    .option('--epochs <n>', 'most epochs to train', integerIn(1, 100_000), d.epochs)
    .option('--max-minutes <m>', 'stop after this many minutes of training and keep the best model; the learning rate decays to end there (0: no time limit)', minutesOrNone, d.maxMinutes)
    .option('--random-seed <n>', 'seed for a reproducible run (same backend and --workers)', integerIn(0, 2 ** 32 - 1))
    .addOption(new Option('--backend <name>', 'compute backend (auto: onnx, else TensorFlow.js)').choices(BACKENDS).default(d.backend))
    .option('--workers <n>', 'worker threads of the onnx trainer (default: one per core; one when the batch is below 16)', integerIn(1, 256))
    .option('--epoch-records <n>', 'records each epoch trains on, drawn afresh (seeded) from the training part (default: all)', integerIn(1, 2 ** 32 - 1))
    .option('--delimiter <char>', 'read --input as CSV with this one-character delimiter ("\\t" or "tab" for tab; "none" for plain text); default: from the extension and the first lines', delimiter)
    .option('--closed-set-max <n>', `most distinct values a field may have to be a closed set (default ${DEFAULT_CLOSED_SET_MAX_VALUES}; 0 = none)`, integerIn(0, 100_000))
    .option('--no-value-tokens', 'write closed-set fields character by character instead of one token per value')
    .option('--no-calibrate', 'skip the marginal calibration after training (generated values then follow the network alone)')
    .option('--no-keys', 'detect no key columns: the model learns every field\'s values, none is made fresh at generation')
    .addOption(
      new Option('--field-order <order>', "auto: the model writes free-text fields late, each with the fields just before it, categories that would follow free text first (records come out in the table's order either way); original: the table's order, for --seed on a text column")
        .choices(['auto', 'original'])
        .default(d.fieldOrder),
    )
    .option('--no-score', `skip the quality score (${SCORE_LINES} records generated and compared with --input) after saving`)
    .option('-q, --quiet', 'print nothing on stderr but errors')
    .action(async (flags: TrainFlags) => {
      const progress = createTrainProgress({ quiet: flags.quiet === true });
      const interrupt = interruptSignal();
      try {
        const result = await trainModel(toTrainOptions(flags, interrupt.signal), progress);
        if (flags.score && !flags.quiet) {
          // The model is saved before it is scored, so Ctrl-C while scoring only skips the score (exit 130).
          const warn = (warning: Message) => void process.stderr.write(`synth: ${cliText(warning)}\n`);
          const report = await scoreTrainedModel({ modelDir: flags.out, dataPath: flags.input, randomSeed: result.randomSeed, signal: interrupt.signal, warn });
          process.stderr.write(`synth: ${formatScoreLine(report)}; details: synth evaluate --model ${flags.out} --data ${flags.input}\n`);
        }
      } finally {
        progress.stop();
        interrupt.dispose();
      }
    });
}

function toTrainOptions(flags: TrainFlags, signal: AbortSignal): TrainRunOptions {
  return {
    inputPath: flags.input,
    outDir: flags.out,
    overwrite: flags.overwrite === true,
    embeddingDim: flags.embeddingDim,
    lstmUnits: flags.lstmUnits,
    dropout: flags.dropout,
    sequenceLength: flags.sequenceLength,
    batchSize: flags.batchSize,
    learningRate: flags.learningRate,
    learningRateSchedule: flags.learningRateSchedule,
    validationSplit: flags.validationSplit,
    patience: flags.patience,
    epochs: flags.epochs,
    maxMinutes: flags.maxMinutes === 0 ? undefined : flags.maxMinutes,
    randomSeed: flags.randomSeed,
    backend: flags.backend,
    workers: flags.workers,
    delimiter: flags.delimiter === 'none' ? null : flags.delimiter,
    epochRecords: flags.epochRecords,
    closedSetMaxValues: flags.closedSetMax,
    valueTokens: flags.valueTokens,
    keys: flags.keys,
    calibrate: flags.calibrate,
    fieldOrder: flags.fieldOrder,
    signal,
    // synth train owns its process: its memory figures assume the V8 flags and forced collections.
    processTuning: true,
  };
}

function unitList(value: string): number[] | 'auto' {
  if (value.trim() === 'auto') return 'auto';
  const parts = value.split(',').map((p) => p.trim());
  const units = parts.map(Number);
  if (parts.length < 1 || parts.length > 8 || parts.some((p) => !/^\d+$/.test(p)) || units.some((u) => u < 1 || u > 4096)) {
    throw new InvalidArgumentError('expected auto, or 1 to 8 comma-separated whole numbers from 1 to 4096, e.g. 256,256.');
  }
  return units;
}

function dropoutOrAuto(value: string): number | 'auto' {
  if (value.trim() === 'auto') return 'auto';
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 0.9) throw new InvalidArgumentError('expected auto, or a number from 0 to 0.9.');
  return n;
}

function rateOrAuto(value: string): number | 'auto' {
  return value.trim() === 'auto' ? 'auto' : positiveUpTo(10)(value);
}

function batchSizeOrAuto(value: string): number | 'auto' {
  return value.trim() === 'auto' ? 'auto' : integerIn(1, 4096)(value);
}

/** --max-minutes: a positive number of minutes, or 0 for no limit. */
function minutesOrNone(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 10_000_000) throw new InvalidArgumentError('expected minutes greater than 0 (at most 10000000), or 0 for no time limit.');
  return n;
}

function positiveUpTo(max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) throw new InvalidArgumentError(`expected a number greater than 0 and at most ${max}.`);
    return n;
  };
}

/** "none" stays a word here (commander turns a null into ""); toTrainOptions makes it null. */
function delimiter(value: string): string {
  if (value === 'none') return value;
  const resolved = value === '\\t' || value === 'tab' ? '\t' : value;
  if ([...resolved].length !== 1 || resolved.length !== 1 || ['"', '\n', '\r'].includes(resolved)) {
    throw new InvalidArgumentError('expected one character other than a quote or a line break (use "\\t" or "tab" for tab, "none" for plain text).');
  }
  return resolved;
}
