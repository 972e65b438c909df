import os from 'node:os';
import type { BackendChoice } from '../engine/kernels/createKernel.js';
import { openGeneration } from './openGeneration.js';

export interface EvaluationRequest {
  modelDir: string;
  lines: number;
  randomSeed?: number;
  temperature: number;
  backend: string;
}

/** Every candidate, valid or not, until `lines` valid ones: what `synth evaluate` scores. */
export async function* generateRecordsForEvaluation(
  request: EvaluationRequest,
): AsyncGenerator<{ text: string; fields: string[]; valid: boolean }> {
  const generation = await openGeneration(
    {
      modelDir: request.modelDir,
      seeds: [],
      temperature: request.temperature,
      randomSeed: request.randomSeed,
      batchSize: 64,
      workers: os.availableParallelism(),
      backend: request.backend as BackendChoice,
      validatorTimeoutMs: 5000,
      validate: true,
    },
    (line) => process.stderr.write(`synth: ${line}\n`),
  );
  let valid = 0;
  try {
    for await (const { record, verdict } of generation.judged()) {
      yield { text: record.text, fields: record.fields, valid: verdict.valid };
      if (verdict.valid && ++valid >= request.lines) return;
    }
  } finally {
    await generation.close();
  }
}
