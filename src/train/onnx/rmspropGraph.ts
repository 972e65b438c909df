import { ElementType, GraphBuilder } from '../../engine/kernels/onnx/graphBuilder.js';

export const RmspropNames = {
  weights: 'w',
  meanSquares: 'ms',
  gradient: (k: number) => `g${k}`,
  /** [1]: a graph input, so a schedule can change it between steps without a new session. */
  learningRate: 'learning_rate',
  weightsOut: 'w_out',
  meanSquaresOut: 'ms_out',
} as const;

/**
 * One RMSprop update over all weights flattened into one vector [P], as rmsprop.ts (and
 * tf.train.rmsprop): ms ← ρ·ms + (1−ρ)·g², w ← w − lr·g / √(ms + ε). The gradient is the sum of
 * the workers' gradients g0 + g1 + … in that fixed order, so a run is reproducible.
 */
export function buildRmspropGraph(parameters: number, workers: number, rho = 0.9, epsilon = 1e-7): Uint8Array {
  const g = new GraphBuilder();
  const w = g.input(RmspropNames.weights, ElementType.float, [parameters]);
  const ms = g.input(RmspropNames.meanSquares, ElementType.float, [parameters]);
  const learningRate = g.input(RmspropNames.learningRate, ElementType.float, [1]);
  const grads = Array.from({ length: workers }, (_, k) => g.input(RmspropNames.gradient(k), ElementType.float, [parameters]));
  const scalar = (name: string, value: number) => g.initializer(name, new Float32Array([value]), []);
  const grad = workers === 1 ? grads[0]! : g.op('Sum', grads);
  const meanSquares = g.op(
    'Add',
    [g.op('Mul', [ms, scalar('rho', rho)]), g.op('Mul', [g.op('Mul', [grad, grad]), scalar('one_minus_rho', 1 - rho)])],
    [],
    RmspropNames.meanSquaresOut,
  );
  const step = g.op('Div', [g.op('Mul', [grad, learningRate]), g.op('Sqrt', [g.op('Add', [meanSquares, scalar('epsilon', epsilon)])])]);
  g.op('Sub', [w, step], [], RmspropNames.weightsOut);
  g.output(RmspropNames.weightsOut, ElementType.float, [parameters]);
  g.output(RmspropNames.meanSquaresOut, ElementType.float, [parameters]);
  return g.encode('synth_rmsprop', { '': 17 });
}
