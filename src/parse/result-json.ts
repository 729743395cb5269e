/**
 * A saved dlcverify result as one side of `dlcverify diff`: the JSON that `dlcverify show MODEL
 * --format json` writes for a dump, .dlc or net.json. It is recognised by two top-level keys,
 * `family` and `encodings`; everything else is optional, so older or newer saved files still read:
 *
 * ```json
 * { "family": "qairt-2.2x", "format": "dlc-info-text", "file": "info.txt",
 *   "metadata": { "converterVersion": "2.22.6…", "converterCommand": "snpe-onnx-to-dlc a=1 …" },
 *   "graphs": [ { "name": "g", "ops": [ { "id": 0, "name": "conv", "type": "Conv2d" } ],
 *                 "tensors": [ { "name": "x", "dtype": "uFxp_8", "dims": [1, 3], "role": "activation" } ] } ],
 *   "encodings": [ { "graph": "g", "tensor": "x", "channel": 0, "bitwidth": 8, "min": -1.0, "max": 0.9921875,
 *                    "scale": 0.0078125, "offset": -128, "dtype": "uFxp_8", "layout": "per-channel",
 *                    "axis": 3, "channelCount": 32, "allChannelsPresent": false } ] }
 * ```
 *
 * Precision: a number saved as a string (`"-0.278431385756"`) keeps its printed digits; a number
 * may carry `"precision": {"style": "fixed", "decimals": 12}` (per entry, or `minPrecision` etc. per
 * field); otherwise the family says how the original was printed (2.x dumps `%.12f`, 1.17–1.3x
 * `%.4g`, .dlc float32, net.json float64). Graphs rebuilt from `encodings` alone are marked
 * `encodingsOnly`: a tensor without an encoding there is unknown, not absent.
 */
import {
  InputError,
  type Command,
  type Diagnostic,
  type DlcModel,
  type DumpFamily,
  type Encoding,
  type EncodingLayout,
  type Graph,
  type InputFile,
  type ModelFormat,
  type ModelMetadata,
  type Op,
  type Precision,
  type PrintedNumber,
  type Tensor,
  type TensorRole,
} from '../model.js';

const FAMILIES: readonly DumpFamily[] = [
  'snpe-1.17',
  'snpe-1.2x-1.3x',
  'snpe-1.4x-1.6x',
  'snpe-2.5',
  'snpe-2.12',
  'qairt-2.2x',
  'dlc-v2',
  'dlc-v3',
  'dlc-v4',
  'qnn-net-json',
];
const FORMATS: readonly ModelFormat[] = ['dlc-info-text', 'dlc-info-csv', 'dlc', 'qnn-net-json'];
const LAYOUTS: readonly EncodingLayout[] = ['per-tensor', 'per-channel', 'per-block', 'lpbq', 'vector'];
const ROLES: readonly TensorRole[] = ['activation', 'param', 'graph-input', 'graph-output'];

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when a parsed JSON document is a saved model result (`family` + `encodings`). */
export function isSavedResult(doc: unknown): doc is Json {
  return isRecord(doc) && typeof doc['family'] === 'string' && Array.isArray(doc['encodings']);
}

function familyPrecision(family: DumpFamily, text: string): Precision {
  switch (family) {
    case 'snpe-1.17':
    case 'snpe-1.2x-1.3x':
      return { style: 'significant', digits: 4 };
    case 'snpe-1.4x-1.6x': {
      // `%.12f` in most builds, `%f` in some: more than 6 decimals can only be the former.
      return { style: 'fixed', decimals: decimalsOf(text) > 6 ? 12 : 6 };
    }
    case 'snpe-2.5':
    case 'snpe-2.12':
    case 'qairt-2.2x':
      return { style: 'fixed', decimals: 12 };
    case 'dlc-v2':
    case 'dlc-v3':
    case 'dlc-v4':
      return { style: 'float32' };
    case 'qnn-net-json':
      return { style: 'float64' };
  }
}

function decimalsOf(text: string): number {
  const e = text.search(/[eE]/);
  const mantissa = e >= 0 ? text.slice(0, e) : text;
  const dot = mantissa.indexOf('.');
  return dot >= 0 ? mantissa.length - dot - 1 : 0;
}

function explicitPrecision(v: unknown): Precision | undefined {
  if (!isRecord(v)) return undefined;
  if (v['style'] === 'fixed' && typeof v['decimals'] === 'number') return { style: 'fixed', decimals: v['decimals'] };
  if (v['style'] === 'significant' && typeof v['digits'] === 'number') return { style: 'significant', digits: v['digits'] };
  if (v['style'] === 'float32') return { style: 'float32' };
  if (v['style'] === 'float64') return { style: 'float64' };
  return undefined;
}

/** `inf`, `-inf`, `nan` as the dumps print them, and JSON's own numbers. */
function parseNumberText(text: string): number | undefined {
  const t = text.trim();
  if (t === 'inf' || t === '+inf' || t === 'Infinity') return Number.POSITIVE_INFINITY;
  if (t === '-inf' || t === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (t === 'nan' || t === 'NaN' || t === '-nan') return Number.NaN;
  if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

interface Context {
  readonly file: string;
  readonly family: DumpFamily;
  readonly diagnostics: Diagnostic[];
}

function printed(ctx: Context, entry: Json, field: string, pointer: string): PrintedNumber | undefined {
  const raw = entry[field];
  // A field may be `{ "value": 1.5, "precision": {...} }` (a PrintedNumber as model.ts has it).
  if (isRecord(raw) && (typeof raw['value'] === 'number' || typeof raw['value'] === 'string')) {
    const inner = printed(ctx, { [field]: raw['value'], precision: raw['precision'] }, field, pointer);
    return inner;
  }
  let value: number | undefined;
  let text: string;
  if (typeof raw === 'number') {
    value = raw;
    text = String(raw);
  } else if (typeof raw === 'string') {
    value = parseNumberText(raw);
    text = raw.trim();
  } else {
    return undefined;
  }
  if (value === undefined) {
    ctx.diagnostics.push({
      code: 'DUMP_UNPARSED_ENCODING',
      severity: 'warning',
      detail: `${field} ${JSON.stringify(raw)} is not a number`,
      at: { file: ctx.file, pointer: `${pointer}/${field}` },
    });
    return undefined;
  }
  const precision =
    explicitPrecision(entry[`${field}Precision`]) ??
    explicitPrecision(entry['precision']) ??
    (typeof raw === 'string' && Number.isFinite(value) && !/[eE]/.test(text)
      ? ({ style: 'fixed', decimals: decimalsOf(text) } as const)
      : familyPrecision(ctx.family, text));
  return { value, precision };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * A saved command: its text (`tool a=1 b=2` or `tool; a=1; b=2`) or `{text, tool, options}`.
 * `"N/A"` is the dump's word for "never quantized" (null in the model); JSON `null` means the
 * input did not print the line (undefined: not known, so never compared).
 */
function command(v: unknown): Command | null | undefined {
  if (v === 'N/A') return null;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return commandFromText(v);
  if (!isRecord(v)) return undefined;
  const text = str(v['text']) ?? '';
  const options = new Map<string, string>();
  const raw = v['options'];
  if (Array.isArray(raw)) {
    for (const pair of raw) {
      if (Array.isArray(pair) && typeof pair[0] === 'string') options.set(pair[0], String(pair[1] ?? ''));
      else if (isRecord(pair) && typeof pair['key'] === 'string') options.set(pair['key'], String(pair['value'] ?? ''));
    }
  } else if (isRecord(raw)) {
    for (const key of Object.keys(raw)) options.set(key, String(raw[key] ?? ''));
  } else {
    return commandFromText(text);
  }
  return { text, tool: str(v['tool']) ?? text.split(/[\s;]/, 1)[0] ?? '', options };
}

/**
 * `snpe-onnx-to-dlc adjust_nms_features_dims=True … out_names=['output0']` (≤ 2.22, spaces) or
 * `snpe-onnx-to-dlc; adjust_nms_features_dims=True; …` (2.25+). Values may hold spaces only in
 * the `; ` form; a repeated key keeps its last value.
 */
export function commandFromText(text: string): Command {
  const semicolons = text.includes('; ');
  const parts = semicolons ? text.split('; ') : text.split(/\s+/);
  const tool = (parts.shift() ?? '').trim();
  const options = new Map<string, string>();
  for (const part of parts) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq <= 0) options.set(p, '');
    else options.set(p.slice(0, eq), p.slice(eq + 1));
  }
  return { text, tool, options };
}

function metadataOf(v: unknown): ModelMetadata {
  const m = isRecord(v) ? v : {};
  const other = new Map<string, string>();
  const rawOther = m['other'];
  if (Array.isArray(rawOther)) {
    for (const pair of rawOther) if (Array.isArray(pair) && typeof pair[0] === 'string') other.set(pair[0], String(pair[1] ?? ''));
  } else if (isRecord(rawOther)) {
    for (const key of Object.keys(rawOther)) other.set(key, String(rawOther[key] ?? ''));
  }
  const converterCommand = command(m['converterCommand']);
  const quantizerCommand = command(m['quantizerCommand']);
  const modelVersion = str(m['modelVersion']);
  const copyright = str(m['copyright']);
  const converterVersion = str(m['converterVersion']);
  return {
    ...(modelVersion !== undefined ? { modelVersion } : {}),
    ...(copyright !== undefined ? { copyright } : {}),
    ...(converterCommand ? { converterCommand } : {}),
    ...(quantizerCommand !== undefined ? { quantizerCommand } : {}),
    ...(converterVersion !== undefined ? { converterVersion } : {}),
    other,
  };
}

interface GraphBuild {
  readonly name: string;
  readonly ops: Op[];
  readonly tensors: Map<string, Tensor>;
  readonly encodings: Map<string, { entries: Array<{ e: Encoding; entry: Json }> }>;
  encodingsOnly: boolean;
}

/** Builds a DlcModel from a parsed saved result. Odd entries become diagnostics, never throws on them. */
export function modelFromSavedResult(doc: Json, file: string): DlcModel {
  const family = str(doc['family']);
  if (family === undefined || !(FAMILIES as readonly string[]).includes(family)) {
    throw new InputError('WRONG_FILE', `${file}: "family" is ${JSON.stringify(doc['family'])}; expected one of ${FAMILIES.join(', ')} (a saved \`dlcverify show --format json\`)`, { file, pointer: '/family' });
  }
  const ctx: Context = { file, family: family as DumpFamily, diagnostics: [] };
  const format = str(doc['format']);
  const graphs = new Map<string, GraphBuild>();
  const graphOf = (name: string): GraphBuild => {
    let g = graphs.get(name);
    if (!g) {
      g = { name, ops: [], tensors: new Map(), encodings: new Map(), encodingsOnly: true };
      graphs.set(name, g);
    }
    return g;
  };

  const rawGraphs = Array.isArray(doc['graphs']) ? doc['graphs'] : [];
  rawGraphs.forEach((rg: unknown, gi) => {
    if (!isRecord(rg) || typeof rg['name'] !== 'string') return;
    const g = graphOf(rg['name']);
    if (Array.isArray(rg['ops'])) {
      rg['ops'].forEach((ro: unknown, oi) => {
        if (!isRecord(ro) || typeof ro['name'] !== 'string') return;
        g.ops.push({
          id: num(ro['id']) ?? oi,
          name: ro['name'],
          type: str(ro['type']) ?? '',
          inputs: Array.isArray(ro['inputs']) ? ro['inputs'].map(String) : [],
          outputs: Array.isArray(ro['outputs']) ? ro['outputs'].map(String) : [],
          outDims: [],
          params: [],
          at: { file, pointer: `/graphs/${gi}/ops/${oi}` },
        });
      });
    }
    if (Array.isArray(rg['tensors'])) {
      g.encodingsOnly = false;
      rg['tensors'].forEach((rt: unknown, ti) => {
        if (!isRecord(rt) || typeof rt['name'] !== 'string') return;
        const role = str(rt['role']);
        const dtype = str(rt['dtype']);
        const dims = Array.isArray(rt['dims']) && rt['dims'].every((d) => typeof d === 'number') ? (rt['dims'] as number[]) : undefined;
        const producer = isRecord(rt['producer']) && typeof rt['producer']['op'] === 'string'
          ? { op: rt['producer']['op'], type: str(rt['producer']['type']) ?? '' }
          : undefined;
        g.tensors.set(rt['name'], {
          name: rt['name'],
          graph: g.name,
          role: role !== undefined && (ROLES as readonly string[]).includes(role) ? (role as TensorRole) : 'activation',
          consumers: Array.isArray(rt['consumers']) ? rt['consumers'].map(String) : [],
          ...(dtype !== undefined ? { dtype } : {}),
          ...(dims ? { dims } : {}),
          ...(producer ? { producer } : {}),
          at: { file, pointer: `/graphs/${gi}/tensors/${ti}` },
        });
      });
    }
  });

  const encodings = doc['encodings'] as unknown[];
  encodings.forEach((raw, i) => {
    const pointer = `/encodings/${i}`;
    if (!isRecord(raw) || typeof raw['tensor'] !== 'string') {
      ctx.diagnostics.push({ code: 'DUMP_UNPARSED_ENCODING', severity: 'warning', detail: 'entry without a "tensor" name', at: { file, pointer } });
      return;
    }
    const min = printed(ctx, raw, 'min', pointer);
    const max = printed(ctx, raw, 'max', pointer);
    const scale = printed(ctx, raw, 'scale', pointer);
    const offset = printed(ctx, raw, 'offset', pointer);
    const bitwidth = num(raw['bitwidth']);
    if (!min || !max || !scale || !offset || bitwidth === undefined) {
      ctx.diagnostics.push({
        code: 'DUMP_UNPARSED_ENCODING',
        severity: 'warning',
        detail: `encoding of ${raw['tensor']} lacks one of bitwidth, min, max, scale, offset`,
        at: { file, pointer },
      });
      return;
    }
    const channel = num(raw['channel']);
    const line = num(raw['line']);
    const e: Encoding = {
      ...(channel !== undefined ? { channel } : {}),
      bitwidth,
      min,
      max,
      scale,
      offset,
      ...(typeof raw['isSymmetric'] === 'boolean' ? { isSymmetric: raw['isSymmetric'] } : {}),
      at: line !== undefined ? { file: str(doc['file']) ?? file, line } : { file, pointer },
    };
    const g = graphOf(str(raw['graph']) ?? '');
    const slot = g.encodings.get(raw['tensor']) ?? { entries: [] };
    slot.entries.push({ e, entry: raw });
    g.encodings.set(raw['tensor'], slot);
  });

  const built: Graph[] = [...graphs.values()].map((g) => {
    for (const [name, { entries }] of g.encodings) {
      const first = entries[0]!.entry;
      const channels = entries.map((x) => x.e).sort((a, b) => (a.channel ?? 0) - (b.channel ?? 0));
      const layoutRaw = str(first['layout']);
      const layout: EncodingLayout =
        layoutRaw !== undefined && (LAYOUTS as readonly string[]).includes(layoutRaw)
          ? (layoutRaw as EncodingLayout)
          : channels.some((c) => c.channel !== undefined)
            ? 'per-channel'
            : 'per-tensor';
      const channelCount = num(first['channelCount']);
      const axis = num(first['axis']);
      const allChannelsPresent =
        typeof first['allChannelsPresent'] === 'boolean' ? first['allChannelsPresent'] : channelCount === undefined || channels.length >= channelCount;
      const known = g.tensors.get(name);
      const dtype = known?.dtype ?? str(first['dtype']);
      const role = str(first['role']);
      // `op` is the producer for activations and graph outputs in `show --format json`.
      const op = str(first['op']);
      const producer =
        op !== undefined && (role === 'activation' || role === 'graph-output') ? { op, type: str(first['opType']) ?? '' } : undefined;
      g.tensors.set(name, {
        name,
        graph: g.name,
        consumers: [],
        role: role !== undefined && (ROLES as readonly string[]).includes(role) ? (role as TensorRole) : 'activation',
        ...(producer ? { producer } : {}),
        ...known,
        ...(dtype !== undefined ? { dtype } : {}),
        encoding: {
          layout,
          channels,
          ...(axis !== undefined ? { axis } : {}),
          ...(channelCount !== undefined ? { channelCount } : {}),
          allChannelsPresent,
          ...(typeof first['isOverridden'] === 'boolean' ? { isOverridden: first['isOverridden'] } : {}),
          ...(layout === 'per-block' || layout === 'lpbq' || layout === 'vector' ? { experimental: true } : {}),
        },
        at: known?.at ?? channels[0]!.at,
      });
    }
    return {
      name: g.name,
      ops: g.ops,
      tensors: g.tensors,
      inputs: [],
      outputs: [],
      footer: new Map(),
      ...(g.encodingsOnly ? { encodingsOnly: true } : {}),
    };
  });

  return {
    format: format !== undefined && (FORMATS as readonly string[]).includes(format) ? (format as ModelFormat) : 'dlc-info-text',
    family: family as DumpFamily,
    file,
    metadata: metadataOf(doc['metadata']),
    graphs: built,
    diagnostics: ctx.diagnostics,
  };
}

/** Reads a saved result file (the command has already seen that it is JSON). */
export function readSavedResult(input: InputFile): DlcModel {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(input.bytes()).replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new InputError('BAD_JSON', `${input.name}: not valid JSON (${err instanceof Error ? err.message : String(err)})`, { file: input.name });
  }
  if (!isSavedResult(doc)) {
    throw new InputError(
      'WRONG_FILE',
      `${input.name}: expected a saved \`dlcverify show MODEL --format json\` result (keys "family" and "encodings")`,
      { file: input.name },
    );
  }
  return modelFromSavedResult(doc, input.name);
}
