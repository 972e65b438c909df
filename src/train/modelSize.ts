/** LSTM layers for --lstm-units auto: gretel's two layers of 256, one for a big table, two of 128 for a tiny one. */
const SMALL_TABLE_UNITS = [256, 256];
const BIG_TABLE_UNITS = [256];
const TINY_TABLE_UNITS = [128, 128];

/**
 * Training tokens per epoch below which `auto` trains two layers of 128: a table of under about
 * 1,000 rows of 40 tokens. Two layers of 256 learn such a table by heart before they learn how its
 * columns go together; half the width does the reverse and trains 3x faster. Measured (seed 1,
 * 10-minute default, Intel Xeon, 2 cores; Shapes / Pair Trends / overall, 2,000 records):
 * gapminder (682 rows, ~19,000 tokens per epoch) 0.963 / 0.953 / 95.8 with 256, 0.971 / 0.980 /
 * 97.5 with 128; penguins (344) 0.972 / 0.897 / 93.3 and 0.979 / 0.908 / 94.3; cars (406) 0.972 /
 * 0.954 / 96.3 and 0.974 / 0.952 / 96.3. The next bench table up, weather (~63,000 tokens per
 * epoch), keeps 256.
 */
export const TINY_BELOW_TOKENS = 40_000;

/**
 * Training tokens per epoch from which `auto` trains one LSTM layer. At the trainer's two-layer
 * pace on two cores (~11,000 tokens/s) a table this size gets fewer than ~7 epochs in the
 * ten-minute default; every bench table below it (birdstrikes, the biggest, ~0.3 million tokens
 * per epoch) keeps two layers.
 */
export const ONE_LAYER_FROM_TOKENS = 1_000_000;

/**
 * The LSTM layers `auto` picks for an epoch of `tokensPerEpoch` training tokens: the size of the
 * data, never the speed of the machine, so a seed trains the same model everywhere.
 *
 * Why one layer for big tables: the first layer's input product is folded into a lookup table, so
 * one layer costs about a third of two per token; a big table then gets twice the epochs in the
 * same minutes, and it needs epochs more than depth. Measured on fixtures/public/zipcodes.csv
 * (42,049 rows, 1.55 million training tokens per epoch; 10 minutes, seed 1, Intel Xeon, 2 cores):
 * two layers of 256 ran 3 epochs at 11,600 tokens/s, validation loss 1.51, Pair Trends 0.861;
 * one layer ran 7 epochs at 24,200 tokens/s, validation loss 1.29, Pair Trends 0.956 (held-out
 * ceiling 0.973), Column Shapes 0.979 against 0.973.
 */
export function lstmUnitsFor(tokensPerEpoch: number): number[] {
  if (tokensPerEpoch < TINY_BELOW_TOKENS) return [...TINY_TABLE_UNITS];
  return [...(tokensPerEpoch >= ONE_LAYER_FROM_TOKENS ? BIG_TABLE_UNITS : SMALL_TABLE_UNITS)];
}

/** gretel's dropout after each LSTM layer, kept for tables below ONE_LAYER_FROM_TOKENS. */
const SMALL_TABLE_DROPOUT = 0.2;

/**
 * The dropout `--dropout auto` picks for an epoch of `tokensPerEpoch` training tokens: none for a
 * big table. A table of a million tokens or more gets a handful of epochs in the ten-minute
 * default and its validation loss is still falling at the end, level with or below the training
 * loss: the model underfits, and dropout only slows what it learns per epoch (its masks are drawn
 * on the main thread too). Measured on fixtures/public/cities.csv (42,769 rows, 1.3 million
 * training tokens per epoch; one layer, codes before coordinates, 10 minutes, seed 1, Intel Xeon,
 * 2 cores): dropout 0.2, 6 epochs at 18,600 tokens/s, validation loss 1.671, Pair Trends 0.799;
 * dropout 0, 7 epochs at 23,800 tokens/s, validation loss 1.623 (training 1.612), Pair Trends 0.847
 * (held-out ceiling 0.910), Column Shapes 0.949 → 0.959.
 */
export function dropoutFor(tokensPerEpoch: number): number {
  return tokensPerEpoch >= ONE_LAYER_FROM_TOKENS ? 0 : SMALL_TABLE_DROPOUT;
}
