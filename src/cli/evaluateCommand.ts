import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import { UsageError, type Message } from '../errors.js';
import { cliText, flagName } from './flagName.js';
import { evaluateModel, evaluateSyntheticFile } from '../evaluate/evaluate.js';
import type { JudgedCandidate, EvaluationReport } from '../evaluate/report.js';
import { formatReportHtml } from '../evaluate/reportHtml.js';
import { formatReportJson } from '../evaluate/reportJson.js';
import { formatReportTable } from '../evaluate/reportTable.js';
import { writeOutputFileAtomically } from '../output/atomicOutputFile.js';
import { defaultModelDir } from './defaultModel.js';
import { EVALUATION_PLACEMENTS, type EvaluationRequest } from '../generate/generateForEvaluation.js';
import { collect, integerIn, numberInParser } from './flagParsers.js';
import { whereRequests } from '../api/whereOption.js';
import type { ConditionPlacement } from '../generate/conditionalStart.js';

const BACKENDS = ['auto', 'onnx', 'tensorflow', 'wasm', 'cpu'] as const;

export interface EvaluateCommandDeps {
  /** Every candidate, valid or not, until `lines` valid ones (wired by main.ts to the real generator). */
  generateRecords: (req: EvaluationRequest) => AsyncIterable<JudgedCandidate>;
  /** Where the table goes; stderr unless a test captures it. */
  stderr?: { write(text: string): unknown };
}

interface EvaluateFlags {
  model: string;
  data: string;
  synthetic?: string;
  lines: number;
  report?: string;
  randomSeed?: number;
  temperature: number;
  backend: string;
  where?: string[];
  conditionPlacement?: ConditionPlacement;
}

/** `synth evaluate`: generates records (or reads --synthetic) and reports how close they are to the real data. */
export function evaluateCommand(deps: EvaluateCommandDeps): Command {
  return new Command('evaluate')
    .description(
      'generate records (or read --synthetic FILE) and compare them with the real data beside two baselines: Column Shapes, Column Pair Trends, validity, privacy, a 0–100 score',
    )
    .option('--model <dir>', 'model directory', defaultModelDir())
    .requiredOption('--data <file>', 'the data file the model was trained on (CSV with header, or text)')
    .option('--synthetic <file>', 'score the records of this file (CSV with a header like --data, or text lines) instead of generating; no model needed')
    .option('--lines <n>', 'valid records to generate and compare', integerIn(1, 1_000_000), 1000)
    .option('--report <file>', 'also write the report: FILE.json (data) or FILE.html (plots, self-contained)')
    .option('--random-seed <n>', 'seed of the random streams, for a replayable report', integerIn(0, 2 ** 32 - 1))
    .option('--temperature <t>', 'sampling temperature; 0 picks the most likely token', numberInParser(0, 100), 1)
    .addOption(new Option('--backend <name>', 'compute backend').choices(BACKENDS).default('auto'))
    .option('--where <FIELD=VALUE>', 'generate records that meet this condition (as synth generate --where; repeat for more) and compare them with the real rows that meet it', collect)
    .addOption(
      new Option('--condition-placement <how>', `with --where: how generation meets the conditions, as synth generate's conditionPlacement (default: ${EVALUATION_PLACEMENTS[0]})`).choices(EVALUATION_PLACEMENTS),
    )
    .action(async (flags: EvaluateFlags) => {
      const warn = (warning: Message) => void process.stderr.write(`synth: ${cliText(warning)}\n`);
      if (flags.synthetic !== undefined && (flags.where || flags.conditionPlacement)) {
        throw new UsageError(`${flags.where ? '--where' : '--condition-placement'} applies to records synth generates, not to --synthetic ${flags.synthetic}; drop it, or give --model instead of --synthetic`);
      }
      // Fail on a bad --report before spending minutes generating.
      const writeReport = flags.report === undefined ? undefined : await reportWriter(flags.report);
      const report =
        flags.synthetic !== undefined
          ? await evaluateSyntheticFile({ syntheticPath: flags.synthetic, dataPath: flags.data, randomSeed: flags.randomSeed, collectGarbage: true, optionName: flagName })
          : await evaluateModel(
              {
                modelDir: flags.model,
                dataPath: flags.data,
                lines: flags.lines,
                randomSeed: flags.randomSeed,
                temperature: flags.temperature,
                backend: flags.backend,
                collectGarbage: true,
                where: whereRequests(flags.where),
                conditionPlacement: flags.conditionPlacement,
              },
              (lines, conditions) =>
                deps.generateRecords({
                  modelDir: flags.model,
                  lines,
                  randomSeed: flags.randomSeed,
                  temperature: flags.temperature,
                  backend: flags.backend,
                  warn,
                  ...(conditions ? { where: conditions.where, conditionPlacement: conditions.placement } : {}),
                }),
            );
      (deps.stderr ?? process.stderr).write(formatReportTable(report));
      await writeReport?.(report);
    });
}

/** Checks --report's extension and directory now; returns the function that writes it later. */
async function reportWriter(file: string): Promise<(report: EvaluationReport) => Promise<void>> {
  const extension = path.extname(file).toLowerCase();
  const format = extension === '.json' ? formatReportJson : extension === '.html' || extension === '.htm' ? formatReportHtml : undefined;
  if (!format) throw new UsageError(`--report ${file}: the extension must be .json or .html (got ${extension === '' ? 'none' : extension})`);
  const directory = path.dirname(path.resolve(file));
  const info = await stat(directory).catch(() => null);
  if (!info?.isDirectory()) throw new UsageError(`--report ${file}: directory ${directory} does not exist`);
  return async (report) => {
    try {
      await writeOutputFileAtomically(file, format(report));
    } catch (error) {
      throw new UsageError(`--report ${file} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  };
}
