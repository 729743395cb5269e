/**
 * Builds a DlcModel from a compact spec (constructed models for writer tests, round-trip
 * properties and pathological sizes). Grids are on-grid: min = offset·scale, max = (2^bw − 1 + offset)·scale.
 *
 * 2.x models list weights among an op's inputs (STATIC tensors); `snpe1: true` builds the SNPE 1.x
 * shape instead: bare buffer names, weights/biases attached to their layer (`layer`, `paramKind`)
 * and not among the op's inputs.
 */
import type { DlcModel, DumpFamily, Encoding, Graph, IoRow, Op, Precision, Tensor, TensorEncoding } from '../../src/model.js';

export interface EncSpec {
  readonly scale: number;
  readonly offset: number;
  readonly bitwidth?: number;
}

export interface TensorSpec {
  readonly name: string;
  readonly dims: readonly number[];
  readonly tensorType?: string;
  readonly dtype?: string;
  readonly encoding?: EncSpec;
}

export interface WeightSpec {
  readonly name: string;
  readonly dims: readonly number[];
  /** Per-channel: one scale per channel, symmetric 8-bit (offset −128). */
  readonly channels?: readonly number[];
  readonly encoding?: EncSpec;
  readonly kind?: 'weight' | 'bias';
  readonly axis?: number;
}

export interface OpSpec {
  readonly name: string;
  readonly type: string;
  /** Names of graph inputs or of earlier ops' outputs. */
  readonly inputs: readonly string[];
  readonly weights?: readonly WeightSpec[];
  readonly outputs: readonly TensorSpec[];
  readonly params: readonly (readonly [string, string])[];
}

export interface GraphSpec {
  readonly name: string;
  readonly inputs: readonly TensorSpec[];
  readonly ops: readonly OpSpec[];
}

export interface ModelSpec {
  readonly graphs: readonly GraphSpec[];
  readonly file?: string;
}

const AT = {};

export function grid(spec: EncSpec, channel?: number, precision: Precision = { style: 'float64' }): Encoding {
  const bitwidth = spec.bitwidth ?? 8;
  const levels = 2 ** bitwidth - 1;
  const n = (value: number) => ({ value, precision });
  return {
    ...(channel !== undefined ? { channel } : {}),
    bitwidth,
    min: n(spec.offset * spec.scale),
    max: n((levels + spec.offset) * spec.scale),
    scale: n(spec.scale),
    offset: n(spec.offset),
    at: AT,
  };
}

function perTensor(spec: EncSpec): TensorEncoding {
  return { layout: 'per-tensor', channels: [grid(spec)], allChannelsPresent: true };
}

function weightEncoding(w: WeightSpec): TensorEncoding | undefined {
  if (w.channels) {
    return {
      layout: 'per-channel',
      channels: w.channels.map((scale, c) => grid({ scale, offset: -128 }, c)),
      axis: w.axis ?? 3,
      channelCount: w.channels.length,
      allChannelsPresent: true,
    };
  }
  return w.encoding ? perTensor(w.encoding) : undefined;
}

function dtypeOf(spec: { readonly dtype?: string; readonly encoding?: EncSpec }, signed = false): string {
  if (spec.dtype) return spec.dtype;
  if (!spec.encoding) return 'Float_32';
  return `${signed ? 's' : 'u'}Fxp_${spec.encoding.bitwidth ?? 8}`;
}

export function buildGraph(spec: GraphSpec, options: { snpe1?: boolean } = {}): Graph {
  const tensors = new Map<string, Tensor>();
  const consumers = new Map<string, string[]>();
  const ops: Op[] = [];
  const snpe1 = options.snpe1 ?? false;
  for (const input of spec.inputs) {
    tensors.set(input.name, {
      name: input.name,
      graph: spec.name,
      ...(snpe1 ? {} : { dtype: dtypeOf(input), dims: input.dims, tensorType: input.tensorType ?? 'APP_WRITE' }),
      role: 'graph-input',
      consumers: [],
      ...(input.encoding ? { encoding: perTensor(input.encoding) } : {}),
      at: AT,
    });
  }
  for (const [index, op] of spec.ops.entries()) {
    const inputs = [...op.inputs];
    for (const w of op.weights ?? []) {
      const encoding = weightEncoding(w);
      tensors.set(w.name, {
        name: w.name,
        graph: spec.name,
        ...(snpe1
          ? { layer: op.name, paramKind: w.kind ?? 'weight' }
          : { dtype: w.channels ? 'sFxp_8' : dtypeOf(w, true), dims: w.dims, tensorType: 'STATIC' }),
        role: 'param',
        consumers: [],
        ...(encoding ? { encoding } : {}),
        at: AT,
      });
      if (!snpe1) inputs.push(w.name);
    }
    for (const i of inputs) consumers.set(i, [...(consumers.get(i) ?? []), op.name]);
    for (const out of op.outputs) {
      const tensorType = out.tensorType ?? 'NATIVE';
      tensors.set(out.name, {
        name: out.name,
        graph: spec.name,
        ...(snpe1 ? {} : { dtype: dtypeOf(out), dims: out.dims, tensorType }),
        role: tensorType === 'APP_READ' ? 'graph-output' : 'activation',
        producer: { op: op.name, type: op.type },
        consumers: [],
        ...(out.encoding ? { encoding: perTensor(out.encoding) } : {}),
        at: AT,
      });
    }
    ops.push({
      id: index,
      name: op.name,
      type: op.type,
      inputs,
      outputs: op.outputs.map((o) => o.name),
      outDims: op.outputs.map((o) => o.dims.join('x')),
      params: op.params.map(([name, value]) => ({ name, value, at: AT })),
      at: AT,
    });
  }
  for (const [name, list] of consumers) {
    const t = tensors.get(name);
    if (t) tensors.set(name, { ...t, consumers: list });
  }
  const ioRow = (t: Tensor): IoRow => ({
    name: t.name,
    dims: (t.dims ?? []).join(','),
    dtype: t.dtype ?? 'Float_32',
    ...(t.encoding?.channels[0] ? { encoding: t.encoding.channels[0] } : {}),
    at: AT,
  });
  const all = [...tensors.values()];
  return {
    name: spec.name,
    ops,
    tensors,
    inputs: snpe1 ? [] : all.filter((t) => t.role === 'graph-input').map(ioRow),
    outputs: snpe1 ? [] : all.filter((t) => t.role === 'graph-output').map(ioRow),
    footer: new Map([['Total parameters', '314 (0 MB assuming single precision float)']]),
  };
}

export function buildModel(spec: ModelSpec, options: { snpe1?: boolean; family?: DumpFamily } = {}): DlcModel {
  return {
    format: 'dlc-info-text',
    family: options.family ?? (options.snpe1 ? 'snpe-1.4x-1.6x' : 'qairt-2.2x'),
    file: spec.file ?? '/data/constructed.dlc',
    metadata: {
      modelVersion: 'N/A',
      copyright: 'N/A',
      converterCommand: { text: 'snpe-onnx-to-dlc; quantization_overrides=/data/enc.json', tool: 'snpe-onnx-to-dlc', options: new Map([['quantization_overrides', '/data/enc.json']]) },
      quantizerCommand: null,
      converterVersion: '2.25.0.240728104910_97711',
      other: new Map(),
    },
    graphs: spec.graphs.map((g) => buildGraph(g, options)),
    diagnostics: [],
  };
}
