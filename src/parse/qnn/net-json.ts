/**
 * QNN converter output (`<model>_net.json`, written by qnn-onnx-converter / qnn-tensorflow-converter
 * next to the generated .cpp/.bin): the QNN-flow counterpart of a dlc-info dump, with full float
 * precision and an `is_overridden` flag. ENCODINGS.md "QNN converter output". Real file:
 * `../corpus/qnn/resnet18_int8_net.json` (QNN 2.18), e.g.
 * `"_130": {"type": 3, "data_type": 1032, "quant_params": {"definition": 1, "encoding": 0,
 *  "is_overridden": true, "scale_offset": {"bitwidth": 8, "minimum": 0.0, "maximum": 6.2179…,
 *  "scale": 0.0243…, "offset": 0, "is_symmetric": false}}, "dims": [32, 112, 112, 64]}`.
 *
 * Names stay as the converter sanitised them (`_130`, `conv1_weight`, `fc_weight_permute`):
 * matching them to source names is the verifier's job. JSON that is not a net.json throws
 * InputError('WRONG_FILE') so that `show` can read it as a source instead.
 */
import {
  InputError,
  type Command,
  type DlcModel,
  type Encoding,
  type Graph,
  type InputFile,
  type IoRow,
  type Location,
  type Op,
  type OpParam,
  type Tensor,
  type TensorEncoding,
  type TensorRole,
} from '../../model.js';
import { parseCommand } from '../dump/commands.js';
import {
  DiagnosticList,
  FLOAT64,
  isFloatDtype,
  qnnDtypeName,
  sanityCheck,
  tensorTypeName,
  toEncoding,
  type RawGrid,
} from '../dlc/build.js';

type Json = Record<string, unknown>;

function isRecord(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function num(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}

const QNN_UNDEFINED = 2147483647;
const ENC_SCALE_OFFSET = 0;
const ENC_AXIS_SCALE_OFFSET = 1;

/** Line and column of a JSON.parse error position, for a clean BAD_JSON message. */
function positionOf(text: string, message: string): { line: number; column: number } | undefined {
  // Node 20: `Unexpected token , in JSON at position 31` / `Expected double-quoted property name in JSON at position 31`.
  const m = /position (\d+)/.exec(message);
  if (!m) return undefined;
  const pos = Number(m[1]);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: pos - lineStart + 1 };
}

function parseJson(input: InputFile): unknown {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(input.bytes()).replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (err) {
    const where = positionOf(text, (err as Error).message);
    const at: Location = { file: input.name, ...(where ?? {}) };
    const place = where ? ` at line ${where.line}, column ${where.column}` : '';
    throw new InputError('BAD_JSON', `${input.name}: not valid JSON${place} (${(err as Error).message})`, at);
  }
}

/** The bitwidth of a QNN data type code: its low byte, hex-coded decimal (0x0408 → 8, 0x0416 → 16). */
function dtypeBits(code: number): number {
  const low = code & 0xff;
  return Number.parseInt(low.toString(16), 10) || 0;
}

function gridFrom(so: Json, bitsFallback: number): RawGrid | undefined {
  const scale = num(so['scale']);
  const offset = num(so['offset']);
  if (scale === undefined || offset === undefined) return undefined;
  const bitwidth = num(so['bitwidth']) || bitsFallback;
  // Per-axis entries may carry only {scale, offset}: min/max follow from the QNN grid definition.
  const min = num(so['minimum']) ?? offset * scale;
  const max = num(so['maximum']) ?? (offset + 2 ** bitwidth - 1) * scale;
  return {
    bitwidth,
    min,
    max,
    scale,
    offset,
    ...(typeof so['is_symmetric'] === 'boolean' ? { isSymmetric: so['is_symmetric'] } : {}),
  };
}

function readQuantParams(
  qp: unknown,
  dataType: number,
  tensor: string,
  at: Location,
  diags: DiagnosticList,
): TensorEncoding | undefined {
  if (!isRecord(qp)) return undefined;
  const encoding = num(qp['encoding']) ?? QNN_UNDEFINED;
  if (encoding === QNN_UNDEFINED || num(qp['definition']) === QNN_UNDEFINED) return undefined;
  const isOverridden = qp['is_overridden'] === true;
  const bits = dtypeBits(dataType);
  if (encoding === ENC_SCALE_OFFSET) {
    const so = qp['scale_offset'];
    const grid = isRecord(so) ? gridFrom(so, bits) : undefined;
    if (!grid) {
      diags.add('DLC_UNREADABLE_PART', `${tensor}: quant_params.scale_offset is missing or has no scale/offset`, at);
      return undefined;
    }
    return { layout: 'per-tensor', channels: [toEncoding(grid, at, FLOAT64)], allChannelsPresent: true, isOverridden };
  }
  if (encoding === ENC_AXIS_SCALE_OFFSET) {
    const aso = qp['axis_scale_offset'];
    if (!isRecord(aso) || !Array.isArray(aso['scale_offsets'])) {
      diags.add('DLC_UNREADABLE_PART', `${tensor}: quant_params.axis_scale_offset is missing`, at);
      return undefined;
    }
    const axisBits = num(aso['bitwidth']) ?? bits;
    const channels: Encoding[] = [];
    aso['scale_offsets'].forEach((so, i) => {
      const grid = isRecord(so) ? gridFrom(so, axisBits) : undefined;
      if (grid) channels.push(toEncoding(grid, { ...at, pointer: `${at.pointer ?? ''}/quant_params/axis_scale_offset/scale_offsets/${i}` }, FLOAT64, i));
      else diags.add('DLC_UNREADABLE_PART', `${tensor}: per-axis entry ${i} has no scale/offset`, at);
    });
    const declared = num(aso['num_scale_offsets']);
    if (declared !== undefined && declared !== channels.length) {
      diags.add('DLC_SANITY', `${tensor}: num_scale_offsets is ${declared}, ${channels.length} entries were read`, at);
    }
    return {
      layout: 'per-channel',
      axis: num(aso['axis']) ?? 0,
      channelCount: channels.length,
      channels,
      allChannelsPresent: true,
      isOverridden,
    };
  }
  diags.add('DLC_UNREADABLE_PART', `${tensor}: quantization encoding ${encoding} is not read (only scale-offset and axis-scale-offset)`, at);
  return undefined;
}

/** RFC 6901 escaping of one pointer token. */
function pointerToken(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

function roleOf(tensorType: string): TensorRole {
  if (tensorType === 'APP_WRITE') return 'graph-input';
  if (tensorType === 'APP_READ') return 'graph-output';
  if (tensorType === 'STATIC') return 'param';
  return 'activation';
}

function stringList(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
}

function paramText(x: unknown): string {
  if (isRecord(x)) {
    // scalar_params: {"group": {"306": 1}} — a dtype code keyed value; tensor_params: {name: tensor}.
    const values = Object.values(x);
    if (values.length === 1) {
      const only = values[0];
      if (isRecord(only) && 'data' in only) return JSON.stringify(only['data']);
      return typeof only === 'string' ? only : JSON.stringify(only);
    }
  }
  return typeof x === 'string' ? x : JSON.stringify(x);
}

/** True when the document has the net.json shape: `graph.tensors` and `graph.nodes` objects. */
function isNetJson(doc: unknown): doc is { graph: { tensors: Json; nodes: Json } } & Json {
  return isRecord(doc) && isRecord(doc['graph']) && isRecord(doc['graph']['tensors']) && isRecord(doc['graph']['nodes']);
}

export function readQnnNetJson(input: InputFile): DlcModel {
  const doc = parseJson(input);
  if (!isNetJson(doc)) {
    throw new InputError(
      'WRONG_FILE',
      `${input.name}: expected a QNN <model>_net.json (an object with graph.tensors and graph.nodes), but this JSON has another shape`,
      { file: input.name },
    );
  }
  const file = input.name;
  const diags = new DiagnosticList();
  // `resnet18_int8_net.json` → graph `resnet18_int8` (the converter's model name).
  const graphName = (file.split(/[\\/]/).pop() ?? file).replace(/_net\.json$|\.json$/i, '');
  const producers = new Map<string, { op: string; type: string }>();
  const consumers = new Map<string, string[]>();
  const ops: Op[] = [];
  Object.entries(doc.graph.nodes).forEach(([name, node], id) => {
    const at: Location = { file, pointer: `/graph/nodes/${pointerToken(name)}` };
    if (!isRecord(node)) {
      diags.add('DLC_UNREADABLE_PART', `node ${name} is not an object`, at);
      return;
    }
    const type = typeof node['type'] === 'string' ? node['type'] : '';
    const inputs = stringList(node['input_names']);
    const outputs = stringList(node['output_names']);
    for (const o of outputs) producers.set(o, { op: name, type });
    for (const i of inputs) {
      const list = consumers.get(i) ?? [];
      list.push(name);
      consumers.set(i, list);
    }
    const params: OpParam[] = [];
    for (const key of ['scalar_params', 'tensor_params'] as const) {
      const group = node[key];
      if (isRecord(group)) for (const [p, v] of Object.entries(group)) params.push({ name: p, value: paramText(v), at });
    }
    ops.push({ id, name, type, inputs, outputs, outDims: [], params, at });
  });
  const tensors = new Map<string, Tensor>();
  const inputs: IoRow[] = [];
  const outputs: IoRow[] = [];
  for (const [name, t] of Object.entries(doc.graph.tensors)) {
    const at: Location = { file, pointer: `/graph/tensors/${pointerToken(name)}` };
    if (!isRecord(t)) {
      diags.add('DLC_UNREADABLE_PART', `tensor ${name} is not an object`, at);
      continue;
    }
    const dataType = num(t['data_type']) ?? QNN_UNDEFINED;
    const dtype = qnnDtypeName(dataType);
    const tensorType = tensorTypeName(num(t['type']) ?? -1);
    const dims = Array.isArray(t['dims']) ? t['dims'].filter((d): d is number => typeof d === 'number') : [];
    const encoding = readQuantParams(t['quant_params'], dataType, name, at, diags);
    const role = roleOf(tensorType);
    const producer = producers.get(name);
    tensors.set(name, {
      name,
      graph: graphName,
      dtype,
      dims,
      tensorType,
      role,
      ...(producer ? { producer } : {}),
      consumers: consumers.get(name) ?? [],
      ...(encoding ? { encoding } : {}),
      at,
    });
    if (encoding) sanityCheck(encoding, { tensor: name, dims, converterStage: isFloatDtype(dtype), at }, diags);
    const row: IoRow = { name, dims: dims.join('x'), dtype, ...(encoding?.channels[0] ? { encoding: encoding.channels[0] } : {}), at };
    if (role === 'graph-input') inputs.push(row);
    if (role === 'graph-output') outputs.push(row);
  }
  const withDims = ops.map((op) => ({ ...op, outDims: op.outputs.map((o) => tensors.get(o)?.dims?.join('x') ?? '') }));
  const graph: Graph = { name: graphName, ops: withDims, tensors, inputs, outputs, footer: new Map() };
  const other = new Map<string, string>();
  const opTypes = stringList(doc['op_types']);
  if (opTypes.length > 0) other.set('op_types', opTypes.join(', '));
  const converterCommand: Command | undefined = typeof doc['converter_command'] === 'string' ? parseCommand(doc['converter_command']) : undefined;
  const copyright = typeof doc['copyright_str'] === 'string' && doc['copyright_str'] !== '' ? doc['copyright_str'] : undefined;
  return {
    format: 'qnn-net-json',
    family: 'qnn-net-json',
    file,
    metadata: { ...(converterCommand ? { converterCommand } : {}), ...(copyright ? { copyright } : {}), other },
    graphs: [graph],
    diagnostics: diags.items,
  };
}
