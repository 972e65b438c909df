/**
 * RMSprop exactly as tf.train.rmsprop (what Keras/tfjs-layers use): ms ← ρ·ms + (1−ρ)·g²,
 * w ← w − lr·g / √(ms + ε), with ρ = 0.9, no momentum and ε = 1e-7 (the backend epsilon).
 */
export class Rmsprop {
  private readonly meanSquares: Float32Array[];

  constructor(
    private readonly params: Float32Array[],
    /** Changed between steps by the learning-rate schedule. */
    public learningRate: number,
    private readonly rho = 0.9,
    private readonly epsilon = 1e-7,
  ) {
    this.meanSquares = params.map((p) => new Float32Array(p.length));
  }

  /** Applies one update; grads[i] matches params[i]. */
  step(grads: Float32Array[]): void {
    const { rho, learningRate, epsilon } = this;
    this.params.forEach((param, k) => {
      const grad = grads[k]!;
      const ms = this.meanSquares[k]!;
      for (let i = 0; i < param.length; i++) {
        const g = grad[i]!;
        const m = rho * ms[i]! + (1 - rho) * g * g;
        ms[i] = m;
        param[i] -= (learningRate * g) / Math.sqrt(m + epsilon);
      }
    });
  }
}
