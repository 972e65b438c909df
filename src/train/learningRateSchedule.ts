/**
 * The learning rate over a run ('decay', the default): the base rate for the first half of the
 * planned epochs, then a cosine decay to a small share of it by the last one. 'constant' keeps the
 * base rate throughout (synth before 0.2).
 *
 * Why: RMSprop steps every weight by about the learning rate whatever its gradient, so at a
 * constant rate the output layer's logits keep jittering and never settle. Measured on
 * fixtures/customers.csv (emb 64, LSTM 128×2): after 25 epochs at a constant 0.01 the model's own
 * average p(plan | real prefix) was 0.145 in total variation from the real plan frequencies,
 * while after 14 epochs with the decay it was 0.022 (city: 0.079 and 0.037). A lower constant rate
 * learns too slowly (0.002: val loss 1.28 vs 0.83 after 5 minutes). Decaying at the end gets both.
 * Halving the rate whenever validation loss stalled was tried and dropped: on weather.csv a run
 * stuck on a plateau (val loss ~0.98 for a few epochs) was halved down to 1e-5 and never left it,
 * where the same run without halvings went on to 0.93.
 */
export interface ScheduleSettings {
  /** The rate of the constant phase (--learning-rate). */
  base: number;
  /** 'decay' or 'constant', see above. */
  kind: LearningRateScheduleKind;
}

export type LearningRateScheduleKind = 'decay' | 'constant';

/** Share of the planned epochs trained at the base rate before the decay starts. */
export const DECAY_START = 0.5;
/** The rate at the end of the decay, as a share of the base rate. */
export const DECAY_FLOOR = 0.02;

/**
 * The rate at `progress`: epochs done (fractional within an epoch) over the epochs planned — the
 * --epochs limit, or fewer when --max-minutes will end the run sooner.
 */
export function learningRateAt(settings: ScheduleSettings, progress: number): number {
  if (settings.kind === 'constant') return settings.base;
  const p = Math.min(1, Math.max(0, (progress - DECAY_START) / (1 - DECAY_START)));
  return settings.base * (DECAY_FLOOR + (1 - DECAY_FLOOR) * 0.5 * (1 + Math.cos(Math.PI * p)));
}

/**
 * The progress (for learningRateAt) of epoch `epoch` (fractional) of a run planned to `planned`
 * epochs. `annealFrom`: the epoch where validation loss stalled for --patience epochs before the
 * decay began; the decay then starts there instead and lasts as long as the run so far, or until
 * the planned end if that comes first.
 *
 * Why: a faster pace plans more epochs and so a later decay, and early stopping used to end such
 * runs at the plateau before the rate came down. Measured on weather.csv (default flags, seed 42,
 * after the trainer got faster): stopped at epoch 48 (best 38) at 7.1 minutes, Column Shapes /
 * Pair Trends 0.948 / 0.924, where the same run whose decay had ended by epoch 48 reached
 * 0.973 / 0.959. A run that overfits (cars.csv) still stops: --patience counts again from the
 * start of the decay.
 */
export function scheduleProgress(epoch: number, planned: number, annealFrom: number | null): number {
  if (annealFrom === null) return epoch / planned;
  const end = Math.max(annealFrom + 1, Math.min(planned, 2 * annealFrom));
  return DECAY_START + (1 - DECAY_START) * Math.min(1, Math.max(0, (epoch - annealFrom) / (end - annealFrom)));
}

/**
 * The base rate --learning-rate auto takes for a batch size: 0.01 (gretel-synthetics') at 64,
 * scaled with the square root of the batch, so smaller batches' noisier gradients take smaller
 * steps. Measured on weather.csv in batches of 8 (20 epochs, seed 1): 0.01 ended at validation loss
 * 1.0006 and Column Pair Trends 0.877, 0.004 at 0.937 and 0.906.
 */
export function learningRateFor(batchSize: number): number {
  return 0.01 * Math.sqrt(batchSize / 64);
}

/**
 * Epochs the run will reach: the --epochs limit, or, with a time limit, the epochs done plus as
 * many more as fit in the time left at the mean pace so far. Before the first epoch ends there is
 * no pace yet and the limit stands. A run that ends by --epochs (a seeded run without
 * --max-minutes, or one whose limit is far away) thus gets the same schedule every time.
 */
export function plannedEpochs(limit: number, done: number, elapsedMs: number, remainingMs: number): number {
  if (done === 0 || !Number.isFinite(remainingMs)) return limit;
  const pace = elapsedMs / done;
  return Math.max(done + 1, Math.min(limit, done + Math.floor(remainingMs / pace)));
}
