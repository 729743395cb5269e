/**
 * `dlcverify show <dump|.dlc|net.json>`: every encoding the model holds, as a table, JSON or CSV.
 *
 * ## The `--format json` contract (for scripts; also in the README, "show --format json")
 *
 * ```
 * {
 *   "file": "info.txt", "format": "dlc-info-text", "family": "qairt-2.2x",
 *   "metadata": {
 *     "modelVersion": "N/A" | null, "copyright": … | null, "converterVersion": … | null,
 *     "converterCommand": { "tool": "snpe-onnx-to-dlc", "text": "…", "options": { "key": "value", … } } | null,
 *     "quantizerCommand": { …same… } | "N/A" (the dump says the DLC was never quantized) | null (not printed),
 *     "other": { "Total parameters": "…", … }
 *   },
 *   "graphs": [ { "name": "…", "ops": 239, "tensors": 382, "encodings": 382,
 *                 "inputs": ["images"], "outputs": ["output0"], "footer": { "Ops used by Graph": "…" } } ],
 *   "encodings": [
 *     { "tensor": "images", "graph": "…", "op": "/model.0/conv/Conv", "opType": "Conv2d",
 *       "role": "graph-input" | "graph-output" | "activation" | "param", "dtype": "uFxp_8" | null,
 *       "layout": "per-tensor" | "per-channel" | …, "bitwidth": 8,
 *       "min": -1, "max": 0.9921875, "scale": 0.0078125, "offset": -128,
 *       "channel": 0,                       // only for per-channel encodings that name their channel
 *       "axis": 3, "channelCount": 32, "allChannelsPresent": false,   // per-channel only
 *       "layer": "conv1", "paramKind": "weight",                      // SNPE 1.x params only
 *       "line": 14 }                        // where the dump printed it (null for binary inputs)
 *   ],
 *   "diagnostics": [ { "code": "DUMP_TRUNCATED", "severity": "warning", "detail": "…", "line": 120 } ]
 * }
 * ```
 * - `encodings` holds ONE ELEMENT PER (tensor, channel): a per-tensor encoding is one element, a
 *   per-channel one is one element per printed channel. `scale` is SNPE 1.x's `delta`.
 * - Numbers are JSON numbers; JSON cannot carry non-finite values, so those are the strings
 *   `"inf"`, `"-inf"`, `"nan"`.
 * - `op` is the producer for activations and graph outputs, the first consumer for graph inputs
 *   and 2.x params, and the layer for SNPE 1.x params.
 * - Keys chosen by users (option names, footer labels) are data: a key `__proto__` is an ordinary
 *   property of the printed object.
 */
import { InputError, type DlcModel, type Encoding, type Graph, type PrintedNumber, type Tensor } from '../model.js';
import { formatPrinted } from '../numeric.js';
import { boxTableLines } from './box-table.js';
import { chunked } from './chunks.js';

/** What `show` writes, for a model and for a source alike. */
export const SHOW_FORMATS = ['table', 'json', 'csv'] as const;

export interface ShowRenderOptions {
  readonly format: string;
  readonly graph?: string;
  readonly color: boolean;
}

/** One (tensor, channel) encoding, flat. */
interface EncodingRow {
  readonly tensor: Tensor;
  readonly graph: string;
  readonly op: string | undefined;
  readonly opType: string | undefined;
  readonly encoding: NonNullable<Tensor['encoding']>;
  readonly grid: Encoding;
}

export function renderModel(model: DlcModel, options: ShowRenderOptions): string {
  return [...renderModelChunks(model, options)].join('');
}

/**
 * The same text as `renderModel`, in pieces to write one after the other: an LLM has hundreds of
 * thousands of encodings, one per channel, and no format holds its rows as one string or one array.
 */
export function renderModelChunks(model: DlcModel, options: ShowRenderOptions): Iterable<string> {
  const graphs = selectGraphs(model, options.graph);
  switch (options.format) {
    case 'json':
      return chunked(jsonTexts(model, graphs));
    case 'csv':
      return chunked(csvLines(graphs));
    case 'table':
      return chunked(tableLines(model, graphs, options.color));
    default:
      throw new InputError('USAGE', `show prints a model as table, json or csv, not ${options.format}`);
  }
}

function selectGraphs(model: DlcModel, name: string | undefined): readonly Graph[] {
  if (name === undefined) return model.graphs;
  const found = model.graphs.filter((g) => g.name === name);
  if (found.length === 0) {
    const names = model.graphs.map((g) => g.name).join(', ');
    throw new InputError('USAGE', `${model.file}: no graph named "${name}" (graphs: ${names === '' ? 'none' : names})`);
  }
  return found;
}

/** Every (tensor, channel) encoding of `graphs`, made one at a time as they are read. */
function* encodingRows(graphs: readonly Graph[]): Generator<EncodingRow> {
  for (const graph of graphs) {
    const opTypes = new Map<string, string>();
    for (const op of graph.ops) opTypes.set(op.name, op.type);
    for (const tensor of graph.tensors.values()) {
      const encoding = tensor.encoding;
      if (encoding === undefined) continue;
      const op = tensor.producer?.op ?? tensor.layer ?? tensor.consumers[0];
      const opType = tensor.producer?.type ?? (op === undefined ? undefined : opTypes.get(op));
      for (const grid of encoding.channels) yield { tensor, graph: graph.name, op, opType, encoding, grid };
    }
  }
}

/** How many rows `encodingRows` makes for one graph, without making them. */
function encodingCount(graph: Graph): number {
  let count = 0;
  for (const tensor of graph.tensors.values()) count += tensor.encoding?.channels.length ?? 0;
  return count;
}


// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

/** A JSON number, or "inf"/"-inf"/"nan" (JSON has no non-finite numbers). */
function jsonNumber(n: number): number | string {
  if (Number.isFinite(n)) return n;
  if (Number.isNaN(n)) return 'nan';
  return n > 0 ? 'inf' : '-inf';
}

/** A plain object from user-chosen keys: `__proto__` and `constructor` stay ordinary data. */
function record(entries: Iterable<readonly [string, unknown]>): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

function commandJson(c: NonNullable<DlcModel['metadata']['converterCommand']>): unknown {
  return { tool: c.tool, text: c.text, options: record(c.options) };
}

/** Everything before `encodings`, in document order. */
function jsonHead(model: DlcModel, graphs: readonly Graph[]): Record<string, unknown> {
  const m = model.metadata;
  const q = m.quantizerCommand;
  // By name, as the elements' `graph` field says: two graphs of one name share one count.
  const encodingsByGraph = new Map<string, number>();
  for (const g of graphs) encodingsByGraph.set(g.name, (encodingsByGraph.get(g.name) ?? 0) + encodingCount(g));
  return {
    file: model.file,
    format: model.format,
    family: model.family,
    metadata: {
      modelVersion: m.modelVersion ?? null,
      copyright: m.copyright ?? null,
      converterCommand: m.converterCommand === undefined ? null : commandJson(m.converterCommand),
      quantizerCommand: q === undefined ? null : q === null ? 'N/A' : commandJson(q),
      converterVersion: m.converterVersion ?? null,
      other: record(m.other),
    },
    graphs: graphs.map((g) => ({
      name: g.name,
      ops: g.ops.length,
      tensors: g.tensors.size,
      encodings: encodingsByGraph.get(g.name),
      inputs: g.inputs.map((r) => r.name),
      outputs: g.outputs.map((r) => r.name),
      footer: record(g.footer),
    })),
  };
}

/** One element of `encodings`. */
function encodingJson(r: EncodingRow): Record<string, unknown> {
  const e = r.encoding;
  return {
    tensor: r.tensor.name,
    graph: r.graph,
    op: r.op ?? null,
    opType: r.opType ?? null,
    role: r.tensor.role,
    dtype: r.tensor.dtype ?? null,
    layout: e.layout,
    bitwidth: r.grid.bitwidth,
    min: jsonNumber(r.grid.min.value),
    max: jsonNumber(r.grid.max.value),
    scale: jsonNumber(r.grid.scale.value),
    offset: jsonNumber(r.grid.offset.value),
    ...(r.grid.channel === undefined ? {} : { channel: r.grid.channel }),
    ...(e.layout === 'per-tensor'
      ? {}
      : { axis: e.axis ?? null, channelCount: e.channelCount ?? null, allChannelsPresent: e.allChannelsPresent }),
    ...(e.isOverridden === undefined ? {} : { isOverridden: e.isOverridden }),
    ...(r.grid.isSymmetric === undefined ? {} : { isSymmetric: r.grid.isSymmetric }),
    ...(e.experimental === true ? { experimental: true } : {}),
    ...(r.tensor.layer === undefined ? {} : { layer: r.tensor.layer }),
    ...(r.tensor.paramKind === undefined ? {} : { paramKind: r.tensor.paramKind }),
    line: r.grid.at.line ?? null,
  };
}

/**
 * The document `JSON.stringify(…, null, 2)` writes for the whole model, byte for byte, one
 * `encodings` element at a time: the elements never exist all at once, as objects or as text.
 */
function* jsonTexts(model: DlcModel, graphs: readonly Graph[]): Generator<string> {
  // `{ …head fields\n}` -> `{ …head fields,\n  "encodings": [`
  yield `${JSON.stringify(jsonHead(model, graphs), null, 2).slice(0, -2)},\n  "encodings": [`;
  let first = true;
  for (const r of encodingRows(graphs)) {
    // Two levels deep: 4 more spaces on every line (JSON text never holds a raw newline in a string).
    yield `${first ? '\n' : ',\n'}    ${JSON.stringify(encodingJson(r), null, 2).replace(/\n/g, '\n    ')}`;
    first = false;
  }
  yield first ? '],\n' : '\n  ],\n';
  const diagnostics = model.diagnostics.map((d) => ({ code: d.code, severity: d.severity, detail: d.detail, line: d.at.line ?? null }));
  // `{\n  "diagnostics": …}` -> `  "diagnostics": …}`
  yield `${JSON.stringify({ diagnostics }, null, 2).slice(2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// CSV and table
// ---------------------------------------------------------------------------------------------

const COLUMNS = ['graph', 'tensor', 'op', 'op type', 'role', 'dtype', 'bitwidth', 'min', 'max', 'scale', 'offset', 'channel', 'line', 'flags'] as const;

/** What only a .dlc or a QNN net.json can say: `overridden` (the SDK's isOverridden), `experimental` layouts. */
function flagsOf(r: EncodingRow): string {
  const flags: string[] = [];
  if (r.encoding.isOverridden === true) flags.push('overridden');
  if (r.encoding.experimental === true) flags.push(`experimental ${r.encoding.layout}`);
  return flags.join(' ');
}

function someFlagged(rows: Iterable<EncodingRow>): boolean {
  for (const r of rows) if (flagsOf(r) !== '') return true;
  return false;
}

function cellsOf(r: EncodingRow): string[] {
  const channel = r.grid.channel ?? (r.encoding.layout === 'per-tensor' ? '' : 'all');
  return [
    r.graph,
    r.tensor.name,
    r.op ?? '',
    r.opType ?? '',
    r.tensor.role,
    r.tensor.dtype ?? '',
    String(r.grid.bitwidth),
    printed(r.grid.min),
    printed(r.grid.max),
    printed(r.grid.scale),
    printed(r.grid.offset),
    String(channel),
    r.grid.at.line === undefined ? '' : String(r.grid.at.line),
    flagsOf(r),
  ];
}

function printed(n: PrintedNumber): string {
  return formatPrinted(n);
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function* csvLines(graphs: readonly Graph[]): Generator<string> {
  yield `${COLUMNS.join(',')}\n`;
  for (const r of encodingRows(graphs)) yield `${cellsOf(r).map(csvField).join(',')}\n`;
}

function* tableLines(model: DlcModel, graphs: readonly Graph[], color: boolean): Generator<string> {
  const multiGraph = graphs.length > 1;
  // The flags column only when some encoding has a flag (dumps never do).
  const withFlags = someFlagged(encodingRows(graphs));
  const pick = (cells: readonly string[]): string[] => cells.slice(multiGraph ? 0 : 1, withFlags ? cells.length : cells.length - 1);
  const head = pick(COLUMNS);
  // The look cli-table3 gave it: a red head, grey borders.
  const red = (text: string): string => `\u001b[31m${text}\u001b[39m`;
  const grey = (text: string): string => `\u001b[90m${text}\u001b[39m`;
  const ops = graphs.reduce((n, g) => n + g.ops.length, 0);
  const tensors = graphs.reduce((n, g) => n + g.tensors.size, 0);
  const encodings = graphs.reduce((n, g) => n + encodingCount(g), 0);
  yield `${model.file}: ${model.format}, family ${model.family}\n`;
  yield `${graphs.length} graph(s) (${graphs.map((g) => g.name).join(', ')}), ${ops} op(s), ${tensors} tensor(s), ${encodings} encoding(s)\n`;
  if (model.metadata.quantizerCommand === null) yield 'Quantizer command: N/A (the DLC was never quantized)\n';
  if (encodings > 0) {
    // Rows and cells are made afresh on each pass (one to measure the columns, one to draw): a
    // model has hundreds of thousands of encodings, one per channel, and no line between rows.
    const cells = { *[Symbol.iterator]() { for (const r of encodingRows(graphs)) yield pick(cellsOf(r)); } };
    for (const line of boxTableLines({ head, rows: cells, rowLines: false, ...(color ? { headStyle: red, borderStyle: grey } : {}) })) yield `${line}\n`;
  } else {
    yield 'No encodings: every tensor is float (or the dump holds no op table).\n';
  }
  if (model.diagnostics.length > 0) {
    yield `${model.diagnostics.length} diagnostic(s):\n`;
    for (const d of model.diagnostics) yield `  ${d.at.line === undefined ? '' : `line ${d.at.line}: `}${d.severity} ${d.code}: ${d.detail}\n`;
  }
}
