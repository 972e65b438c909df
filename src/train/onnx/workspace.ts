import type { NetworkShape } from './networkShape.js';

/** The gradients of a layer's state that backpropagation carries into the chunk before, [B, H] each. */
export interface Carry {
  dh: Float32Array;
  dc: Float32Array;
}

/** One LSTM layer's arrays for a pass of T steps × B rows, time-major (row t*B + b). */
export interface LayerWorkspace {
  /**
   * [T, B, 4H] the gates' pre-activations z, kept from the forward pass for the backward one; each
   * backward chunk writes its gate gradients dz over the rows of z that no earlier chunk reads, so z
   * ends the backward pass holding dz for the weight gradients.
   */
  gates: Float32Array;
  /** [T, B, H] cell states. */
  cells: Float32Array;
  /** [T, B, H] outputs h. */
  outputs: Float32Array;
  /**
   * [T, B, H] the gradient of the loss by the outputs: the head writes the last layer's, each
   * layer's weight gradients the layer below's. One array serves every layer (one is live at a time).
   */
  dOutputs: Float32Array;
  /** [B, H] zeros: the state before step 0 and the carries after the last step. */
  zeros: Float32Array;
  /** Two pairs the backward chunks alternate between: onnxruntime outputs may not alias its inputs. */
  carries: readonly [Carry, Carry];
  /**
   * [K, B, 4H] one chunk's gate rows: its input products just before its forward chunk reads them,
   * or the dz a backward chunk wrote. Window-long arrays for either are not needed (6.5 MB fewer
   * per worker at the default shape). Shared by every layer.
   */
  gateChunk(K: number): Float32Array;
}

/** Every array a pass of the training graphs reads or writes besides the weights and the inputs. */
export interface Workspace {
  steps: number;
  batchSize: number;
  layers: LayerWorkspace[];
  /** [V, 4H] layer 0's input products of every token (the embedding folded into its kernel). */
  tokenProducts: Float32Array;
  /** [H, V] and [V]: a later chunk's share of the output layer's gradients, added to the first chunk's. */
  denseKernelPart: Float32Array;
  denseBiasPart: Float32Array;
}

interface Backing {
  rows: number;
  batch: number;
  chunkSteps: number;
  layers: { gates: Float32Array; cells: Float32Array; outputs: Float32Array }[];
  dOutputs: Float32Array;
  gateChunk: Float32Array;
  zeros: Float32Array;
  carries: [Carry, Carry];
  tokenProducts: Float32Array;
  denseKernelPart: Float32Array;
  denseBiasPart: Float32Array;
}

/**
 * Bytes that a pass holds per row of a share over a window of `steps`: the arrays kept for
 * backpropagation (per layer gates, cells and outputs, and a dropout mask of bytes; the output
 * gradient), plus a margin of ~6 floats per logit for onnxruntime's temporaries, the binding's
 * output copies and the chunk-sized gate scratch. The head runs a chunk of steps at a time, so the
 * margin overstates them; it stays so that the default passes remain the measured two of 16.
 */
export function bytesPerRow(shape: NetworkShape, steps: number): number {
  const widest = Math.max(...shape.units);
  const kept = shape.units.reduce((n, H) => n + 6 * H + H / 4, 0) + widest;
  return 4 * steps * (kept + 6 * shape.vocabSize);
}

/**
 * The workspace of each pass, its arrays reused from pass to pass and batch to batch: fresh ones
 * would be garbage that V8 frees only at its external-memory trigger. They are grown (never
 * shrunk) to the largest pass seen; a pass gets views of exactly its size.
 */
export class WorkspaceArrays {
  private backing: Backing | null = null;

  constructor(
    private readonly shape: NetworkShape,
    /** Steps per recurrent chunk. */
    private readonly chunk: number,
  ) {}

  /** Views for a pass of `steps` × `batchSize` rows. */
  of(steps: number, batchSize: number): Workspace {
    const backing = this.fit(steps * batchSize, batchSize, Math.min(this.chunk, steps));
    const rows = steps * batchSize;
    const { units, vocabSize: V } = this.shape;
    const B = batchSize;
    const layers = units.map((H, l): LayerWorkspace => {
      const own = backing.layers[l]!;
      return {
        gates: own.gates.subarray(0, rows * 4 * H),
        cells: own.cells.subarray(0, rows * H),
        outputs: own.outputs.subarray(0, rows * H),
        dOutputs: backing.dOutputs.subarray(0, rows * H),
        zeros: backing.zeros.subarray(0, B * H),
        carries: [0, 1].map((k) => ({ dh: backing.carries[k]!.dh.subarray(0, B * H), dc: backing.carries[k]!.dc.subarray(0, B * H) })) as [Carry, Carry],
        gateChunk: (K) => backing.gateChunk.subarray(0, K * B * 4 * H),
      };
    });
    const H = units[units.length - 1]!;
    return {
      steps,
      batchSize,
      layers,
      tokenProducts: backing.tokenProducts.subarray(0, V * 4 * units[0]!),
      denseKernelPart: backing.denseKernelPart.subarray(0, H * V),
      denseBiasPart: backing.denseBiasPart.subarray(0, V),
    };
  }

  private fit(rows: number, batch: number, chunkSteps: number): Backing {
    const current = this.backing;
    if (current && rows <= current.rows && batch <= current.batch && chunkSteps <= current.chunkSteps) return current;
    const fitted = { rows: Math.max(rows, current?.rows ?? 0), batch: Math.max(batch, current?.batch ?? 0), chunkSteps: Math.max(chunkSteps, current?.chunkSteps ?? 0) };
    const { units, vocabSize: V } = this.shape;
    const widest = Math.max(...units);
    const floats = (n: number) => new Float32Array(n);
    const carry = (): Carry => ({ dh: floats(fitted.batch * widest), dc: floats(fitted.batch * widest) });
    this.backing = {
      ...fitted,
      layers: units.map((H) => ({ gates: floats(fitted.rows * 4 * H), cells: floats(fitted.rows * H), outputs: floats(fitted.rows * H) })),
      dOutputs: floats(fitted.rows * widest),
      gateChunk: floats(fitted.chunkSteps * fitted.batch * 4 * widest),
      zeros: floats(fitted.batch * widest),
      carries: [carry(), carry()],
      tokenProducts: floats(V * 4 * units[0]!),
      denseKernelPart: floats(units[units.length - 1]! * V),
      denseBiasPart: floats(V),
    };
    return this.backing;
  }
}
