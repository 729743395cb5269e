/**
 * v2 bodies (SNPE 1.19–1.22): a protobuf message after the 8-byte header. No schema exists
 * publicly: field numbers from DLC-BINARY.md "v2", checked against the real
 * `openpilot_dmonitoring_model_q_v2.dlc` and its SNPE 1.17 dump. Best effort.
 * - top level: 1 = buffer {1 name, 2 type, 3 dims}; 5 = layer.
 * - layer: 1 name, 2 type code, 3 output dims, 6 id, 7 input names, 8 output names,
 *   10 {4 encoding} (one per output), fields ≥ 20 = the layer-specific message.
 * - encoding: {1 bitwidth varint, 2 min f32, 3 max f32, 4 delta f32, 5 offset f32}.
 * - weights: inside the layer-specific message, directly (fc: 70 → {1 weights, 2 bias}) or one
 *   level down (conv: 30 → 20 → {1, 2}); each {1 dims, 3 {3 raw bytes, 4 encoding}}.
 */
import type { Location, TensorEncoding } from '../../model.js';
import {
  fieldFloat32,
  fieldString,
  packedVarints,
  readFields,
  WIRE_I32,
  WIRE_LEN,
  WIRE_VARINT,
  type WireField,
} from '../wire/protobuf.js';
import { FLOAT32, toEncoding, type DiagnosticList, type RawGrid } from './build.js';
import type { Layer1x, Param1x } from './graph1x.js';

/** v2 layer type codes, named as the SNPE 1.17 dump of the same file prints them. */
const LAYER_TYPES = new Map<number, string>([
  [30, 'concatenation'],
  [40, 'convolutional'],
  [60, 'data'],
  [90, 'elementwise_sum'],
  [100, 'fc'],
  [130, 'pooling'],
  [150, 'neuron'],
  [155, 'permute'],
  [163, 'reshape'],
]);

function fields(bytes: Uint8Array | undefined, base: number): WireField[] {
  return bytes ? [...readFields(bytes, base)] : [];
}

/** Repeated varints, packed or not. */
function varints(list: readonly WireField[], field: number): number[] {
  const out: number[] = [];
  for (const f of list) {
    if (f.field !== field) continue;
    if (f.wireType === WIRE_VARINT) out.push(f.varint ?? 0);
    else if (f.wireType === WIRE_LEN) out.push(...packedVarints(f));
  }
  return out;
}

function readGrid(bytes: Uint8Array | undefined, base: number): RawGrid | undefined {
  const list = fields(bytes, base);
  if (list.length === 0) return undefined;
  const f32 = (n: number): number => {
    const f = list.find((x) => x.field === n && x.wireType === WIRE_I32);
    return f ? fieldFloat32(f) : 0;
  };
  const bw = list.find((x) => x.field === 1 && x.wireType === WIRE_VARINT)?.varint ?? 0;
  return { bitwidth: bw, min: f32(2), max: f32(3), scale: f32(4), offset: f32(5) };
}

function perTensor(grid: RawGrid, at: Location): TensorEncoding {
  return { layout: 'per-tensor', channels: [toEncoding(grid, at, FLOAT32)], allChannelsPresent: true };
}

/** `{1 dims, 3 {3 raw bytes, 4 encoding}}` or undefined when the message is not shaped so. */
function readBlob(f: WireField, at: Location): { dims: number[]; encoding?: TensorEncoding } | undefined {
  if (f.wireType !== WIRE_LEN || !f.bytes) return undefined;
  let outer: WireField[];
  try {
    outer = fields(f.bytes, f.offset);
  } catch {
    return undefined; // raw bytes, not a message
  }
  const data = outer.find((x) => x.field === 3 && x.wireType === WIRE_LEN);
  if (!data) return undefined;
  let inner: WireField[];
  try {
    inner = fields(data.bytes, data.offset);
  } catch {
    return undefined;
  }
  if (!inner.some((x) => x.field === 3 && x.wireType === WIRE_LEN)) return undefined;
  const enc = inner.find((x) => x.field === 4 && x.wireType === WIRE_LEN);
  const grid = enc ? readGrid(enc.bytes, enc.offset) : undefined;
  return { dims: varints(outer, 1), ...(grid ? { encoding: perTensor(grid, at) } : {}) };
}

const PARAM_KINDS = new Map<number, string>([
  [1, 'weights'],
  [2, 'bias'],
]);

function readLayerParams(layer: string, specific: WireField, file: string, out: Param1x[]): void {
  const at: Location = { file, node: `model: layer ${layer}` };
  let level1: WireField[];
  try {
    level1 = fields(specific.bytes, specific.offset);
  } catch {
    return;
  }
  // The weights sit directly in the layer message (fc) or in its field 20 (conv).
  const containers = [level1];
  for (const f of level1) {
    if (f.field === 20 && f.wireType === WIRE_LEN) {
      try {
        containers.push(fields(f.bytes, f.offset));
      } catch {
        /* not a message */
      }
    }
  }
  for (const container of containers) {
    for (const f of container) {
      const stored = PARAM_KINDS.get(f.field);
      if (stored === undefined) continue;
      const blob = readBlob(f, at);
      if (!blob) continue;
      out.push({ layer, stored, dims: blob.dims, ...(blob.encoding ? { encoding: blob.encoding } : {}), at });
    }
  }
}

export function readV2Model(body: Uint8Array, file: string, diags: DiagnosticList): { layers: Layer1x[]; params: Param1x[] } {
  const bufferDims = new Map<string, number[]>();
  const layers: Layer1x[] = [];
  const params: Param1x[] = [];
  let index = 0;
  for (const top of readFields(body, 8)) {
    if (top.wireType !== WIRE_LEN) continue;
    if (top.field === 1) {
      const list = fields(top.bytes, top.offset);
      const nameField = list.find((x) => x.field === 1 && x.wireType === WIRE_LEN);
      if (nameField) bufferDims.set(fieldString(nameField), varints(list, 3));
      continue;
    }
    if (top.field !== 5) continue;
    const list = fields(top.bytes, top.offset);
    const str = (f: WireField) => (f.wireType === WIRE_LEN ? fieldString(f) : '');
    const nameField = list.find((x) => x.field === 1 && x.wireType === WIRE_LEN);
    const name = (nameField ? fieldString(nameField) : '') || `layer_${index}`;
    const at: Location = { file, node: `model: layer ${name}` };
    const code = list.find((x) => x.field === 2 && x.wireType === WIRE_VARINT)?.varint ?? -1;
    const type = LAYER_TYPES.get(code) ?? `layer_type_${code}`;
    const inputs = list.filter((x) => x.field === 7).map(str);
    const outputs = list.filter((x) => x.field === 8).map(str);
    const ownDims = varints(list, 3);
    const encodings = list
      .filter((x) => x.field === 10 && x.wireType === WIRE_LEN)
      .map((x) => {
        const enc = fields(x.bytes, x.offset).find((y) => y.field === 4 && y.wireType === WIRE_LEN);
        const grid = enc ? readGrid(enc.bytes, enc.offset) : undefined;
        return grid ? perTensor(grid, at) : undefined;
      });
    if (encodings.length > outputs.length) {
      diags.add('DLC_UNREADABLE_PART', `layer ${name}: ${encodings.length} encodings for ${outputs.length} outputs; the extra ones are ignored`, at);
    }
    for (const specific of list) {
      if (specific.field >= 20 && specific.wireType === WIRE_LEN) readLayerParams(name, specific, file, params);
    }
    layers.push({
      id: list.find((x) => x.field === 6 && x.wireType === WIRE_VARINT)?.varint ?? index,
      name,
      type,
      inputs,
      outputs,
      outDims: outputs.map((o, i) => (i === 0 && ownDims.length > 0 ? ownDims : bufferDims.get(o))),
      params: [],
      encodings,
      at,
    });
    index++;
  }
  return { layers, params };
}
