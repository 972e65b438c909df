/** One share of a batch, time-major: row t*B + b. */
export interface StepInputs {
  steps: number;
  batchSize: number;
  ids: Int32Array;
  targets: Int32Array;
  /** [T*B] 1 keep / 0 reset (see lstmLayer's KeepMask). */
  keep: Float32Array;
  /** Per layer [T*B*H], 1 keep / 0 drop; null without dropout. */
  masks: Uint8Array[] | null;
  /** What a kept unit is multiplied by: 1/(1 − rate) (inverted dropout); unused without masks. */
  maskScale: number;
}
