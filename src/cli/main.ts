import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ExitStatus, OutputClosedError, SynthError } from '../errors.js';
import { guardStderr } from '../output/guardStderr.js';
import { generateCommand } from './generateCommand.js';
import { trainCommand } from './trainCommand.js';
import { evaluateCommand } from './evaluateCommand.js';
import { doctorCommand } from './doctorCommand.js';
import { showOptionalBackendNotes } from '../tfjs/backend.js';
import { inspectCommand } from './inspectCommand.js';
import { flagName } from './flagName.js';
import { generateRecordsForEvaluation } from '../generate/generateForEvaluation.js';

// A closed stderr must not crash the run; a closed stdout is handled where records are written.
guardStderr();

const verbose = process.argv.includes('--verbose');
showOptionalBackendNotes(verbose);

const program = new Command('synth')
  .description('train a small LSTM on your records and generate realistic synthetic ones')
  .version(packageVersion())
  .option('--verbose', 'print stack traces of internal errors, and notes about optional backends')
  .addCommand(generateCommand())
  .addCommand(trainCommand())
  .addCommand(evaluateCommand({ generateRecords: generateRecordsForEvaluation }))
  .addCommand(doctorCommand())
  .addCommand(inspectCommand());

for (const command of [program, ...program.commands]) {
  command.exitOverride();
  // One line, like every other synth error: CI logs and `2>err; cat err` stay readable, and
  // commander's "(Did you mean --seed?)" second line joins the first.
  command.configureOutput({ outputError: (message, write) => write(`synth: ${message.trim().replace(/\s*\n\s*/g, ' ')}\n`) });
  command.enablePositionalOptions(false);
  if (command !== program) command.option('--verbose', 'print stack traces of internal errors, and notes about optional backends');
}

process.exitCode = await run();
// Open handles (worker threads, native sessions) must not keep a finished run alive.
setImmediate(() => process.exit());

async function run(): Promise<number> {
  try {
    await program.parseAsync(process.argv);
    return ExitStatus.ok;
  } catch (error) {
    return report(error);
  }
}

/** This package's version; npm_package_version would be the version of whatever project runs npx. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

function report(error: unknown): number {
  if (error instanceof CommanderError) {
    // commander has already printed its message; help and version are not failures, but help shown
    // because no command was given (`synth` alone, exitCode 1) is a usage error.
    if (error.code === 'commander.help') return error.exitCode === 0 ? ExitStatus.ok : ExitStatus.usage;
    return ['commander.helpDisplayed', 'commander.version'].includes(error.code) ? ExitStatus.ok : ExitStatus.usage;
  }
  if (error instanceof OutputClosedError) return ExitStatus.ok;
  if (error instanceof SynthError) {
    process.stderr.write(`synth: error: ${error.format(flagName)}\n`);
    if (verbose && error.cause) process.stderr.write(`${String((error.cause as Error).stack ?? error.cause)}\n`);
    return error.exitStatus;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`synth: internal error: ${message.split('\n')[0]}${verbose ? '' : ' (run with --verbose for details)'}\n`);
  if (verbose && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return ExitStatus.internal;
}
