import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { InterruptedError, OutputClosedError, UsageError } from '../errors.js';
import { InvalidBudget } from '../validate/invalidBudget.js';
import type { GeneratedRecord } from '../validate/record.js';
import { isBrokenPipe, openOutput, type OpenedOutput } from '../output/openOutput.js';
import { createRecordWriter } from '../output/recordWriter.js';
import { createInvalidLog } from '../output/invalidLog.js';
import type { GenerateOptions, GenerateStats } from './generateOptions.js';
import { openGeneration } from './openGeneration.js';
import { SeedOrder } from './seedOrder.js';

export interface GenerateEvents {
  /** One line for stderr (warnings). */
  warn(line: string): void;
  /** Called after each judged record; cheap, for a progress bar. */
  progress?(valid: number, invalid: number): void;
  /** Aborted on SIGINT / SIGTERM (reason: the signal name): stop after the current record, flush. */
  signal?: AbortSignal;
}

/**
 * `synth generate` as one call: streams the first `lines` valid candidates, in candidate order,
 * to the output. Records written before an error are flushed before the error propagates.
 */
export async function runGenerate(options: GenerateOptions, events: GenerateEvents): Promise<GenerateStats> {
  const manySeeds = options.seeds.length > 1;
  if (manySeeds && options.lines !== options.seeds.length) {
    throw new UsageError(`--lines ${options.lines} does not match the ${options.seeds.length} start strings; each start string gives one record, so omit --lines`);
  }
  checkDistinctDestinations(options.outputPath, options.invalidOutputPath);
  // Model, start strings and validator are checked before an output file is opened (and so
  // truncated): a run that fails at start leaves an existing file as it was.
  const generation = await openGeneration(options, events.warn);
  // A signal during start-up (model load, workers, a slow validator module) ends the run before
  // any output file is opened.
  if (events.signal?.aborted) {
    await generation.close();
    throw interruptedBy(events.signal);
  }
  const { output, invalidOutput } = await openOutputs(options).catch(async (error: unknown) => {
    await generation.close();
    throw error;
  });
  const writer = createRecordWriter({ format: options.format, records: generation.manifest.records, output: output.stream, outputName: output.name });
  const invalidLog = invalidOutput ? createInvalidLog(invalidOutput.stream, invalidOutput.name) : undefined;

  const budget = new InvalidBudget(options.maxInvalid);
  const seedOrder = manySeeds ? new SeedOrder<GeneratedRecord>(options.seeds.length) : undefined;
  const counts = { valid: 0, invalid: 0, candidates: 0, tokens: 0 };
  const started = performance.now();

  let failure: unknown;
  try {
    for await (const { record, verdict, seedIndex, tokens } of generation.judged(seedOrder && ((i) => !seedOrder.wants(i)))) {
      counts.candidates++;
      counts.tokens += tokens;
      if (verdict.valid) {
        counts.valid++;
        if (!seedOrder) await writer.write(record);
        else for (const r of seedOrder.accept(seedIndex, record)) await writer.write(r);
      } else {
        counts.invalid++;
        if (invalidLog) await invalidLog.write(record, verdict.reason);
        budget.reject(counts.valid);
      }
      events.progress?.(counts.valid, counts.invalid);
      if (counts.valid >= options.lines) break;
      if (events.signal?.aborted) throw interruptedBy(events.signal);
    }
  } catch (error) {
    failure = error;
  } finally {
    await generation.close();
  }

  // Flush what was generated before reporting any failure, so nothing already made is lost.
  const flushes = [writer.end().then(() => output.close())];
  if (invalidLog && invalidOutput) flushes.push(invalidLog.end().then(() => invalidOutput.close()));
  const settled = await Promise.allSettled(flushes);
  const flushFailure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  const error = failure ?? flushFailure?.reason;
  if (error !== undefined) throw output.isStdout && isBrokenPipe(error) ? new OutputClosedError() : error;

  const elapsedMs = performance.now() - started;
  return {
    ...counts,
    elapsedMs: Math.round(elapsedMs),
    tokensPerSecond: Math.round((counts.tokens * 1000) / elapsedMs),
    recordsPerSecond: Math.round((counts.valid * 1000) / elapsedMs),
    randomSeed: generation.randomSeed,
    backend: generation.backend,
    workers: generation.workers,
    batchSize: options.batchSize,
  };
}

function interruptedBy(signal: AbortSignal): InterruptedError {
  return new InterruptedError(signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
}

async function openOutputs(options: GenerateOptions): Promise<{ output: OpenedOutput; invalidOutput?: OpenedOutput }> {
  const output = await openOutput(options.outputPath);
  if (!options.invalidOutputPath) return { output };
  try {
    return { output, invalidOutput: await openOutput(options.invalidOutputPath, '--invalid-output') };
  } catch (error) {
    await output.close().catch(() => {});
    throw error;
  }
}

function checkDistinctDestinations(output: string | undefined, invalidOutput: string | undefined): void {
  if (invalidOutput === undefined) return;
  if (invalidOutput === '-' && output === undefined) {
    throw new UsageError('--invalid-output - would mix rejected records into stdout with the valid ones; give it a file');
  }
  if (output !== undefined && path.resolve(output) === path.resolve(invalidOutput)) {
    throw new UsageError(`-o/--output and --invalid-output both name ${output}; give them different files`);
  }
}
