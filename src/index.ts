/**
 * synth's public API: the front door the CLI also goes through. Everything else is internal.
 *
 *   import { generate } from 'synth';
 *   for await (const { fields } of generate({ lines: 100, randomSeed: 42 })) ...
 */
export { generate, type GenerateOptions, type RecordStream, type SynthRecord } from './api/generate.js';
export type { SeedRecord, Where, WhereRange } from './api/whereOption.js';
export { train, type TrainOptions } from './api/train.js';
export type { RecordInput, RecordsInput } from './data/recordsInMemory.js';
export { evaluate, type EvaluateOptions } from './api/evaluate.js';
export { loadModel, type SynthModel } from './api/loadModel.js';
export { bundledModelDir } from './model/bundledModel.js';
export { BackendError, BudgetError, ExitStatus, InterruptedError, InternalError, ModelError, SynthError, UsageError, type Message, type OptionName, type WarningHook } from './errors.js';
export type { GenerateStats } from './generate/generateStats.js';
export type { Shard } from './generate/shard.js';
export type { ConditionPlacement } from './generate/conditionalStart.js';
export type { InvalidLimit } from './validate/invalidLimit.js';
export type { FieldValue } from './schema/typedValue.js';
export type { ConditionValue } from './schema/checkCondition.js';
export type { BackendChoice } from './engine/kernels/createKernel.js';
export type { SynthManifest } from './model/manifest.js';
export type { TrainResult } from './train/trainModel.js';
export type { TrainObserver } from './train/trainObserver.js';
export type { EvaluationReport } from './evaluate/report.js';
