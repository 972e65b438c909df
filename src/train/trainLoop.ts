import type { ModelWeights } from '../model/manifest.js';
import { copyWeights } from './initialWeights.js';
import type { EpochSource, TokenData } from './epochSource.js';
import { DECAY_START, learningRateAt, plannedEpochs, scheduleProgress, type LearningRateScheduleKind } from './learningRateSchedule.js';
import { indices, shuffleInPlace, type Random } from '../random/seededRandom.js';
import type { Trainer } from './trainer.js';
import { batchCount, batchesOf } from './trainingBatches.js';
import type { TrainingStopReason, TrainObserver } from './trainObserver.js';

export interface LoopSettings {
  epochs: number;
  patience: number;
  batchSize: number;
  maxMinutes?: number;
  /** The rate of the first epochs and how it changes (learningRateSchedule.ts). */
  learningRate: { base: number; schedule: LearningRateScheduleKind };
  /** Aborting stops training after the current batch; the best weights so far are returned. */
  signal?: AbortSignal;
  now?: () => number;
}

export interface LoopResult {
  /**
   * A copy of the best epoch's weights; when no epoch finished, the trainer's own (current)
   * weights, not copied: nothing steps them after the loop, and a copy made while the training
   * workers still held their memory was the run's peak (+4.6 MB on the 30 MB table).
   */
  best: ModelWeights;
  bestEpoch: number;
  /** Training and validation loss of the kept epoch (null when none or no validation data). */
  loss: number | null;
  valLoss: number | null;
  epochs: number;
  stoppedBy: TrainingStopReason;
  tokensPerSecond: number;
  elapsedMs: number;
}

/**
 * Epochs of shuffled batches (each epoch's records from `train`: all of them, or a sample) with early stopping on validation loss (training loss when there is
 * no validation data), keeping the best weights in memory. Also stops on the time limit or an
 * abort, between batches, so the caller always gets a whole set of weights.
 */
export async function runTrainingLoop(
  trainer: Trainer,
  train: EpochSource,
  validation: TokenData,
  settings: LoopSettings,
  random: Random,
  observer: TrainObserver,
): Promise<LoopResult> {
  const now = settings.now ?? (() => performance.now());
  const startedAt = now();
  const deadline = settings.maxMinutes === undefined ? Infinity : startedAt + settings.maxMinutes * 60_000;
  let best: { weights: ModelWeights; epoch: number; loss: number; valLoss: number | null; monitored: number } | null = null;
  let sinceImprovement = 0;
  let trainedTokens = 0;
  let trainingMs = 0;
  let epoch = 0;
  let stoppedBy: TrainingStopReason = 'epochs';

  const schedule = { base: settings.learningRate.base, kind: settings.learningRate.schedule };
  let learningRate = settings.learningRate.base;
  /** The epoch where a stall started the decay early (scheduleProgress), or null. */
  let annealFrom: number | null = null;
  /** Whether the decay has begun; --patience counts from its start (it usually improves again). */
  let decaying = false;
  let planned = settings.epochs;

  const interruption = (): TrainingStopReason | null =>
    settings.signal?.aborted ? 'interrupted' : now() >= deadline ? 'max-minutes' : null;

  training: while (epoch < settings.epochs) {
    const data = train.epoch(epoch + 1);
    const totalBatches = batchCount(data.windows, settings.batchSize);
    observer.epochStart?.({ epoch: epoch + 1, epochs: settings.epochs, totalBatches, records: data.records });
    const order = shuffleInPlace(indices(data.windows.starts.length), random);
    const epochStart = now();
    planned = plannedEpochs(settings.epochs, epoch, epochStart - startedAt, deadline - epochStart);
    if (schedule.kind === 'decay' && !decaying && scheduleProgress(epoch, planned, annealFrom) >= DECAY_START) {
      decaying = true;
      sinceImprovement = 0;
    }
    let epochTokens = 0;
    let lossSum = 0;
    let batch = 0;
    for (const tokens of batchesOf(data.stream, data.windows, order, settings.batchSize)) {
      learningRate = learningRateAt(schedule, scheduleProgress(epoch + batch / totalBatches, planned, annealFrom));
      trainer.setLearningRate(learningRate);
      const batchStart = now();
      const loss = await trainer.trainBatch(tokens);
      const count = tokens.batchSize * tokens.steps;
      trainingMs += now() - batchStart;
      trainedTokens += count;
      epochTokens += count;
      lossSum += loss * count;
      batch++;
      observer.batchEnd?.({ epoch: epoch + 1, batch, totalBatches, loss, tokensPerSecond: (epochTokens * 1000) / Math.max(1, now() - epochStart) });
      // Let signal handlers run between batches.
      await new Promise((resolve) => setImmediate(resolve));
      const reason = interruption();
      if (reason) {
        stoppedBy = reason;
        break training;
      }
    }
    const loss = lossSum / Math.max(1, epochTokens);
    const valLoss = await validationLoss(trainer, validation, settings.batchSize, settings.signal);
    if (settings.signal?.aborted) {
      stoppedBy = 'interrupted';
      break;
    }
    epoch++;
    const monitored = valLoss ?? loss;
    const improved = best === null || monitored < best.monitored;
    if (improved) {
      best = { weights: copyWeights(trainer.weights), epoch, loss, valLoss, monitored };
      sinceImprovement = 0;
    } else {
      sinceImprovement++;
    }
    observer.epochEnd?.({
      epoch,
      epochs: settings.epochs,
      loss,
      valLoss,
      improved,
      learningRate,
      tokensPerSecond: (epochTokens * 1000) / Math.max(1, now() - epochStart),
      elapsedMs: now() - startedAt,
    });
    if (sinceImprovement >= settings.patience) {
      // A stall before the decay began starts the decay instead of ending the run.
      const decayAhead = schedule.kind === 'decay' && !decaying && epoch < settings.epochs;
      if (!decayAhead) {
        stoppedBy = 'early-stopping';
        break;
      }
      annealFrom = epoch;
      decaying = true;
      sinceImprovement = 0;
    }
    const reason = interruption();
    if (reason) {
      stoppedBy = reason;
      break;
    }
  }

  const kept = best ?? { weights: trainer.weights, epoch: 0, loss: null, valLoss: null };
  observer.stopped?.({ reason: stoppedBy, epochs: epoch, bestEpoch: kept.epoch, patience: settings.patience, maxMinutes: settings.maxMinutes });
  return {
    best: kept.weights,
    bestEpoch: kept.epoch,
    loss: kept.loss,
    valLoss: kept.valLoss,
    epochs: epoch,
    stoppedBy,
    tokensPerSecond: (trainedTokens * 1000) / Math.max(1, trainingMs),
    elapsedMs: now() - startedAt,
  };
}

/** Mean loss over every validation window, or null without validation data or when aborted. */
async function validationLoss(trainer: Trainer, validation: TokenData, batchSize: number, signal?: AbortSignal): Promise<number | null> {
  if (validation.windows.starts.length === 0) return null;
  const order = indices(validation.windows.starts.length);
  let lossSum = 0;
  let tokens = 0;
  for (const batch of batchesOf(validation.stream, validation.windows, order, batchSize)) {
    const result = await trainer.evaluate(batch);
    lossSum += result.lossSum;
    tokens += result.tokens;
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) return null;
  }
  return lossSum / tokens;
}
