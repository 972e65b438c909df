import path from 'node:path';
import { apiOptionName, BudgetError, formatMessage, InterruptedError, message, option, OutputClosedError, UsageError } from '../errors.js';
import { isBrokenPipe, openOutput, type OpenedOutput } from '../output/openOutput.js';
import { createRecordWriter } from '../output/recordWriter.js';
import { createInvalidLog } from '../output/invalidLog.js';
import { defaultTableName } from '../output/sqlTableName.js';
import type { GenerateRunOptions } from './generateOptions.js';
import type { GenerateStats } from './generateStats.js';
import { openRecordRun, type RecordRunEvents } from './generateRecords.js';

export type GenerateEvents = Omit<RecordRunEvents, 'rejected'> & {
  /** How the --invalid-output file's reasons name options: by key (default); synth generate passes its flags. */
  optionName?: (option: string) => string;
};

/**
 * `synth generate` as one call: streams the first `lines` valid candidates, in candidate order,
 * to the output. Records written before an error are flushed before the error propagates.
 */
export async function runGenerate(options: GenerateRunOptions, events: GenerateEvents): Promise<GenerateStats> {
  checkDistinctDestinations(options.outputPath, options.invalidOutputPath);
  if (options.format === 'sql' && !options.validate) {
    throw new UsageError(
      message`${option('format')} sql cannot take ${option('validate: false')}: a record cut off by ${option('maxChars')} or with a missing field would not load; drop ${option('validate: false')}`,
    );
  }
  let invalidLog: ReturnType<typeof createInvalidLog> | undefined;
  // Model, start strings and validator are checked before an output file is opened (and so
  // truncated): a run that fails at start leaves an existing file as it was.
  const run = await openRecordRun(options, { ...events, rejected: (record, reason) => invalidLog?.write(record, formatMessage(reason, events.optionName ?? apiOptionName)) });
  // A signal during start-up (model load, workers, a slow validator module) ends the run before
  // any output file is opened.
  if (events.signal?.aborted) {
    await run.close();
    events.signal.throwIfAborted();
  }
  const { output, invalidOutput } = await openOutputs(options).catch(async (error: unknown) => {
    await run.close();
    throw error;
  });
  const sql = {
    table: options.sql?.table ?? defaultTableName(run.manifest.training.settings.input),
    create: options.sql?.create ?? true,
    schema: run.schema,
  };
  const writer = createRecordWriter({ format: options.format, records: run.manifest.records, output: output.stream, outputName: output.name, sql });
  if (invalidOutput) invalidLog = createInvalidLog(invalidOutput.stream, invalidOutput.name);

  let failure: unknown;
  try {
    for await (const record of run.records) await writer.write(record);
  } catch (error) {
    failure = error;
  } finally {
    await run.close();
  }

  // Flush what was generated before reporting any failure, so nothing already made is lost. A file
  // is put in place when the run's records are written: it finished (a closed stdout included), ran
  // out of its invalid budget, or was interrupted (the records so far, well-formed). Any other
  // failure keeps the previous file.
  const keep =
    failure === undefined || failure instanceof BudgetError || failure instanceof InterruptedError || (output.isStdout && isBrokenPipe(failure));
  const flushes = [settle(() => writer.end(), output, keep)];
  if (invalidLog && invalidOutput) flushes.push(settle(() => invalidLog!.end(), invalidOutput, keep));
  const settled = await Promise.allSettled(flushes);
  const flushFailure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  const error = failure ?? flushFailure?.reason;
  if (error !== undefined) throw output.isStdout && isBrokenPipe(error) ? new OutputClosedError() : error;
  return run.stats();
}

/** Flushes a writer, then puts its file in place (`keep`) or leaves the previous file as it was. */
async function settle(flush: () => Promise<void>, file: OpenedOutput, keep: boolean): Promise<void> {
  try {
    await flush();
  } catch (error) {
    await file.discard();
    throw error;
  }
  await (keep ? file.close() : file.discard());
}

async function openOutputs(options: GenerateRunOptions): Promise<{ output: OpenedOutput; invalidOutput?: OpenedOutput }> {
  const output = await openOutput(options.outputPath);
  if (!options.invalidOutputPath) return { output };
  try {
    return { output, invalidOutput: await openOutput(options.invalidOutputPath, option('invalidOutput')) };
  } catch (error) {
    await output.discard();
    throw error;
  }
}

function checkDistinctDestinations(output: string | undefined, invalidOutput: string | undefined): void {
  if (invalidOutput === undefined) return;
  if (invalidOutput === '-' && output === undefined) {
    throw new UsageError(message`${option('invalidOutput')} - would mix rejected records into stdout with the valid ones; give it a file`);
  }
  if (output !== undefined && path.resolve(output) === path.resolve(invalidOutput)) {
    throw new UsageError(message`${option('output')} and ${option('invalidOutput')} both name ${output}; give them different files`);
  }
}
