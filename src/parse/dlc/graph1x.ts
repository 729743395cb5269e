/**
 * SNPE 1.x models (v2 protobuf and v3 FlatBuffer bodies) as one graph, the way a 1.x dump shows
 * them: layers with output buffers; activation encodings keyed by (layer, output index) → buffer
 * name; weights and biases as `<layer>.weight` / `<layer>.bias` tensors with `layer` and
 * `paramKind` set (the names a 1.x dump implies with `weight encoding` / `bias encoding`).
 */
import type { Graph, IoRow, Location, Op, OpParam, Tensor, TensorEncoding, TensorRole } from '../../model.js';
import { sanityCheck, type DiagnosticList } from './build.js';

export interface Layer1x {
  readonly id: number;
  readonly name: string;
  readonly type: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly outDims: readonly (readonly number[] | undefined)[];
  readonly params: readonly OpParam[];
  /** One per output, by output index (absent = float). */
  readonly encodings: readonly (TensorEncoding | undefined)[];
  readonly at: Location;
}

export interface Param1x {
  readonly layer: string;
  /** The stored tensor name (`weights_0`, `bias`, `weights`, …). */
  readonly stored: string;
  readonly dims?: readonly number[];
  readonly encoding?: TensorEncoding;
  readonly at: Location;
}

/** Layer types that bring data into the network (`Input` in v3, `data` in dumps). */
const INPUT_TYPES = new Set(['input', 'data']);

export function isInputLayer(type: string): boolean {
  return INPUT_TYPES.has(type.toLowerCase());
}

/**
 * The names the dump parser gives (`weight encoding`, `weight encoding K`, `bias encoding` →
 * `<layer>.weight`, `<layer>.weight_K`, `<layer>.bias`): stored `weights`/`weights_0` → weight,
 * `weights_K` → weight_K, `bias`/`biases` → bias; anything else keeps its stored name.
 */
function paramNaming(layer: string, stored: string, seen: Set<string>): { name: string; kind?: 'weight' | 'bias' } {
  // Stored names in real v3 `model.params`: `weights_0`, `bias` (aidlux_yolov5n_int8.dlc, Conv_0).
  const weight = /^weights?(?:_(\d+))?$/.exec(stored);
  const kind = weight ? 'weight' : /^bias(?:es)?(?:_0)?$/.test(stored) ? 'bias' : undefined;
  const index = weight?.[1] !== undefined ? Number(weight[1]) : 0;
  const candidate = kind === undefined ? `${layer}.${stored}` : `${layer}.${kind}${index > 0 ? `_${index}` : ''}`;
  if (!seen.has(candidate)) return kind === undefined ? { name: candidate } : { name: candidate, kind };
  return { name: `${layer}.${stored}` };
}

/** v3 layer types as 1.x dumps print them: `Convolutional` → `convolutional`, `ElementwiseBinaryOp` → `elementwise_binary_op`. */
const DUMP_TYPE_NAMES = new Map([
  ['Input', 'data'],
  ['Concat', 'concatenation'],
]);

export function dumpTypeName(type: string): string {
  // Real pairs (aidlux v3 ↔ its 1.59 dump): `ElementwiseBinaryOp` → `elementwise_binary_op`, `Pooling` → `pooling`.
  return DUMP_TYPE_NAMES.get(type) ?? type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function dimsText(dims: readonly number[] | undefined): string {
  return dims === undefined ? '' : dims.join('x');
}

export function buildGraph1x(
  graphName: string,
  layers: readonly Layer1x[],
  params: readonly Param1x[],
  diags: DiagnosticList,
): Graph {
  const tensors = new Map<string, Tensor>();
  const consumers = new Map<string, string[]>();
  for (const l of layers) {
    for (const input of l.inputs) {
      const list = consumers.get(input) ?? [];
      list.push(l.name);
      consumers.set(input, list);
    }
  }
  const inputs: IoRow[] = [];
  const outputs: IoRow[] = [];
  const ops: Op[] = [];
  for (const l of layers) {
    ops.push({
      id: l.id,
      name: l.name,
      type: l.type,
      inputs: l.inputs,
      outputs: l.outputs,
      outDims: l.outputs.map((_, i) => dimsText(l.outDims[i])),
      params: l.params,
      at: l.at,
    });
    l.outputs.forEach((name, i) => {
      const encoding = l.encodings[i];
      const dims = l.outDims[i];
      const used = consumers.get(name) ?? [];
      // An input layer's output buffer is fed by the application; in-place layers (input = output) keep it.
      const role: TensorRole = isInputLayer(l.type) ? 'graph-input' : used.length === 0 ? 'graph-output' : 'activation';
      if (tensors.has(name)) {
        // A buffer written twice (in-place layers): the last writer's encoding is what runs.
        const previous = tensors.get(name)!;
        tensors.set(name, { ...previous, producer: { op: l.name, type: l.type }, ...(encoding ? { encoding } : {}) });
      } else {
        tensors.set(name, {
          name,
          graph: graphName,
          ...(dims ? { dims } : {}),
          role,
          ...(isInputLayer(l.type) ? {} : { producer: { op: l.name, type: l.type } }),
          consumers: used.filter((c) => c !== l.name),
          ...(encoding ? { encoding } : {}),
          at: l.at,
        });
      }
      if (encoding) sanityCheck(encoding, { tensor: name, ...(dims ? { dims } : {}), converterStage: false, at: l.at }, diags);
      const row: IoRow = { name, dims: dimsText(dims), dtype: '', ...(encoding?.channels[0] ? { encoding: encoding.channels[0] } : {}), at: l.at };
      if (role === 'graph-input') inputs.push(row);
      if (role === 'graph-output') outputs.push(row);
    });
  }
  const seen = new Set<string>();
  for (const p of params) {
    const naming = paramNaming(p.layer, p.stored, seen);
    seen.add(naming.name);
    if (tensors.has(naming.name)) continue; // a buffer with that exact name exists: keep the buffer
    tensors.set(naming.name, {
      name: naming.name,
      graph: graphName,
      ...(p.dims ? { dims: p.dims } : {}),
      role: 'param',
      consumers: [p.layer],
      ...(p.encoding ? { encoding: p.encoding } : {}),
      layer: p.layer,
      ...(naming.kind ? { paramKind: naming.kind } : {}),
      at: p.at,
    });
    if (p.encoding) sanityCheck(p.encoding, { tensor: naming.name, ...(p.dims ? { dims: p.dims } : {}), converterStage: false, at: p.at }, diags);
  }
  return { name: graphName, ops, tensors, inputs, outputs, footer: new Map() };
}
