import type { LstmWeights } from '../../model/manifest.js';
import type { ArrayMatMul } from './arrayMatMul.js';

/**
 * One Keras LSTM layer (gates i, f, c, o; recurrent activation hardSigmoid and activation tanh, the
 * tfjs-layers defaults that buildLayersModel saves) over a whole sequence, forward and backward.
 *
 * Why not tfjs ops per step: on wasm every op costs a kernel call, tanh is slow, and transposed
 * products are 10–40x slower than plain ones. So the products run on the backend — the input
 * projection of all T steps in one product, one [B,H]·[H,4H] product per step, and the weight
 * gradients as single products after the loop — while the gate math for a step is one fused loop
 * over plain arrays. Layout is time-major: row t*B + b.
 */

/** What the backward pass needs from the forward pass. */
export interface LstmCache {
  /** Gate activations i, f, g (candidate), o per row [T*B, 4H]. */
  gates: Float32Array;
  /** Cell state [T*B, H]. */
  cells: Float32Array;
  /** tanh(cell) [T*B, H]. */
  cellTanh: Float32Array;
  /** Hidden output [T*B, H]. */
  output: Float32Array;
}

export interface LstmGradients {
  /** Gradient of the gate pre-activations [T*B, 4H]: dKernel = xᵀ·dz, dInput = dz·Wᵀ. */
  dz: Float32Array;
  recurrentKernel: Float32Array;
  bias: Float32Array;
}

const hardSigmoid = (z: number): number => {
  const y = 0.2 * z + 0.5;
  return y <= 0 ? 0 : y >= 1 ? 1 : y;
};

/**
 * Per row t*B + b: 1 where the state the previous step left flows into step t, 0 where it is
 * reset to zero (the input at t is an end-of-record token: generation starts every record from
 * the zero state fed an end-of-record, so training must too). Null: never reset after t = 0.
 */
export type KeepMask = Uint8Array | null;

/**
 * Runs the layer over T steps of B rows from the zero state, given the input projection x·W
 * [T*B, 4H] (without bias); the state entering a row whose keep is 0 is zero. Keeps the cache
 * only when asked.
 */
export function lstmForward(
  mm: ArrayMatMul,
  layer: LstmWeights,
  projected: Float32Array,
  steps: number,
  batch: number,
  keepCache: boolean,
  keep: KeepMask = null,
): { output: Float32Array; cache: LstmCache | null } {
  const H = layer.units;
  const G = 4 * H;
  const rows = steps * batch;
  const recurrent = mm.constant(layer.recurrentKernel, H, G);
  const bias = layer.bias;
  const output = new Float32Array(rows * H);
  const gates = keepCache ? new Float32Array(rows * G) : null;
  const cells = keepCache ? new Float32Array(rows * H) : null;
  const cellTanh = keepCache ? new Float32Array(rows * H) : null;
  const h = new Float32Array(batch * H);
  const c = new Float32Array(batch * H);
  try {
    for (let t = 0; t < steps; t++) {
      if (keep && t > 0) {
        for (let b = 0; b < batch; b++) {
          if (keep[t * batch + b]) continue;
          h.fill(0, b * H, (b + 1) * H);
          c.fill(0, b * H, (b + 1) * H);
        }
      }
      // h is zero at t = 0, so its product is skipped.
      const hu = t === 0 ? null : mm.multiplyConstant(h, batch, H, recurrent);
      for (let b = 0; b < batch; b++) {
        const row = t * batch + b;
        const z = row * G;
        const s = b * G;
        const o0 = row * H;
        const st = b * H;
        for (let j = 0; j < H; j++) {
          let zi = projected[z + j]! + bias[j]!;
          let zf = projected[z + H + j]! + bias[H + j]!;
          let zg = projected[z + 2 * H + j]! + bias[2 * H + j]!;
          let zo = projected[z + 3 * H + j]! + bias[3 * H + j]!;
          if (hu) {
            zi += hu[s + j]!;
            zf += hu[s + H + j]!;
            zg += hu[s + 2 * H + j]!;
            zo += hu[s + 3 * H + j]!;
          }
          const i = hardSigmoid(zi);
          const f = hardSigmoid(zf);
          const g = Math.tanh(zg);
          const o = hardSigmoid(zo);
          const cNew = f * c[st + j]! + i * g;
          const tc = Math.tanh(cNew);
          const hNew = o * tc;
          c[st + j] = cNew;
          h[st + j] = hNew;
          output[o0 + j] = hNew;
          if (gates) {
            gates[z + j] = i;
            gates[z + H + j] = f;
            gates[z + 2 * H + j] = g;
            gates[z + 3 * H + j] = o;
            cells![o0 + j] = cNew;
            cellTanh![o0 + j] = tc;
          }
        }
      }
    }
  } finally {
    recurrent.dispose();
  }
  return { output, cache: gates ? { gates, cells: cells!, cellTanh: cellTanh!, output } : null };
}

/**
 * Backpropagation through time for the whole sequence, given the gradient of the layer output.
 * No gradient crosses a reset (keep 0): the state entering that step is a constant zero.
 */
export function lstmBackward(
  mm: ArrayMatMul,
  layer: LstmWeights,
  cache: LstmCache,
  dOutput: Float32Array,
  steps: number,
  batch: number,
  keep: KeepMask = null,
): LstmGradients {
  const H = layer.units;
  const G = 4 * H;
  const rows = steps * batch;
  const { gates, cells, cellTanh } = cache;
  const dz = new Float32Array(rows * G);
  const dBias = new Float64Array(G);
  const dhNext = new Float32Array(batch * H);
  const dcNext = new Float32Array(batch * H);
  const recurrentT = mm.constant(layer.recurrentKernel, H, G, true);
  try {
    let dhCarry: Float32Array = dhNext;
    for (let t = steps - 1; t >= 0; t--) {
      for (let b = 0; b < batch; b++) {
        const row = t * batch + b;
        const z = row * G;
        const o0 = row * H;
        const prev = o0 - batch * H;
        const st = b * H;
        const kept = t > 0 && (!keep || keep[row] === 1);
        for (let j = 0; j < H; j++) {
          const dh = dOutput[o0 + j]! + dhCarry[st + j]!;
          const i = gates[z + j]!;
          const f = gates[z + H + j]!;
          const g = gates[z + 2 * H + j]!;
          const o = gates[z + 3 * H + j]!;
          const tc = cellTanh[o0 + j]!;
          const cPrev = kept ? cells[prev + j]! : 0;
          const dc = dcNext[st + j]! + dh * o * (1 - tc * tc);
          dcNext[st + j] = kept ? dc * f : 0;
          // hardSigmoid' is 0.2 inside the linear part and 0 where clipped.
          const dzi = i > 0 && i < 1 ? 0.2 * dc * g : 0;
          const dzf = f > 0 && f < 1 ? 0.2 * dc * cPrev : 0;
          const dzg = dc * i * (1 - g * g);
          const dzo = o > 0 && o < 1 ? 0.2 * dh * tc : 0;
          dz[z + j] = dzi;
          dz[z + H + j] = dzf;
          dz[z + 2 * H + j] = dzg;
          dz[z + 3 * H + j] = dzo;
          dBias[j] += dzi;
          dBias[H + j] += dzf;
          dBias[2 * H + j] += dzg;
          dBias[3 * H + j] += dzo;
        }
      }
      if (t > 0) {
        dhCarry = mm.multiplyConstant(dz.subarray(t * batch * G, (t + 1) * batch * G), batch, G, recurrentT);
        if (keep) for (let b = 0; b < batch; b++) if (!keep[t * batch + b]) dhCarry.fill(0, b * H, (b + 1) * H);
      }
    }
  } finally {
    recurrentT.dispose();
  }
  // h_{t-1} for every row: the outputs shifted down one step, zeros at t = 0 and at resets.
  const previousOutput = new Float32Array(rows * H);
  previousOutput.set(cache.output.subarray(0, (steps - 1) * batch * H), batch * H);
  if (keep) for (let r = batch; r < rows; r++) if (!keep[r]) previousOutput.fill(0, r * H, (r + 1) * H);
  return {
    dz,
    recurrentKernel: mm.multiply(previousOutput, H, rows, dz, G, { aT: true }),
    bias: Float32Array.from(dBias),
  };
}
