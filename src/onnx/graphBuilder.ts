import { onnxModelProto } from './onnxSchema.js';

/** ONNX TensorProto.DataType codes of the element types a step graph uses. */
export const ElementType = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9 } as const;
export type ElementTypeCode = (typeof ElementType)[keyof typeof ElementType];

/** AttributeProto.AttributeType codes. */
const AttributeType = { float: 1, int: 2, floats: 6, ints: 7, strings: 8 } as const;

export interface Attribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}

export const attr = {
  float: (name: string, f: number): Attribute => ({ name, type: AttributeType.float, f }),
  int: (name: string, i: number): Attribute => ({ name, type: AttributeType.int, i }),
  floats: (name: string, floats: number[]): Attribute => ({ name, type: AttributeType.floats, floats }),
  ints: (name: string, ints: number[]): Attribute => ({ name, type: AttributeType.ints, ints }),
  strings: (name: string, values: string[]): Attribute => ({
    name,
    type: AttributeType.strings,
    strings: values.map((s) => new TextEncoder().encode(s)),
  }),
};

type TensorData = Float32Array | Int32Array | BigInt64Array | Int8Array | Uint8Array;

/** A dimension: a fixed size or a symbolic name. */
export type Dim = number | string;

/**
 * Collects nodes, initializers and graph inputs/outputs as plain protobufjs message objects, then
 * encodes one ModelProto. Node outputs get unique names from a counter, so graph-building code
 * reads like the expressions it computes.
 */
export class GraphBuilder {
  private readonly nodes: object[] = [];
  private readonly initializers: object[] = [];
  private readonly inputs: object[] = [];
  private readonly outputs: object[] = [];
  private counter = 0;

  input(name: string, elemType: ElementTypeCode, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  output(name: string, elemType: ElementTypeCode, dims: Dim[]): string {
    this.outputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  /** A constant tensor stored in the model (weights, shapes, axes). Raw little-endian bytes. */
  initializer(name: string, data: TensorData, dims: number[]): string {
    const elemType = elementTypeOf(data);
    const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push({ name, dims, data_type: elemType, raw_data: raw });
    return name;
  }

  /** Adds one node and returns the names of its outputs (fresh names unless given). */
  node(opType: string, inputs: string[], options: { outputs?: string[] | number; attributes?: Attribute[]; domain?: string } = {}): string[] {
    const outputs = Array.isArray(options.outputs)
      ? options.outputs
      : Array.from({ length: options.outputs ?? 1 }, () => `${opType.toLowerCase()}_${this.counter++}`);
    this.nodes.push({
      op_type: opType,
      input: inputs,
      output: outputs,
      name: `${opType}_${this.nodes.length}`,
      attribute: options.attributes ?? [],
      domain: options.domain ?? '',
    });
    return outputs;
  }

  /** Shorthand for a node with one output. */
  op(opType: string, inputs: string[], attributes: Attribute[] = [], output?: string, domain?: string): string {
    return this.node(opType, inputs, { outputs: output ? [output] : 1, attributes, domain })[0]!;
  }

  /** The serialized ModelProto. `opsets` maps domain ('' = ai.onnx) to version. */
  encode(name: string, opsets: Record<string, number>): Uint8Array {
    const type = onnxModelProto();
    const model = {
      // IR version 8 is read by every onnxruntime since 1.10 and covers opset 17.
      ir_version: 8,
      producer_name: 'synth',
      opset_import: Object.entries(opsets).map(([domain, version]) => ({ domain, version })),
      graph: { name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    };
    return type.encode(type.fromObject(model)).finish();
  }
}

function valueInfo(name: string, elemType: ElementTypeCode, dims: Dim[]): object {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

function elementTypeOf(data: TensorData): ElementTypeCode {
  if (data instanceof Float32Array) return ElementType.float;
  if (data instanceof Int32Array) return ElementType.int32;
  if (data instanceof BigInt64Array) return ElementType.int64;
  if (data instanceof Int8Array) return ElementType.int8;
  return ElementType.uint8;
}
