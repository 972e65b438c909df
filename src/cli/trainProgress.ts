import cliProgress from 'cli-progress';
import type { TrainObserver } from '../train/trainObserver.js';
import { cliText } from './flagName.js';

export interface TrainProgressOptions {
  quiet: boolean;
  stream?: NodeJS.WriteStream;
}

/**
 * Renders training events on stderr: on a terminal a bar over the batches of each epoch (loss,
 * tokens/s, ETA) then the epoch's loss line; elsewhere plain one-line epoch summaries; with quiet,
 * nothing (errors are printed by the caller).
 */
export function createTrainProgress(options: TrainProgressOptions): TrainObserver & { stop: () => void } {
  const stream = options.stream ?? process.stderr;
  if (options.quiet) return { stop: () => {} };
  const say = (line: string): void => {
    stream.write(`${line}\n`);
  };
  let bar: cliProgress.SingleBar | null = null;
  const stopBar = (): void => {
    bar?.stop();
    bar = null;
  };

  return {
    stop: stopBar,
    warning: (_line, warning) => say(cliText(warning)),
    started: (info) =>
      say(
        `training on ${info.records.train} records (${info.tokens.train} tokens)` +
          `${info.epochRecords === undefined ? '' : `, ${info.epochRecords} drawn afresh each epoch`}, validating on ${info.records.validation} ` +
          `${info.heldOut === undefined ? '' : `sampled from ${info.heldOut} held out `}` +
          `(${info.tokens.validation} tokens); vocabulary ${info.vocabSize}, ${info.epochRecords === undefined ? '' : 'about '}${info.batchesPerEpoch} batches of ${info.batchSize} per epoch, ` +
          `backend ${info.backend}, random seed ${info.randomSeed}`,
      ),
    epochStart: (event) => {
      if (!stream.isTTY) return;
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `epoch ${event.epoch}/${event.epochs} (${event.records} records) [{bar}] {value}/{total} batches | loss {loss} | {speed} tokens/s | ETA {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 20,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(event.totalBatches, 0, { loss: '-', speed: '-' });
    },
    batchEnd: (event) => bar?.update(event.batch, { loss: event.loss.toFixed(4), speed: Math.round(event.tokensPerSecond) }),
    epochEnd: (event) => {
      stopBar();
      const val = event.valLoss === null ? 'no validation data' : `val loss ${event.valLoss.toFixed(4)}`;
      say(
        `epoch ${event.epoch}/${event.epochs}: loss ${event.loss.toFixed(4)}, ${val}${event.improved ? ' (best so far)' : ''}, ` +
          `learning rate ${event.learningRate.toPrecision(2)}, ` +
          `${Math.round(event.tokensPerSecond)} tokens/s, ${formatDuration(event.elapsedMs)} elapsed`,
      );
    },
    stopped: (event) => {
      stopBar();
      const kept = event.bestEpoch > 0 ? `keeping the best model (epoch ${event.bestEpoch})` : 'no epoch finished; keeping the current weights';
      switch (event.reason) {
        case 'early-stopping':
          say(`stopped early: validation loss did not improve for ${event.patience} epochs; ${kept}`);
          break;
        case 'max-minutes':
          say(`stopped: the --max-minutes limit of ${event.maxMinutes} minutes was reached; ${kept}`);
          break;
        case 'interrupted':
          say(event.bestEpoch > 0 ? `interrupted: ${kept}` : 'interrupted before the first epoch finished; no model saved');
          break;
        case 'epochs':
          say(`finished all ${event.epochs} epochs; ${kept}`);
          break;
      }
    },
    calibrated: (event) => say(`calibrated ${event.fields} field${event.fields === 1 ? '' : 's'}' distributions on ${event.records} generated records in ${formatDuration(event.elapsedMs)}`),
    saved: (event) => say(`saved the model to ${event.dir}`),
  };
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}
