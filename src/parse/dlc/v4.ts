/**
 * v4 bodies (SNPE 2.x / QAIRT): `model` is a FlatBuffer `NETD` holding every graph, node and
 * tensor with its quantization data; `model.params` (`NETP`, or `NR64` in QAIRT 2.25 v4.0) holds
 * only weight bytes and is never read. Slots (DLC-BINARY.md "v4"):
 * - Model: 0 [Graph]. Graph: 0 name, 1 [Node], 2 [Tensor].
 * - Node: 0 name, 1 type, 2 inputs [string], 3 outputs [string], 4 [Attribute].
 * - Attribute: 0 name, 1 kind (0 scalar, 1 tensor), 2 flag, 3 ScalarData {0 dtype, 1 int64, 2 float64, 3 string}, 4 Tensor.
 * - Tensor: 0 id, 1 name, 2 location (tensor type), 3 dims, 5 QuantizationData, 6 dtype, 7 second dtype.
 * - QuantizationData: 0 type (QNN `Qnn_QuantizationEncoding_t`; 0x7fffffff none), 1 isOverridden,
 *   2 FxpData, 3 AxisFxpData {0 axis, 1 [FxpData]}, 4 block, 5 LPBQ, 6 vector.
 * - FxpData: 0 bw, 1 min f32, 2 max f32, 3 scale f32, 4 offset int32, 5 isSymmetric.
 * Block, LPBQ and vector slots are read as documented but never seen in a real file: the encodings
 * are marked experimental and say so (DLC_EXPERIMENTAL).
 */
import type { Graph, Location, OpParam, TensorEncoding } from '../../model.js';
import { FlatBuffer, type Table } from '../wire/flatbuffer.js';
import {
  FLOAT32,
  perChannelEncoding,
  QnnGraphBuilder,
  qnnDtypeName,
  tensorTypeName,
  toEncoding,
  type DiagnosticList,
  type RawGrid,
} from './build.js';

const QUANT_NONE = 0x7fffffff;
const ENC_SCALE_OFFSET = 0;
const ENC_AXIS_SCALE_OFFSET = 1;
const ENC_BW_SCALE_OFFSET = 2;
const ENC_BW_AXIS_SCALE_OFFSET = 3;
const ENC_BLOCK = 4;
const ENC_BLOCKWISE_EXPANSION = 5;
const ENC_VECTOR = 6;

function fxp(t: Table): RawGrid {
  return {
    bitwidth: t.u32(0),
    min: t.f32(1),
    max: t.f32(2),
    scale: t.f32(3),
    offset: t.i32(4),
    isSymmetric: t.bool(5),
  };
}

function perAxis(grids: readonly RawGrid[], axis: number, at: Location, extra: Partial<TensorEncoding>): TensorEncoding {
  return { ...perChannelEncoding(grids, axis, at), ...extra };
}

function layoutInfo(entries: [string, number][]): ReadonlyMap<string, number> {
  return new Map(entries);
}

/** The encoding of one tensor, or undefined for a float tensor. */
function readQuantization(q: Table, tensor: string, at: Location, diags: DiagnosticList): TensorEncoding | undefined {
  const type = q.u32(0, ENC_SCALE_OFFSET);
  if (type === QUANT_NONE) return undefined;
  const isOverridden = q.bool(1);
  const flag = { isOverridden };
  switch (type) {
    case ENC_SCALE_OFFSET:
    case ENC_BW_SCALE_OFFSET: {
      const f = q.table(2);
      if (!f) {
        diags.add('DLC_UNREADABLE_PART', `${tensor}: quantization type ${type} without its FxpData`, at);
        return undefined;
      }
      return { layout: 'per-tensor', channels: [toEncoding(fxp(f), at, FLOAT32)], allChannelsPresent: true, ...flag };
    }
    case ENC_AXIS_SCALE_OFFSET:
    case ENC_BW_AXIS_SCALE_OFFSET: {
      const a = q.table(3);
      if (!a) {
        diags.add('DLC_UNREADABLE_PART', `${tensor}: per-axis quantization without its AxisFxpData`, at);
        return undefined;
      }
      return perAxis(a.tables(1).map(fxp), a.i32(0), at, flag);
    }
    case ENC_BLOCK: {
      // [guess] Block info {0 block sizes u32[], 1 [FxpData]} after QNN Qnn_BlockEncoding_t.
      const b = q.table(4);
      const grids = b ? b.tables(1).map(fxp) : [];
      const sizes = b ? b.scalars(0, 'u32') : [];
      diags.add('DLC_EXPERIMENTAL', `${tensor}: per-block encoding (${grids.length} blocks) read from unverified slots: experimental, not compared`, at);
      return {
        layout: 'per-block',
        channels: grids.map((g, i) => toEncoding(g, at, FLOAT32, i)),
        channelCount: grids.length,
        allChannelsPresent: true,
        experimental: true,
        layoutInfo: layoutInfo(sizes.map((s, i): [string, number] => [`blockSize${i}`, s])),
        ...flag,
      };
    }
    case ENC_BLOCKWISE_EXPANSION: {
      // LPBQ {0 axis, 1 [FxpData], 2 num_blocks_per_axis, 3 block_size, 4 block_scale_bitwidth}.
      const l = q.table(5);
      const axis = l ? l.i32(0) : 0;
      const grids = l ? l.tables(1).map(fxp) : [];
      diags.add('DLC_EXPERIMENTAL', `${tensor}: LPBQ (blockwise expansion) encoding read from unverified slots: experimental, not compared`, at);
      return {
        ...perAxis(grids, axis, at, flag),
        layout: 'lpbq',
        experimental: true,
        layoutInfo: layoutInfo([
          ['numBlocksPerAxis', l ? l.u32(2) : 0],
          ['blockSize', l ? l.u32(3) : 0],
          ['blockScaleBitwidth', l ? l.u32(4) : 0],
        ]),
      };
    }
    case ENC_VECTOR: {
      // [guess] Vector info {0 FxpData, 1 rowsPerBlock, 2 columnsPerBlock, 3 vectorDimension,
      // 4 vectorStride, 5 indexBitwidth} after QNN Qnn_VectorEncoding_t.
      const v = q.table(6);
      const f = v?.table(0);
      diags.add('DLC_EXPERIMENTAL', `${tensor}: vector encoding read from unverified slots: experimental, not compared`, at);
      return {
        layout: 'vector',
        channels: f ? [toEncoding(fxp(f), at, FLOAT32)] : [],
        allChannelsPresent: true,
        experimental: true,
        layoutInfo: layoutInfo([
          ['rowsPerBlock', v ? v.u32(1) : 0],
          ['columnsPerBlock', v ? v.u32(2) : 0],
          ['vectorDimension', v ? v.u32(3) : 0],
          ['vectorStride', v ? v.u32(4) : 0],
          ['indexBitwidth', v ? v.u32(5) : 0],
        ]),
        ...flag,
      };
    }
    default:
      diags.add('DLC_UNREADABLE_PART', `${tensor}: unknown quantization type ${type}; the tensor is shown without its encoding`, at);
      return undefined;
  }
}

function attributeText(a: Table): string {
  const scalar = a.table(3);
  if (a.u8(1) === 0 && scalar) {
    if (scalar.has(3)) return scalar.string(3) ?? '';
    if (scalar.has(2)) return String(scalar.f64(2));
    return String(scalar.i64(1));
  }
  const t = a.table(4);
  if (t) {
    const dims = t.scalars(3, 'u32');
    return `<tensor ${t.string(1) ?? ''} ${dims.join('x')}>`;
  }
  return '';
}

export function readV4Model(body: Uint8Array, file: string, diags: DiagnosticList): Graph[] {
  const fb = new FlatBuffer(body);
  const root = fb.root();
  return root.tables(0).map((g, gi) => {
    const graphName = g.string(0) ?? `graph_${gi}`;
    const graph = new QnnGraphBuilder(graphName, diags);
    g.tables(1).forEach((n, id) => {
      const name = n.string(0) ?? `node_${id}`;
      const at: Location = { file, node: `model: ${graphName}/${name}` };
      const params: OpParam[] = n.tables(4).map((a) => ({ name: a.string(0) ?? '', value: attributeText(a), at }));
      graph.addOp({ name, type: n.string(1) ?? '', inputs: n.strings(2), outputs: n.strings(3), params, at });
    });
    g.tables(2).forEach((t, ti) => {
      const name = t.string(1) ?? `tensor_${ti}`;
      const at: Location = { file, node: `model: ${graphName}/${name}` };
      const q = t.table(5);
      graph.addTensor({
        name,
        dtype: qnnDtypeName(t.u32(6, QUANT_NONE)),
        dims: t.scalars(3, 'u32'),
        tensorType: tensorTypeName(t.u32(2)),
        encoding: q ? readQuantization(q, name, at, diags) : undefined,
        at,
      });
    });
    return graph.finish();
  });
}
