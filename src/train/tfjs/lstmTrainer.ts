import type { ModelWeights } from '../../model/manifest.js';
import type { Tf } from '../../tfjs/backend.js';
import { ArrayMatMul } from './arrayMatMul.js';
import { weightArrays } from '../initialWeights.js';
import { lstmBackward, lstmForward, type LstmCache } from './lstmLayer.js';
import { Rmsprop } from '../rmsprop.js';
import type { Random } from '../../random/seededRandom.js';
import { softmaxCrossEntropy } from './softmaxCrossEntropy.js';
import type { TrainerOptions } from '../trainer.js';
import type { TokenBatch } from '../trainingBatches.js';

/** Mean loss of a batch and the gradient of every weight, in weightArrays order. */
export interface BatchGradients {
  loss: number;
  grads: Float32Array[];
}

/**
 * The training math for Embedding → LSTM×N (dropout after each) → Dense → softmax cross-entropy,
 * written out by hand so it runs fast on the wasm backend (see lstmLayer.ts) and needs no
 * gather-gradient kernel: the embedding gradient is a scatter-add over the batch's token ids.
 * Weights live in plain arrays (the ModelWeights it was given, updated in place).
 */
export class LstmTrainer {
  private readonly mm: ArrayMatMul;
  private readonly optimizer: Rmsprop;

  constructor(tf: Tf, readonly weights: ModelWeights, private readonly options: TrainerOptions) {
    this.mm = new ArrayMatMul(tf);
    this.optimizer = new Rmsprop(weightArrays(weights), options.learningRate);
  }

  setLearningRate(learningRate: number): void {
    this.optimizer.learningRate = learningRate;
  }

  /** One RMSprop step on a batch; returns the batch's mean loss before the step. */
  trainBatch(batch: TokenBatch): number {
    const { loss, grads } = this.gradients(batch, this.options.dropout);
    this.optimizer.step(grads);
    return loss;
  }

  /** Summed loss over a batch without dropout, for validation. */
  evaluate(batch: TokenBatch): { lossSum: number; tokens: number } {
    const { lossSum } = this.run(batch, 0, false);
    return { lossSum, tokens: batch.batchSize * batch.steps };
  }

  /** Loss and gradients of a batch with the given dropout rate (0 for the equivalence tests). */
  gradients(batch: TokenBatch, dropout: number): BatchGradients {
    const result = this.run(batch, dropout, true);
    return { loss: result.lossSum / (batch.batchSize * batch.steps), grads: result.grads! };
  }

  private run(batch: TokenBatch, dropout: number, withGradients: boolean): { lossSum: number; grads: Float32Array[] | null } {
    const w = this.weights;
    const B = batch.batchSize;
    const T = batch.steps;
    const rows = B * T;
    const E = w.embeddingDim;
    const V = w.vocabSize;
    const ids = toTimeMajor(batch.inputs, B, T);
    const targets = toTimeMajor(batch.targets, B, T);
    const keep = keepMask(ids, this.options.resetToken);

    // The first layer's input projection embedding[id]·W equals (embedding·W)[id]: one small
    // [V,E]·[E,4H] product and a row gather instead of a [T*B,E]·[E,4H] product.
    const first = w.lstm[0]!;
    const firstTable = this.mm.multiply(w.embedding, V, E, first.kernel, 4 * first.units);
    let projected = gatherRows(firstTable, ids, 4 * first.units);

    const inputs: Float32Array[] = [];
    const caches: LstmCache[] = [];
    const masks: (Float32Array | null)[] = [];
    let x: Float32Array = new Float32Array(0);
    w.lstm.forEach((layer, l) => {
      if (l > 0) projected = this.mm.multiply(x, rows, layer.inputDim, layer.kernel, 4 * layer.units);
      const { output, cache } = lstmForward(this.mm, layer, projected, T, B, withGradients, keep);
      if (cache) caches.push(cache);
      const mask = dropout > 0 ? dropoutMask(output.length, dropout, this.options.random) : null;
      masks.push(mask);
      x = mask ? applyMask(output, mask) : output;
      inputs.push(x);
    });

    const lastUnits = w.lstm[w.lstm.length - 1]!.units;
    const logits = this.mm.multiply(x, rows, lastUnits, w.denseKernel, V);
    for (let r = 0; r < rows; r++) for (let v = 0; v < V; v++) logits[r * V + v] += w.denseBias[v]!;
    const { lossSum, dLogits } = softmaxCrossEntropy(logits, targets, rows, V, withGradients);
    if (!withGradients) return { lossSum, grads: null };

    const dDenseKernel = this.mm.multiply(x, lastUnits, rows, dLogits!, V, { aT: true });
    const dDenseBias = columnSums(dLogits!, rows, V);
    let dx = this.mm.multiply(dLogits!, rows, V, w.denseKernel, lastUnits, { bT: true });

    const layerGrads: Float32Array[][] = [];
    let dEmbedding: Float32Array = new Float32Array(0);
    for (let l = w.lstm.length - 1; l >= 0; l--) {
      const layer = w.lstm[l]!;
      const G = 4 * layer.units;
      const mask = masks[l];
      if (mask) dx = applyMask(dx, mask);
      const g = lstmBackward(this.mm, layer, caches[l]!, dx, T, B, keep);
      if (l > 0) {
        const input = inputs[l - 1]!;
        layerGrads[l] = [this.mm.multiply(input, layer.inputDim, rows, g.dz, G, { aT: true }), g.recurrentKernel, g.bias];
        dx = this.mm.multiply(g.dz, rows, G, layer.kernel, layer.inputDim, { bT: true });
      } else {
        // Folded embedding: with S = Σ over rows of dz grouped by token id ([V, 4H]),
        // dKernel = embeddingᵀ·S and dEmbedding = S·Wᵀ.
        const summed = scatterAddRows(g.dz, ids, G, V);
        layerGrads[l] = [this.mm.multiply(w.embedding, E, V, summed, G, { aT: true }), g.recurrentKernel, g.bias];
        dEmbedding = this.mm.multiply(summed, V, G, layer.kernel, E, { bT: true });
      }
    }
    return { lossSum, grads: [dEmbedding, ...layerGrads.flat(), dDenseKernel, dDenseBias] };
  }
}

/** 0 at the rows (time-major) whose input is the reset token, 1 elsewhere; null without one. */
export function keepMask(ids: Int32Array, resetToken: number | undefined): Uint8Array | null {
  if (resetToken === undefined) return null;
  const keep = new Uint8Array(ids.length);
  for (let r = 0; r < ids.length; r++) keep[r] = ids[r] === resetToken ? 0 : 1;
  return keep;
}

function gatherRows(table: Float32Array, ids: Int32Array, width: number): Float32Array {
  const out = new Float32Array(ids.length * width);
  for (let r = 0; r < ids.length; r++) out.set(table.subarray(ids[r]! * width, ids[r]! * width + width), r * width);
  return out;
}

function scatterAddRows(values: Float32Array, ids: Int32Array, width: number, tableRows: number): Float32Array {
  const out = new Float32Array(tableRows * width);
  for (let r = 0; r < ids.length; r++) {
    const target = ids[r]! * width;
    const source = r * width;
    for (let k = 0; k < width; k++) out[target + k] += values[source + k]!;
  }
  return out;
}

function toTimeMajor(values: Int32Array, batch: number, steps: number): Int32Array {
  const out = new Int32Array(values.length);
  for (let b = 0; b < batch; b++) for (let t = 0; t < steps; t++) out[t * batch + b] = values[b * steps + t]!;
  return out;
}

/** Inverted dropout as Keras applies it: keep with probability 1 − rate, scale kept values by 1/(1 − rate). */
function dropoutMask(length: number, rate: number, random: Random): Float32Array {
  const mask = new Float32Array(length);
  const scale = 1 / (1 - rate);
  for (let i = 0; i < length; i++) mask[i] = random() >= rate ? scale : 0;
  return mask;
}

function applyMask(values: Float32Array, mask: Float32Array): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! * mask[i]!;
  return out;
}

function columnSums(values: Float32Array, rows: number, cols: number): Float32Array {
  const sums = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) sums[c] += values[r * cols + c]!;
  return Float32Array.from(sums);
}
