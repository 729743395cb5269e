/**
 * Builds constructed .dlc files for tests: a v4 `model` FlatBuffer written with the official
 * `flatbuffers` Builder following the slots of DLC-BINARY.md "v4", wrapped in the 8-byte DLC
 * header and a zip container (stored or deflated entries, ZIP64 extra fields, CRC 0 or real).
 * Everything built here is constructed, not a real SDK output.
 */
import * as flatbuffers from 'flatbuffers';
import { crc32, deflateRawSync } from 'node:zlib';

export interface FxpSpec {
  bw: number;
  min: number;
  max: number;
  scale: number;
  offset: number;
  isSymmetric?: boolean;
}

export interface QuantSpec {
  /** QNN Qnn_QuantizationEncoding_t: 0 scale-offset, 1 axis, 4 block, 5 LPBQ, 6 vector; 0x7fffffff none. */
  type: number;
  isOverridden?: boolean;
  fxp?: FxpSpec;
  axis?: { axis: number; channels: FxpSpec[] };
  block?: { blockSizes: number[]; blocks: FxpSpec[] };
  lpbq?: { axis: number; channels: FxpSpec[]; numBlocksPerAxis: number; blockSize: number; blockScaleBitwidth: number };
  vector?: { fxp: FxpSpec; rowsPerBlock: number; columnsPerBlock: number; vectorDimension: number; vectorStride: number; indexBitwidth: number };
}

export interface TensorSpec {
  id: number;
  name: string;
  /** 0 APP_WRITE, 1 APP_READ, 3 NATIVE, 4 STATIC. */
  location: number;
  dims: number[];
  dtype: number;
  quant?: QuantSpec;
}

export interface NodeSpec {
  name: string;
  type: string;
  inputs: string[];
  outputs: string[];
}

export interface GraphSpec {
  name: string;
  nodes: NodeSpec[];
  tensors: TensorSpec[];
}

function stringVector(b: flatbuffers.Builder, list: readonly string[]): flatbuffers.Offset {
  const offsets = list.map((s) => b.createString(s));
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
  return b.endVector();
}

function tableVector(b: flatbuffers.Builder, offsets: readonly flatbuffers.Offset[]): flatbuffers.Offset {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
  return b.endVector();
}

function u32Vector(b: flatbuffers.Builder, values: readonly number[]): flatbuffers.Offset {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]! | 0);
  return b.endVector();
}

/** FxpData: 0 bw u32, 1 min f32, 2 max f32, 3 scale f32, 4 offset int32, 5 isSymmetric bool. */
function fxp(b: flatbuffers.Builder, f: FxpSpec): flatbuffers.Offset {
  b.startObject(6);
  b.addFieldInt32(0, f.bw, 0);
  b.addFieldFloat32(1, f.min, 0);
  b.addFieldFloat32(2, f.max, 0);
  b.addFieldFloat32(3, f.scale, 0);
  b.addFieldInt32(4, f.offset, 0);
  b.addFieldInt8(5, f.isSymmetric ? 1 : 0, 0);
  return b.endObject();
}

function quantization(b: flatbuffers.Builder, q: QuantSpec): flatbuffers.Offset {
  const f = q.fxp ? fxp(b, q.fxp) : 0;
  let axis = 0;
  if (q.axis) {
    const list = tableVector(b, q.axis.channels.map((c) => fxp(b, c)));
    b.startObject(2);
    b.addFieldInt32(0, q.axis.axis, 0);
    b.addFieldOffset(1, list, 0);
    axis = b.endObject();
  }
  let block = 0;
  if (q.block) {
    const sizes = u32Vector(b, q.block.blockSizes);
    const list = tableVector(b, q.block.blocks.map((c) => fxp(b, c)));
    b.startObject(2);
    b.addFieldOffset(0, sizes, 0);
    b.addFieldOffset(1, list, 0);
    block = b.endObject();
  }
  let lpbq = 0;
  if (q.lpbq) {
    const list = tableVector(b, q.lpbq.channels.map((c) => fxp(b, c)));
    b.startObject(5);
    b.addFieldInt32(0, q.lpbq.axis, 0);
    b.addFieldOffset(1, list, 0);
    b.addFieldInt32(2, q.lpbq.numBlocksPerAxis, 0);
    b.addFieldInt32(3, q.lpbq.blockSize, 0);
    b.addFieldInt32(4, q.lpbq.blockScaleBitwidth, 0);
    lpbq = b.endObject();
  }
  let vector = 0;
  if (q.vector) {
    const vf = fxp(b, q.vector.fxp);
    b.startObject(6);
    b.addFieldOffset(0, vf, 0);
    b.addFieldInt32(1, q.vector.rowsPerBlock, 0);
    b.addFieldInt32(2, q.vector.columnsPerBlock, 0);
    b.addFieldInt32(3, q.vector.vectorDimension, 0);
    b.addFieldInt32(4, q.vector.vectorStride, 0);
    b.addFieldInt32(5, q.vector.indexBitwidth, 0);
    vector = b.endObject();
  }
  b.startObject(7);
  b.addFieldInt32(0, q.type, 0);
  b.addFieldInt8(1, q.isOverridden ? 1 : 0, 0);
  if (f) b.addFieldOffset(2, f, 0);
  if (axis) b.addFieldOffset(3, axis, 0);
  if (block) b.addFieldOffset(4, block, 0);
  if (lpbq) b.addFieldOffset(5, lpbq, 0);
  if (vector) b.addFieldOffset(6, vector, 0);
  return b.endObject();
}

function tensor(b: flatbuffers.Builder, t: TensorSpec): flatbuffers.Offset {
  const name = b.createString(t.name);
  const dims = u32Vector(b, t.dims);
  const q = t.quant ? quantization(b, t.quant) : 0;
  b.startObject(8);
  b.addFieldInt32(0, t.id, 0);
  b.addFieldOffset(1, name, 0);
  b.addFieldInt32(2, t.location, 0);
  b.addFieldOffset(3, dims, 0);
  if (q) b.addFieldOffset(5, q, 0);
  b.addFieldInt32(6, t.dtype, 0);
  b.addFieldInt32(7, t.dtype, 0);
  return b.endObject();
}

function node(b: flatbuffers.Builder, n: NodeSpec): flatbuffers.Offset {
  const name = b.createString(n.name);
  const type = b.createString(n.type);
  const inputs = stringVector(b, n.inputs);
  const outputs = stringVector(b, n.outputs);
  b.startObject(5);
  b.addFieldOffset(0, name, 0);
  b.addFieldOffset(1, type, 0);
  b.addFieldOffset(2, inputs, 0);
  b.addFieldOffset(3, outputs, 0);
  return b.endObject();
}

/** A v4 `NETD` FlatBuffer (no DLC header). */
export function buildV4Body(graphs: readonly GraphSpec[]): Uint8Array {
  const b = new flatbuffers.Builder(1024);
  const graphOffsets = graphs.map((g) => {
    const name = b.createString(g.name);
    const nodes = tableVector(b, g.nodes.map((n) => node(b, n)));
    const tensors = tableVector(b, g.tensors.map((t) => tensor(b, t)));
    b.startObject(3);
    b.addFieldOffset(0, name, 0);
    b.addFieldOffset(1, nodes, 0);
    b.addFieldOffset(2, tensors, 0);
    return b.endObject();
  });
  const list = tableVector(b, graphOffsets);
  b.startObject(1);
  b.addFieldOffset(0, list, 0);
  const root = b.endObject();
  b.finish(root, 'NETD');
  return b.asUint8Array().slice();
}

/** `D5 0A <major u16le> <minor u16le> 00 00` + body. */
export function withDlcHeader(major: number, minor: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length);
  out.set([0xd5, 0x0a, major & 0xff, major >> 8, minor & 0xff, minor >> 8, 0, 0]);
  out.set(body, 8);
  return out;
}

export interface ZipEntrySpec {
  name: string;
  data: Uint8Array;
  /** 0 stored (default), 8 deflated. */
  method?: 0 | 8;
  /** Write CRC-32 = 0 as the QAIRT 2.42 IR backend does. */
  crcZero?: boolean;
}

/** A zip with ZIP64 extra fields on every entry and a ZIP64 end record, like real DLCs. */
export function buildZip(entries: readonly ZipEntrySpec[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const enc = new TextEncoder();
  for (const e of entries) {
    const name = enc.encode(e.name);
    const method = e.method ?? 0;
    const data = method === 8 ? new Uint8Array(deflateRawSync(e.data)) : e.data;
    const crc = e.crcZero ? 0 : crc32(e.data);
    const local = new DataView(new ArrayBuffer(30 + name.length + 20));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 45, true);
    local.setUint16(8, method, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, 0xffffffff, true);
    local.setUint32(22, 0xffffffff, true);
    local.setUint16(26, name.length, true);
    local.setUint16(28, 20, true);
    new Uint8Array(local.buffer).set(name, 30);
    local.setUint16(30 + name.length, 0x0001, true);
    local.setUint16(32 + name.length, 16, true);
    local.setBigUint64(34 + name.length, BigInt(e.data.length), true);
    local.setBigUint64(42 + name.length, BigInt(data.length), true);
    const cd = new DataView(new ArrayBuffer(46 + name.length + 28));
    cd.setUint32(0, 0x02014b50, true);
    cd.setUint16(4, 45, true);
    cd.setUint16(6, 45, true);
    cd.setUint16(10, method, true);
    cd.setUint32(16, crc, true);
    cd.setUint32(20, 0xffffffff, true);
    cd.setUint32(24, 0xffffffff, true);
    cd.setUint16(28, name.length, true);
    cd.setUint16(30, 28, true);
    cd.setUint32(42, 0xffffffff, true);
    new Uint8Array(cd.buffer).set(name, 46);
    cd.setUint16(46 + name.length, 0x0001, true);
    cd.setUint16(48 + name.length, 24, true);
    cd.setBigUint64(50 + name.length, BigInt(e.data.length), true);
    cd.setBigUint64(58 + name.length, BigInt(data.length), true);
    cd.setBigUint64(66 + name.length, BigInt(offset), true);
    chunks.push(new Uint8Array(local.buffer), data);
    central.push(new Uint8Array(cd.buffer));
    offset += local.byteLength + data.length;
  }
  const cdOffset = offset;
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const z64 = new DataView(new ArrayBuffer(56 + 20 + 22));
  z64.setUint32(0, 0x06064b50, true);
  z64.setBigUint64(4, 44n, true);
  z64.setUint16(12, 45, true);
  z64.setUint16(14, 45, true);
  z64.setBigUint64(24, BigInt(entries.length), true);
  z64.setBigUint64(32, BigInt(entries.length), true);
  z64.setBigUint64(40, BigInt(cdSize), true);
  z64.setBigUint64(48, BigInt(cdOffset), true);
  z64.setUint32(56, 0x07064b50, true);
  z64.setBigUint64(64, BigInt(cdOffset + cdSize), true);
  z64.setUint32(72, 1, true);
  z64.setUint32(76, 0x06054b50, true);
  z64.setUint16(84, 0xffff, true);
  z64.setUint16(86, 0xffff, true);
  z64.setUint32(88, 0xffffffff, true);
  z64.setUint32(92, 0xffffffff, true);
  const all = [...chunks, ...central, new Uint8Array(z64.buffer)];
  const out = new Uint8Array(all.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of all) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A complete v4 .dlc: `model` with a 4.0 header, optional metadata. */
export function buildV4Dlc(graphs: readonly GraphSpec[], options: { method?: 0 | 8; crcZero?: boolean; metadata?: string } = {}): Uint8Array {
  const entries: ZipEntrySpec[] = [];
  if (options.metadata !== undefined) entries.push({ name: 'dlc.metadata', data: new TextEncoder().encode(options.metadata) });
  entries.push({
    name: 'model',
    data: withDlcHeader(4, 0, buildV4Body(graphs)),
    ...(options.method !== undefined ? { method: options.method } : {}),
    ...(options.crcZero !== undefined ? { crcZero: options.crcZero } : {}),
  });
  return buildZip(entries);
}

// ---------------------------------------------------------------------------------------------
// v3 (`NETD` layers with attributes, `NETP` params), DLC-BINARY.md "v3". Constructed.
// ---------------------------------------------------------------------------------------------

/** An attribute value: number → float32 (type 4), {int} → int32 (type 2), string, int[] or nested. */
export type AttrSpec =
  | { name: string; float: number }
  | { name: string; int: number }
  | { name: string; str: string }
  | { name: string; ints: number[] }
  | { name: string; nested: AttrSpec[] };

function attribute(b: flatbuffers.Builder, a: AttrSpec): flatbuffers.Offset {
  const name = b.createString(a.name);
  let value = 0;
  if ('str' in a) value = b.createString(a.str);
  if ('ints' in a) value = u32Vector(b, a.ints);
  if ('nested' in a) value = tableVector(b, a.nested.map((c) => attribute(b, c)));
  b.startObject(13);
  b.addFieldOffset(0, name, 0);
  if ('float' in a) {
    b.addFieldInt8(1, 4, 0);
    b.addFieldFloat32(5, a.float, 0);
  } else if ('int' in a) {
    b.addFieldInt8(1, 2, 0);
    b.addFieldInt32(3, a.int, 0);
  } else if ('str' in a) {
    b.addFieldInt8(1, 5, 0);
    b.addFieldOffset(6, value, 0);
  } else if ('ints' in a) {
    b.addFieldInt8(1, 8, 0);
    b.addFieldOffset(9, value, 0);
  } else {
    b.addFieldInt8(1, 11, 0);
    b.addFieldOffset(12, value, 0);
  }
  return b.endObject();
}

export interface LayerSpec {
  id: number;
  name: string;
  type: string;
  inputs: string[];
  outputs: string[];
  attrs: AttrSpec[];
}

export function buildV3ModelBody(layers: readonly LayerSpec[]): Uint8Array {
  const b = new flatbuffers.Builder(1024);
  const offsets = layers.map((l) => {
    const name = b.createString(l.name);
    const type = b.createString(l.type);
    const inputs = stringVector(b, l.inputs);
    const outputs = stringVector(b, l.outputs);
    const attrs = tableVector(b, l.attrs.map((a) => attribute(b, a)));
    b.startObject(6);
    b.addFieldInt32(0, l.id, 0);
    b.addFieldOffset(1, name, 0);
    b.addFieldOffset(2, type, 0);
    b.addFieldOffset(3, inputs, 0);
    b.addFieldOffset(4, outputs, 0);
    b.addFieldOffset(5, attrs, 0);
    return b.endObject();
  });
  const list = tableVector(b, offsets);
  b.startObject(5);
  b.addFieldOffset(1, list, 0);
  const root = b.endObject();
  b.finish(root, 'NETD');
  return b.asUint8Array().slice();
}

export interface ParamTensorSpec {
  name: string;
  shape: number[];
  attrs: AttrSpec[];
}

export function buildV3ParamsBody(layers: readonly { layer: string; tensors: ParamTensorSpec[] }[]): Uint8Array {
  const b = new flatbuffers.Builder(1024);
  const offsets = layers.map((lp) => {
    const name = b.createString(lp.layer);
    const tensors = tableVector(
      b,
      lp.tensors.map((t) => {
        const tname = b.createString(t.name);
        const shape = u32Vector(b, t.shape);
        const attrs = tableVector(b, t.attrs.map((a) => attribute(b, a)));
        b.startObject(4);
        b.addFieldOffset(0, tname, 0);
        b.addFieldOffset(1, shape, 0);
        b.addFieldOffset(3, attrs, 0);
        return b.endObject();
      }),
    );
    b.startObject(2);
    b.addFieldOffset(0, name, 0);
    b.addFieldOffset(1, tensors, 0);
    return b.endObject();
  });
  const list = tableVector(b, offsets);
  b.startObject(1);
  b.addFieldOffset(0, list, 0);
  const root = b.endObject();
  b.finish(root, 'NETP');
  return b.asUint8Array().slice();
}

/** A v3 grid as SNPE 1.x stores it: fields equal to 0 omitted (FlatBuffers default). */
export function v3Grid(g: { min: number; max: number; delta: number; offset: number; bitwidth: number }): AttrSpec[] {
  const all: AttrSpec[] = [
    { name: 'delta', float: g.delta },
    { name: 'max', float: g.max },
    { name: 'min', float: g.min },
    { name: 'offset', float: g.offset },
    { name: 'precision', int: 0x200 | g.bitwidth },
  ];
  return all.filter((a) => !('float' in a) || a.float !== 0);
}
