import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../../tfjs/backend.js';

/**
 * Matrix products of row-major Float32Arrays on the TF.js backend. Only the plain, non-transposed
 * product is fast on wasm (XNNPACK, ~40 GFLOP/s here); transposeA/transposeB fall back to a slow
 * path (1–4 GFLOP/s measured), so a transposed operand is transposed explicitly first (a few ms).
 */
export class ArrayMatMul {
  constructor(private readonly tf: Tf) {}

  /** a [m, k] · b [k, n] → [m, n]; `aT`/`bT` say the operand is stored transposed ([k, m] / [n, k]). */
  multiply(a: Float32Array, m: number, k: number, b: Float32Array, n: number, options: { aT?: boolean; bT?: boolean } = {}): Float32Array {
    const tf = this.tf;
    const product = tf.tidy(() => {
      const left = options.aT ? tf.transpose(tf.tensor2d(a, [k, m])) : tf.tensor2d(a, [m, k]);
      const right = options.bT ? tf.transpose(tf.tensor2d(b, [n, k])) : tf.tensor2d(b, [k, n]);
      return tf.matMul(left, right);
    });
    const values = product.dataSync() as Float32Array;
    product.dispose();
    return values;
  }

  /** Uploads a right-hand operand used many times (a recurrent kernel), optionally transposed. */
  constant(values: Float32Array, rows: number, cols: number, transpose = false): TF.Tensor2D {
    const tf = this.tf;
    return tf.tidy(() => {
      const t = tf.tensor2d(values, [rows, cols]);
      return transpose ? tf.transpose(t) : t;
    });
  }

  /** a [m, k] · constant [k, n] → [m, n]. */
  multiplyConstant(a: Float32Array, m: number, k: number, constant: TF.Tensor2D): Float32Array {
    const tf = this.tf;
    const left = tf.tensor2d(a, [m, k]);
    const product = tf.matMul(left, constant);
    const values = product.dataSync() as Float32Array;
    left.dispose();
    product.dispose();
    return values;
  }
}
