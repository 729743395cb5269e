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

/** `weights`, `weights_0` → weight; `bias`, `biases` → bias; anything else keeps its stored name. */
function paramNaming(layer: string, stored: string, seen: Set<string>): { name: string; kind?: 'weight' | 'bias' } {
  const kind = /^weights?(?:_0)?$/.test(stored) ? 'weight' : /^bias(?:es)?(?:_0)?$/.test(stored) ? 'bias' : undefined;
  const candidate = kind === undefined ? `${layer}.${stored}` : `${layer}.${kind}`;
  if (!seen.has(candidate)) return kind === undefined ? { name: candidate } : { name: candidate, kind };
  return { name: `${layer}.${stored}` };
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
