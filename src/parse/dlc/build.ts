/**
 * Shared by the .dlc readers (v2, v3, v4) and the QNN net.json reader: turning stored grids into
 * `Encoding`s with exact precision, QNN data type names, and the sanity checks of DLC-BINARY.md
 * ("Checks worth doing while reading"), which become DLC_SANITY diagnostics, never exceptions.
 */
import type {
  Diagnostic,
  DiagnosticCode,
  Encoding,
  Graph,
  IoRow,
  Location,
  Op,
  Precision,
  Severity,
  Tensor,
  TensorEncoding,
  TensorRole,
} from '../../model.js';
import { DIAGNOSTICS } from '../../findings.js';

/** One stored grid, numbers as read. */
export interface RawGrid {
  readonly bitwidth: number;
  readonly min: number;
  readonly max: number;
  /** `delta` in SNPE 1.x, `scale` in 2.x. */
  readonly scale: number;
  readonly offset: number;
  readonly isSymmetric?: boolean;
}

export const FLOAT32: Precision = { style: 'float32' };
export const FLOAT64: Precision = { style: 'float64' };

export function toEncoding(grid: RawGrid, at: Location, precision: Precision, channel?: number): Encoding {
  const n = (value: number) => ({ value, precision });
  return {
    ...(channel === undefined ? {} : { channel }),
    bitwidth: grid.bitwidth,
    min: n(grid.min),
    max: n(grid.max),
    scale: n(grid.scale),
    offset: n(grid.offset),
    ...(grid.isSymmetric === undefined ? {} : { isSymmetric: grid.isSymmetric }),
    at,
  };
}

/** Every channel of a stored per-axis encoding (v3 DataEncoding, v4 AxisFxpData), exact float32. */
export function perChannelEncoding(grids: readonly RawGrid[], axis: number, at: Location): TensorEncoding {
  return {
    layout: 'per-channel',
    axis,
    channelCount: grids.length,
    channels: grids.map((g, i) => toEncoding(g, at, FLOAT32, i)),
    allChannelsPresent: true,
  };
}

/** Collects diagnostics with the default severity of their code. */
export class DiagnosticList {
  readonly items: Diagnostic[] = [];
  add(code: DiagnosticCode, detail: string, at: Location, severity: Severity = DIAGNOSTICS[code].severity): void {
    this.items.push({ code, severity, detail, at });
  }
}

/**
 * QNN `Qnn_DataType_t` codes (QnnTypes.h) to the names `snpe-dlc-info` prints (`uFxp_8`, `Float_32`).
 * The high byte is the family (0 int, 1 uint, 2 float, 3 sfixed, 4 ufixed, 5 bool), the low byte
 * the bit count as hex-coded decimal (0x32 = 32 bits).
 */
const QNN_DTYPES = new Map<number, string>([
  [0x0008, 'Int_8'],
  [0x0016, 'Int_16'],
  [0x0032, 'Int_32'],
  [0x0064, 'Int_64'],
  [0x0108, 'UInt_8'],
  [0x0116, 'UInt_16'],
  [0x0132, 'UInt_32'],
  [0x0164, 'UInt_64'],
  [0x0216, 'Float_16'],
  [0x0232, 'Float_32'],
  [0x0264, 'Float_64'],
  [0x0304, 'sFxp_4'],
  [0x0308, 'sFxp_8'],
  [0x0316, 'sFxp_16'],
  [0x0332, 'sFxp_32'],
  [0x0404, 'uFxp_4'],
  [0x0408, 'uFxp_8'],
  [0x0416, 'uFxp_16'],
  [0x0432, 'uFxp_32'],
  [0x0508, 'Bool_8'],
  [0x7fffffff, 'Undefined'],
]);

export function qnnDtypeName(code: number): string {
  return QNN_DTYPES.get(code) ?? `dtype_0x${code.toString(16)}`;
}

export function isFloatDtype(name: string | undefined): boolean {
  return name !== undefined && name.startsWith('Float_');
}

/** QNN tensor types (`Qnn_TensorType_t`) as dumps print them. */
const TENSOR_TYPES = new Map<number, string>([
  [0, 'APP_WRITE'],
  [1, 'APP_READ'],
  [2, 'APP_READWRITE'],
  [3, 'NATIVE'],
  [4, 'STATIC'],
  [5, 'NULL'],
  [6, 'UPDATEABLE_STATIC'],
  [7, 'UPDATEABLE_NATIVE'],
  [8, 'UPDATEABLE_APP_WRITE'],
  [9, 'UPDATEABLE_APP_READ'],
  [10, 'UPDATEABLE_APP_READWRITE'],
]);

export function tensorTypeName(code: number): string {
  return TENSOR_TYPES.get(code) ?? `TYPE_${code}`;
}

export interface SanityContext {
  readonly tensor: string;
  readonly dims?: readonly number[];
  /** The tensor is still float (converter stage): scale 0 means "not computed yet", not an error. */
  readonly converterStage: boolean;
  readonly at: Location;
}

function relClose(a: number, b: number, relative: number): boolean {
  return Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b), 1e-30);
}

/** The first problem of one grid, or undefined. */
function gridProblem(g: Encoding, tensor: string, converterStage: boolean): string | undefined {
  const bw = g.bitwidth;
  const min = g.min.value;
  const max = g.max.value;
  const scale = g.scale.value;
  const offset = g.offset.value;
  const where = g.channel === undefined ? '' : ` (channel ${g.channel})`;
  if (!Number.isInteger(bw) || bw < 1 || bw > 32) return `bitwidth ${bw}${where} is not in 1..32`;
  if (![min, max, scale, offset].every(Number.isFinite)) return `a field is not finite${where}: min ${min}, max ${max}, scale ${scale}, offset ${offset}`;
  if (scale === 0 && converterStage) return undefined; // QAIRT 2.25 converter stage: resolved by the quantizer.
  if (scale <= 0) return `scale ${scale}${where} is not positive`;
  if (max < min) return `max ${max} is below min ${min}${where}`;
  const steps = 2 ** bw - 1;
  const symmetric = g.isSymmetric === true || (offset === 0 && min < 0);
  // delta = (max − min)/(2^bw − 1); symmetric "strict" grids span 2^bw − 2 steps (−127·s..127·s).
  const rangeOk =
    relClose((max - min) / steps, scale, 1e-4) || (symmetric && relClose((max - min) / (steps - 1), scale, 1e-4));
  if (!rangeOk) return `scale ${scale}${where} differs from (max − min)/${steps} = ${(max - min) / steps}`;
  // `_converted_UFIXED_POINT_16`-style tensors re-express another grid: min = o·s does not hold.
  if (tensor.includes('_converted_')) return undefined;
  if (symmetric && offset === 0) return undefined; // stored signed
  if (Math.abs(offset - Math.round(min / scale)) > 1) return `offset ${offset}${where} differs from round(min/scale) = ${Math.round(min / scale)}`;
  if (offset > 0 || offset < -steps) return `offset ${offset}${where} is outside the grid [−${steps}, 0]`;
  return undefined;
}

/** DLC-BINARY.md checks; at most one diagnostic per tensor (with the count of bad channels). */
export function sanityCheck(enc: TensorEncoding, ctx: SanityContext, diags: DiagnosticList): void {
  if (enc.layout === 'per-channel' && enc.axis !== undefined && ctx.dims !== undefined) {
    const expected = ctx.dims[enc.axis];
    if (expected === undefined) {
      diags.add('DLC_SANITY', `${ctx.tensor}: quantization axis ${enc.axis} is outside its ${ctx.dims.length} dimensions`, ctx.at);
    } else if (expected !== enc.channels.length && enc.channels.length !== ctx.dims[ctx.dims.length - 1]) {
      // QAIRT 2.25 QDQ weights keep the source (OIHW) axis 0 on an HWIO tensor: the count then
      // matches the last dimension (qdq_conv_u8_*: axis 0, dims [3,3,3,4], 4 channels). Accepted.
      diags.add('DLC_SANITY', `${ctx.tensor}: ${enc.channels.length} per-channel encodings, dimension ${enc.axis} is ${expected}`, ctx.at);
    }
  }
  if (enc.experimental) return; // block/LPBQ/vector grids follow other rules
  let first: string | undefined;
  let bad = 0;
  for (const g of enc.channels) {
    const problem = gridProblem(g, ctx.tensor, ctx.converterStage);
    if (problem !== undefined) {
      bad++;
      first ??= problem;
    }
  }
  if (first !== undefined) {
    const more = bad > 1 ? ` (and ${bad - 1} more channel(s))` : '';
    diags.add('DLC_SANITY', `${ctx.tensor}: ${first}${more}`, ctx.at);
  }
}

/** A tensor's role from its QNN tensor type (`APP_WRITE` is a graph input, `STATIC` a param, …). */
export function roleOfTensorType(tensorType: string): TensorRole {
  switch (tensorType) {
    case 'APP_WRITE':
    case 'UPDATEABLE_APP_WRITE':
      return 'graph-input';
    case 'APP_READ':
    case 'UPDATEABLE_APP_READ':
      return 'graph-output';
    case 'STATIC':
    case 'UPDATEABLE_STATIC':
      return 'param';
    default:
      return 'activation';
  }
}

export interface QnnTensorParts {
  readonly name: string;
  readonly dtype: string;
  readonly dims: readonly number[];
  readonly tensorType: string;
  readonly encoding: TensorEncoding | undefined;
  readonly at: Location;
}

/**
 * Assembles one graph of the QNN-style readers (v4 .dlc, QNN net.json), which list ops and
 * tensors separately: ops first (they give producers and consumers), then tensors (role, sanity
 * check, the I/O-table rows a dump would print), then `finish()`.
 */
export class QnnGraphBuilder {
  private readonly producers = new Map<string, { op: string; type: string }>();
  private readonly consumers = new Map<string, string[]>();
  private readonly ops: Op[] = [];
  private readonly tensors = new Map<string, Tensor>();
  private readonly inputs: IoRow[] = [];
  private readonly outputs: IoRow[] = [];

  constructor(
    private readonly graphName: string,
    private readonly diags: DiagnosticList,
  ) {}

  addOp(op: Omit<Op, 'id' | 'outDims'>): void {
    for (const o of op.outputs) this.producers.set(o, { op: op.name, type: op.type });
    for (const i of op.inputs) {
      const list = this.consumers.get(i) ?? [];
      list.push(op.name);
      this.consumers.set(i, list);
    }
    this.ops.push({ ...op, id: this.ops.length, outDims: [] });
  }

  addTensor(parts: QnnTensorParts): void {
    const { name, dtype, dims, tensorType, encoding, at } = parts;
    if (this.tensors.has(name)) {
      this.diags.add('DLC_UNREADABLE_PART', `graph ${this.graphName}: tensor ${name} is listed twice; the first is kept`, at);
      return;
    }
    const role = roleOfTensorType(tensorType);
    const producer = this.producers.get(name);
    this.tensors.set(name, {
      name,
      graph: this.graphName,
      dtype,
      dims,
      tensorType,
      role,
      ...(producer ? { producer } : {}),
      consumers: this.consumers.get(name) ?? [],
      ...(encoding ? { encoding } : {}),
      at,
    });
    if (encoding) sanityCheck(encoding, { tensor: name, dims, converterStage: isFloatDtype(dtype), at }, this.diags);
    const row: IoRow = { name, dims: dims.join('x'), dtype, ...(encoding?.channels[0] ? { encoding: encoding.channels[0] } : {}), at };
    if (role === 'graph-input') this.inputs.push(row);
    if (role === 'graph-output') this.outputs.push(row);
  }

  finish(): Graph {
    const ops = this.ops.map((op) => ({ ...op, outDims: op.outputs.map((o) => this.tensors.get(o)?.dims?.join('x') ?? '') }));
    return { name: this.graphName, ops, tensors: this.tensors, inputs: this.inputs, outputs: this.outputs, footer: new Map() };
  }
}
