import type * as Ort from 'onnxruntime-node';
import type { LstmWeights, ModelWeights } from '../../model/manifest.js';
import { GraphSessions, type Feeds } from './graphSessions.js';
import { OutputCopies } from './outputCopies.js';
import type { OrtModule } from '../../onnx/loadOrt.js';
import type { NetworkShape } from './networkShape.js';
import type { StepInputs } from './stepInputs.js';
import {
  buildBackwardChunk,
  buildEmbeddingProjection,
  buildForwardChunk,
  buildHead,
  buildProjection,
  buildWeightGradients,
  Names,
} from './trainGraph.js';
import { WorkspaceArrays, type LayerWorkspace, type Workspace } from './workspace.js';

/**
 * Steps unrolled per recurrent graph: longer chunks ran faster (twice the tokens/s of one step at
 * 20) until onnxruntime's load time, which grows with the square of a graph's nodes, took over.
 */
export const DEFAULT_CHUNK = 20;

/** A range [t0, t0 + K) of steps run by one graph. */
interface StepChunk {
  t0: number;
  K: number;
}

/** Writes the input products of a chunk of steps into `into` ([K, B, 4H]). */
type Project = (chunk: StepChunk, into: Float32Array) => Promise<void>;

/** What forward, head and backward share in one pass. */
interface Pass {
  weights: ModelWeights;
  inputs: StepInputs;
  workspace: Workspace;
  /** Dropout masks apply: a training pass with masks. */
  dropout: boolean;
  maskScale: Ort.Tensor;
  chunks: StepChunk[];
}

/** Rows [t0, t0 + K) of a time-major [T, B, width] array. */
function stepRows<A extends Float32Array | Int32Array | Uint8Array>(array: A, B: number, width: number, t0: number, K: number): A {
  return array.subarray(t0 * B * width, (t0 + K) * B * width) as A;
}

/**
 * Runs the training graphs (trainGraph.ts) for one share of a batch on onnxruntime: forward (each
 * layer's input products and recurrence, chunk by chunk), head (the output layer and loss, and
 * their gradients) and backward (backpropagation through time chunk by chunk, then each layer's
 * weight gradients), all over one typed workspace reused from batch to batch.
 */
export class GradientSession {
  private readonly graphs: GraphSessions;
  private readonly workspaces: WorkspaceArrays;

  constructor(
    ort: OrtModule,
    private readonly shape: NetworkShape,
    threads: number,
    private readonly chunk = DEFAULT_CHUNK,
    outputCopies = new OutputCopies(),
  ) {
    this.graphs = new GraphSessions(ort, threads, outputCopies);
    this.workspaces = new WorkspaceArrays(shape, chunk);
  }

  /**
   * The summed loss of the share. With `grads` it also writes the gradient of (summed loss · scale)
   * into them; without, it is a forward pass (validation).
   */
  async run(weights: ModelWeights, inputs: StepInputs, grads: ModelWeights | null, scale = 0): Promise<number> {
    const pass: Pass = {
      weights,
      inputs,
      workspace: this.workspaces.of(inputs.steps, inputs.batchSize),
      dropout: grads !== null && inputs.masks !== null,
      maskScale: this.graphs.floats(new Float32Array([inputs.maskScale]), [1]),
      chunks: this.stepChunks(inputs.steps),
    };
    await this.forward(pass);
    const lossSum = await this.head(pass, grads, scale);
    if (grads) await this.backward(pass, grads);
    return lossSum;
  }

  async release(): Promise<void> {
    await this.graphs.release();
  }

  /** Each layer's outputs, first layer first. */
  private async forward(pass: Pass): Promise<void> {
    for (const [l, layer] of pass.workspace.layers.entries()) {
      const project = await this.inputProducts(pass, l);
      await this.forwardLayer(pass, layer, pass.weights.lstm[l]!, project);
    }
  }

  /**
   * How layer l's input products (input · kernel + bias) of a chunk of steps are made. Layer 0's
   * are rows of a table of every token's (made here, once per pass); a later layer's run a chunk at
   * a time, just before the chunk's recurrence, so each run's intermediates and the binding's copies
   * of its outputs are a fifth of a window's (window-wide runs left ~6.5 MB blocks in the malloc heap).
   */
  private async inputProducts(pass: Pass, l: number): Promise<Project> {
    const { weights, inputs, workspace } = pass;
    const { floats } = this.graphs;
    const { vocabSize: V, embeddingDim: E } = this.shape;
    const B = inputs.batchSize;
    const w = weights.lstm[l]!;
    const H = w.units;
    const I = w.inputDim;
    if (l === 0) {
      const table = workspace.tokenProducts;
      await this.graphs.run(
        'p0',
        () => buildEmbeddingProjection(V, E, H),
        { [Names.embedding]: floats(weights.embedding, [V, E]), [Names.kernel]: floats(w.kernel, [E, 4 * H]), [Names.bias]: floats(w.bias, [4 * H]) },
        { [Names.table]: floats(table, [V, 4 * H]) },
      );
      return async ({ t0, K }, into) => {
        for (let r = t0 * B, k = 0; r < (t0 + K) * B; r++, k++) {
          const id = inputs.ids[r]!;
          into.set(table.subarray(id * 4 * H, (id + 1) * 4 * H), k * 4 * H);
        }
      };
    }
    const below = workspace.layers[l - 1]!.outputs;
    return async ({ t0, K }, into) => {
      const feeds: Feeds = {
        [Names.input]: floats(stepRows(below, B, I, t0, K), [K, B, I]),
        [Names.kernel]: floats(w.kernel, [I, 4 * H]),
        [Names.bias]: floats(w.bias, [4 * H]),
      };
      if (pass.dropout) Object.assign(feeds, { [Names.inputMask]: this.mask(pass, l - 1, t0, K), [Names.maskScale]: pass.maskScale });
      await this.graphs.run(`p${l}/${K}/${pass.dropout}`, () => buildProjection(I, H, K, pass.dropout), feeds, { [Names.projected]: floats(into, [K, B, 4 * H]) });
    };
  }

  /** A layer's recurrence chunk by chunk, each chunk's input products made (`project`) just before it. */
  private async forwardLayer(
    pass: Pass,
    layer: LayerWorkspace,
    w: LstmWeights,
    project: Project,
  ): Promise<void> {
    const { floats } = this.graphs;
    const B = pass.inputs.batchSize;
    const H = w.units;
    const previous = (data: Float32Array, t0: number) => (t0 === 0 ? layer.zeros : stepRows(data, B, H, t0 - 1, 1));
    for (const chunk of pass.chunks) {
      const { t0, K } = chunk;
      const projected = layer.gateChunk(K);
      await project(chunk, projected);
      await this.graphs.run(
        `fwd/${H}/${K}`,
        () => buildForwardChunk(H, K),
        {
          [Names.projected]: floats(projected, [K, B, 4 * H]),
          [Names.keep]: floats(stepRows(pass.inputs.keep, B, 1, t0, K), [K, B, 1]),
          [Names.h0]: floats(previous(layer.outputs, t0), [1, B, H]),
          [Names.c0]: floats(previous(layer.cells, t0), [1, B, H]),
          [Names.recurrent]: floats(w.recurrentKernel, [H, 4 * H]),
        },
        {
          [Names.z]: floats(stepRows(layer.gates, B, 4 * H, t0, K), [K, B, 4 * H]),
          [Names.cells]: floats(stepRows(layer.cells, B, H, t0, K), [K, B, H]),
          [Names.output]: floats(stepRows(layer.outputs, B, H, t0, K), [K, B, H]),
        },
      );
    }
  }

  /**
   * The output layer and the summed loss, a chunk of steps at a time; with `grads`, the output
   * layer's gradients (the first chunk writes them, later chunks' parts are added) and the
   * gradient of the last layer's outputs.
   */
  private async head(pass: Pass, grads: ModelWeights | null, scale: number): Promise<number> {
    const { weights, inputs, workspace } = pass;
    const V = this.shape.vocabSize;
    const B = inputs.batchSize;
    const last = workspace.layers[workspace.layers.length - 1]!;
    const H = weights.lstm[weights.lstm.length - 1]!.units;
    const { floats } = this.graphs;
    const chunkLoss = new Float32Array(1);
    let lossSum = 0;
    for (const [k, { t0, K }] of pass.chunks.entries()) {
      const feeds: Feeds = {
        [Names.output]: floats(stepRows(last.outputs, B, H, t0, K), [K, B, H]),
        [Names.denseKernel]: floats(weights.denseKernel, [H, V]),
        [Names.denseBias]: floats(weights.denseBias, [V]),
        [Names.targets]: this.graphs.ints(stepRows(inputs.targets, B, 1, t0, K), [K, B]),
      };
      if (pass.dropout) Object.assign(feeds, { [Names.mask]: this.mask(pass, weights.lstm.length - 1, t0, K), [Names.maskScale]: pass.maskScale });
      const fetches: Feeds = { [Names.lossSum]: floats(chunkLoss, []) };
      if (grads) {
        feeds[Names.scale] = floats(new Float32Array([scale]), [1]);
        fetches[Names.grad(Names.denseKernel)] = floats(k === 0 ? grads.denseKernel : workspace.denseKernelPart, [H, V]);
        fetches[Names.grad(Names.denseBias)] = floats(k === 0 ? grads.denseBias : workspace.denseBiasPart, [V]);
        fetches[Names.dOutput] = floats(stepRows(last.dOutputs, B, H, t0, K), [K, B, H]);
      }
      await this.graphs.run(`head/${K}/${grads !== null}/${pass.dropout}`, () => buildHead(H, V, K, grads !== null, pass.dropout), feeds, fetches);
      lossSum += chunkLoss[0]!;
      if (grads && k > 0) {
        for (let i = 0; i < grads.denseKernel.length; i++) grads.denseKernel[i]! += workspace.denseKernelPart[i]!;
        for (let i = 0; i < grads.denseBias.length; i++) grads.denseBias[i]! += workspace.denseBiasPart[i]!;
      }
    }
    return lossSum;
  }

  /** Last layer first: BPTT through the layer, then its weight gradients and the gradient of its input. */
  private async backward(pass: Pass, grads: ModelWeights): Promise<void> {
    const { weights, inputs, workspace } = pass;
    const V = this.shape.vocabSize;
    const T = inputs.steps;
    const B = inputs.batchSize;
    const { floats } = this.graphs;
    for (let l = workspace.layers.length - 1; l >= 0; l--) {
      const layer = workspace.layers[l]!;
      const w = weights.lstm[l]!;
      const g = grads.lstm[l]!;
      const H = w.units;
      const I = w.inputDim;
      await this.backwardLayer(pass, layer, w);
      const feeds: Feeds = {
        [Names.dz]: floats(layer.gates, [T, B, 4 * H]),
        [Names.output]: floats(layer.outputs, [T, B, H]),
        [Names.keep]: floats(inputs.keep, [T, B, 1]),
        [Names.kernel]: floats(w.kernel, [I, 4 * H]),
      };
      const fetches: Feeds = {
        [Names.grad(Names.kernel)]: floats(g.kernel, [I, 4 * H]),
        [Names.grad(Names.recurrent)]: floats(g.recurrentKernel, [H, 4 * H]),
        [Names.grad(Names.bias)]: floats(g.bias, [4 * H]),
      };
      if (l === 0) {
        feeds[Names.ids] = this.graphs.ints(inputs.ids, [T, B]);
        feeds[Names.embedding] = floats(weights.embedding, [V, I]);
        fetches[Names.grad(Names.embedding)] = floats(grads.embedding, [V, I]);
      } else {
        const below = workspace.layers[l - 1]!;
        feeds[Names.input] = floats(below.outputs, [T, B, I]);
        if (pass.dropout) Object.assign(feeds, { [Names.inputMask]: this.mask(pass, l - 1, 0, T), [Names.maskScale]: pass.maskScale });
        fetches[Names.dInput] = floats(below.dOutputs, [T, B, I]);
      }
      await this.graphs.run(`wg${l}/${T}/${pass.dropout}`, () => buildWeightGradients({ H, I, V, first: l === 0 }, T, pass.dropout), feeds, fetches);
    }
  }

  /** BPTT through one layer, last chunk first; leaves dz in the layer's gates. */
  private async backwardLayer(pass: Pass, layer: LayerWorkspace, w: LstmWeights): Promise<void> {
    const { floats } = this.graphs;
    const B = pass.inputs.batchSize;
    const H = w.units;
    for (const carry of layer.carries) {
      carry.dh.fill(0);
      carry.dc.fill(0);
    }
    let turn = 0;
    for (const { t0, K } of [...pass.chunks].reverse()) {
      const into = layer.carries[turn]!;
      const out = layer.carries[1 - turn]!;
      const dz = layer.gateChunk(K);
      await this.graphs.run(
        `bwd/${H}/${K}`,
        () => buildBackwardChunk(H, K),
        {
          [Names.z]: floats(stepRows(layer.gates, B, 4 * H, t0, K), [K, B, 4 * H]),
          [Names.cells]: floats(stepRows(layer.cells, B, H, t0, K), [K, B, H]),
          [Names.c0]: floats(t0 === 0 ? layer.zeros : stepRows(layer.cells, B, H, t0 - 1, 1), [1, B, H]),
          [Names.keep]: floats(stepRows(pass.inputs.keep, B, 1, t0, K), [K, B, 1]),
          [Names.dOutput]: floats(stepRows(layer.dOutputs, B, H, t0, K), [K, B, H]),
          [Names.dh]: floats(into.dh, [1, B, H]),
          [Names.dc]: floats(into.dc, [1, B, H]),
          [Names.recurrent]: floats(w.recurrentKernel, [H, 4 * H]),
        },
        {
          [Names.dz]: floats(dz, [K, B, 4 * H]),
          [Names.carry(Names.dh)]: floats(out.dh, [1, B, H]),
          [Names.carry(Names.dc)]: floats(out.dc, [1, B, H]),
        },
      );
      // These rows of the gates are read by no chunk after this one (the earlier steps come next).
      layer.gates.set(dz, t0 * B * 4 * H);
      turn = 1 - turn;
    }
  }

  /** Layer l's dropout mask over steps [t0, t0 + K). */
  private mask(pass: Pass, l: number, t0: number, K: number): Ort.Tensor {
    const B = pass.inputs.batchSize;
    const H = this.shape.units[l]!;
    return this.graphs.bytes(stepRows(pass.inputs.masks![l]!, B, H, t0, K), [K, B, H]);
  }

  /** [t0, t0 + K) step ranges of a window of T steps, in order. */
  private stepChunks(T: number): StepChunk[] {
    const chunks: StepChunk[] = [];
    for (let t0 = 0; t0 < T; t0 += this.chunk) chunks.push({ t0, K: Math.min(this.chunk, T - t0) });
    return chunks;
  }
}
