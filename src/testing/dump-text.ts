/**
 * A dump WRITER: DlcModel -> `snpe-dlc-info` text, as the real tool prints it (DLC-INFO-FORMAT.md
 * §1–§4). Used for round-trip properties (write -> parse gives the same model) and to generate big
 * benchmark inputs; never for verification itself. Not shipped: src/testing/ compiles to
 * dist/testing/ (bench/ imports it from there), which package.json's `files` leaves out.
 *
 * Families written: `qairt-2.2x` (the default: `DLC info of:`, one op table per graph, I/O tables,
 * `-d` per-channel lines unless a tensor says only channel 0 is known), `snpe-2.12` (same cells and
 * encodings, `DLC info for:`, one graph), `snpe-1.4x-1.6x` (8 columns, bare buffer names,
 * `output/weight/bias encoding` with `%.12f`, commands in the footer), `snpe-1.2x-1.3x` and
 * `snpe-1.17` (7 columns, `%.4g`; 1.17 prints one output encoding and no bias encoding).
 *
 * The table rules (§2): a row line is `| ` + each cell padded to its column width + ` `, then `|`;
 * every line of a table has the same length; one op takes max(#inputs, #outputs, #params) lines,
 * the first carrying Id/Name/Type. Cells never wrap.
 *
 * Big models stream: `dumpTextLines` yields one line at a time, and `dumpTextGraphLines` lets a
 * caller write graph after graph without holding them all (the benchmark does).
 */
import type { DlcModel, DumpFamily, Encoding, Graph, IoRow, Op, Tensor, TensorEncoding } from '../model.js';

export type TextFamily = 'snpe-1.17' | 'snpe-1.2x-1.3x' | 'snpe-1.4x-1.6x' | 'snpe-2.12' | 'qairt-2.2x';

export const TEXT_FAMILIES: readonly TextFamily[] = ['snpe-1.17', 'snpe-1.2x-1.3x', 'snpe-1.4x-1.6x', 'snpe-2.12', 'qairt-2.2x'];

export interface DumpWriteOptions {
  /** Which tool generation to imitate. Default: the model's own family when it is a text family, else `qairt-2.2x`. */
  readonly family?: TextFamily;
  /**
   * `-d/--display_all_encodings` (2.x): print every channel the model holds. Default true. When
   * false, or when a tensor holds only channel 0, only channel 0 is printed and the `axis-quant`
   * line says so.
   */
  readonly displayAll?: boolean;
  /** Decimals of fixed-point numbers (`%.12f`; some 1.x builds print `%f` = 6). Default 12. */
  readonly decimals?: number;
  /** Path printed in the first line. Default: `model.file`. */
  readonly dlcPath?: string;
}

/** Options after defaults, shared with the CSV writer. */
export interface ResolvedWriteOptions {
  readonly family: TextFamily;
  readonly displayAll: boolean;
  readonly decimals: number;
  readonly dlcPath: string;
}

export function resolveWriteOptions(model: Pick<DlcModel, 'family' | 'file'>, options: DumpWriteOptions = {}): ResolvedWriteOptions {
  const own = (TEXT_FAMILIES as readonly DumpFamily[]).includes(model.family) ? (model.family as TextFamily) : 'qairt-2.2x';
  return {
    family: options.family ?? own,
    displayAll: options.displayAll ?? true,
    decimals: options.decimals ?? 12,
    dlcPath: options.dlcPath ?? model.file,
  };
}

// ---------------------------------------------------------------------------------------------
// Numbers as printf prints them
// ---------------------------------------------------------------------------------------------

function nonFinite(value: number): string | undefined {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return undefined;
}

/**
 * glibc rounds an exact tie to even (`printf("%.12f", 2**-13)` is `0.000122070312`); JS
 * `toFixed`/`toExponential` round ties up. `long` is the same number with 30 more digits, which
 * shows the tie exactly (a tie's expansion ends right after the kept digits: `…5000`).
 */
function tieToEven(rounded: string, long: string, keptChars: number): string {
  const rest = long.slice(keptChars);
  const tail = rest.startsWith('.') ? rest.slice(1) : rest;
  if (!/^50*$/.test(tail)) return rounded;
  const lastKept = long[keptChars - 1] === '.' ? long[keptChars - 2] : long[keptChars - 1];
  if (lastKept === undefined || Number(lastKept) % 2 === 1) return rounded;
  const truncated = long.slice(0, keptChars);
  return truncated.endsWith('.') ? truncated.slice(0, -1) : truncated;
}

/** C `%.Nf`. JS `toFixed` switches to exponent notation at 1e21; printf never does. */
export function formatFixed(value: number, decimals: number): string {
  const special = nonFinite(value);
  if (special !== undefined) return special;
  if (Math.abs(value) < 1e21) {
    const magnitude = Math.abs(value);
    const long = magnitude.toFixed(Math.min(100, decimals + 30));
    const kept = long.length - Math.min(100, decimals + 30) + decimals - (decimals === 0 ? 1 : 0);
    const text = tieToEven(magnitude.toFixed(decimals), long, kept);
    // printf keeps the sign of a negative value, even one that rounds to zero (`-0.000000000000`).
    return value < 0 || Object.is(value, -0) ? `-${text}` : text;
  }
  const integer = BigInt(Math.trunc(value)).toString();
  return decimals > 0 ? `${integer}.${'0'.repeat(decimals)}` : integer;
}

/** C `%.Pg`: P significant digits, trailing zeros dropped, exponent form when exp < -4 or exp >= P. */
export function formatSignificant(value: number, digits: number): string {
  const special = nonFinite(value);
  if (special !== undefined) return special;
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const magnitude = Math.abs(value);
  const longExp = magnitude.toExponential(Math.min(100, digits - 1 + 30));
  const longMantissa = longExp.slice(0, longExp.indexOf('e'));
  const roundedExp = magnitude.toExponential(digits - 1); // "1.235e-5": rounding decides the exponent
  const keptMantissa = tieToEven(roundedExp.slice(0, roundedExp.indexOf('e')), longMantissa, digits === 1 ? 1 : digits + 1);
  // A tie kept down never changes the exponent; a tie rounded up may (9.9995 -> 1.000e+01).
  const expPart = keptMantissa === roundedExp.slice(0, roundedExp.indexOf('e')) ? roundedExp.slice(roundedExp.indexOf('e')) : longExp.slice(longExp.indexOf('e'));
  const sign = value < 0 ? '-' : '';
  const exp = `${sign}${keptMantissa}${expPart}`;
  const e = Number(exp.slice(exp.indexOf('e') + 1));
  if (e < -4 || e >= digits) {
    const [mantissa = '', power = ''] = exp.split('e');
    const powerSign = power.startsWith('-') ? '-' : '+';
    const powerDigits = power.replace(/^[+-]/, '').padStart(2, '0');
    return `${stripZeros(mantissa)}e${powerSign}${powerDigits}`;
  }
  return stripZeros(formatFixed(value, Math.max(0, digits - 1 - e)));
}

function stripZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

// ---------------------------------------------------------------------------------------------
// Encoding texts
// ---------------------------------------------------------------------------------------------

function is1x(family: TextFamily): boolean {
  return family === 'snpe-1.17' || family === 'snpe-1.2x-1.3x' || family === 'snpe-1.4x-1.6x';
}

function numberFormatter(options: ResolvedWriteOptions): (value: number) => string {
  if (options.family === 'snpe-1.17' || options.family === 'snpe-1.2x-1.3x') return (v) => formatSignificant(v, 4);
  const decimals = options.decimals;
  return (v) => formatFixed(v, decimals);
}

/** `bitwidth 8, min …, max …, scale …, offset …` (2.x, also the I/O table Encoding Info cell). */
export function grid2x(encoding: Encoding, num: (v: number) => string): string {
  return `bitwidth ${encoding.bitwidth}, min ${num(encoding.min.value)}, max ${num(encoding.max.value)}, scale ${num(encoding.scale.value)}, offset ${num(encoding.offset.value)}`;
}

/** `min …, max …, delta …, offset … bitwidth 8` (1.x: `delta`, no comma before bitwidth). */
function grid1x(encoding: Encoding, num: (v: number) => string): string {
  return `min ${num(encoding.min.value)}, max ${num(encoding.max.value)}, delta ${num(encoding.scale.value)}, offset ${num(encoding.offset.value)} bitwidth ${encoding.bitwidth}`;
}

function channelsToPrint(te: TensorEncoding, displayAll: boolean): readonly Encoding[] {
  if (te.layout === 'per-tensor' || te.channels.length === 0) return te.channels.slice(0, 1);
  return displayAll && te.allChannelsPresent ? te.channels : te.channels.slice(0, 1);
}

/** The 2.x Parameters lines of one tensor's encoding (DLC-INFO-FORMAT.md §4). */
export function encodingLines2x(name: string, te: TensorEncoding, options: ResolvedWriteOptions): string[] {
  const num = numberFormatter(options);
  if (te.layout === 'per-tensor') {
    const only = te.channels[0];
    return only ? [`${name} encoding : ${grid2x(only, num)}`] : [];
  }
  const printed = channelsToPrint(te, options.displayAll);
  const lines = printed.map((c, i) => `${name} encoding for channel_${c.channel ?? i}: ${grid2x(c, num)}`);
  const count = te.channelCount ?? te.channels.length;
  const axis = te.axis ?? 0;
  const partial = printed.length < count;
  lines.push(
    partial
      ? `axis-quant: axis: ${axis}, num_elements: ${count} (above encoding is only for the first (channel_0) of ${count} channels)`
      : `axis-quant: axis: ${axis}, num_elements: ${count}`,
  );
  return lines;
}

/** A 1.x `output encoding` / `weight encoding N` / `bias encoding` entry (with its `axis-quant`). */
function encodingLines1x(label: string, te: TensorEncoding, options: ResolvedWriteOptions): string[] {
  const num = numberFormatter(options);
  const first = te.channels[0];
  if (!first) return [];
  const lines = [`${label}: ${grid1x(first, num)}`];
  if (te.layout !== 'per-tensor' && te.axis !== undefined) {
    lines.push(`axis-quant: axis: ${te.axis}, num_elements: ${te.channelCount ?? te.channels.length}`);
  }
  return lines;
}

/**
 * Parser output may keep encoding lines among an op's params; the writer regenerates those from
 * the tensors, so it skips them here. Plain string tests: no regex on user text.
 */
function isEncodingParam(text: string): boolean {
  return (
    text.startsWith('axis-quant:') ||
    text.includes(' encoding : ') ||
    text.includes(' encoding for channel_') ||
    text.startsWith('output encoding') ||
    text.startsWith('weight encoding') ||
    text.startsWith('bias encoding')
  );
}

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

/** A table whose lines are all padded to the same length: `| a   | b |`. */
export function padRow(cells: readonly string[], widths: readonly number[], extraPad = 0): string {
  let line = '';
  for (let i = 0; i < widths.length; i++) {
    const cell = cells[i] ?? '';
    line += '| ' + cell + ' '.repeat(widths[i]! + extraPad - cell.length) + ' ';
  }
  return line + '|';
}

export function columnWidths(header: readonly string[], rows: Iterable<readonly string[]>): number[] {
  const widths = header.map((h) => h.length);
  for (const row of rows) {
    for (let i = 0; i < widths.length; i++) {
      const n = row[i]?.length ?? 0;
      if (n > widths[i]!) widths[i] = n;
    }
  }
  return widths;
}

export function opHeader(family: TextFamily): string[] {
  return family === 'snpe-1.17' || family === 'snpe-1.2x-1.3x'
    ? ['Id', 'Name', 'Type', 'Inputs', 'Outputs', 'Out Dims', 'Parameters']
    : ['Id', 'Name', 'Type', 'Inputs', 'Outputs', 'Out Dims', 'Runtimes', 'Parameters'];
}

function tensorCell(name: string, graph: Graph, family: TextFamily): string {
  if (is1x(family)) return name;
  const t = graph.tensors.get(name);
  const dtype = t?.dtype ?? 'Float_32';
  const dims = (t?.dims ?? []).join(family === 'snpe-2.12' ? ', ' : ',');
  const type = t?.tensorType ?? tensorTypeOfRole(t);
  return `${name} (data type: ${dtype}; tensor dimension: [${dims}]; tensor type: ${type})${type === 'APP_WRITE' ? ' [NW Input]' : ''}`;
}

function tensorTypeOfRole(t: Tensor | undefined): string {
  switch (t?.role) {
    case 'graph-input':
      return 'APP_WRITE';
    case 'graph-output':
      return 'APP_READ';
    case 'param':
      return 'STATIC';
    default:
      return 'NATIVE';
  }
}

/** 1.x param tensors of each layer (`weight encoding` / `bias encoding`), in tensor order. */
function paramsByLayer(graph: Graph): Map<string, Tensor[]> {
  const byLayer = new Map<string, Tensor[]>();
  for (const t of graph.tensors.values()) {
    if (t.layer === undefined || t.paramKind === undefined) continue;
    const list = byLayer.get(t.layer);
    if (list) list.push(t);
    else byLayer.set(t.layer, [t]);
  }
  return byLayer;
}

/** The Parameters list of one op, encodings first (§3 for 1.x, §4 for 2.x). */
function parameterCells(op: Op, graph: Graph, options: ResolvedWriteOptions, layerParams: Map<string, Tensor[]>): string[] {
  const cells: string[] = [];
  const family = options.family;
  if (is1x(family)) {
    const outputs = family === 'snpe-1.17' ? op.outputs.slice(0, 1) : op.outputs;
    for (const out of outputs) {
      const te = graph.tensors.get(out)?.encoding;
      if (te) cells.push(...encodingLines1x('output encoding', te, options));
    }
    const params = layerParams.get(op.name) ?? [];
    let weightIndex = 0;
    for (const t of params) {
      if (t.paramKind !== 'weight' || !t.encoding) continue;
      cells.push(...encodingLines1x(weightIndex === 0 ? 'weight encoding' : `weight encoding ${weightIndex}`, t.encoding, options));
      weightIndex++;
    }
    if (family !== 'snpe-1.17') {
      for (const t of params) {
        if (t.paramKind === 'bias' && t.encoding) cells.push(...encodingLines1x('bias encoding', t.encoding, options));
      }
    }
  } else {
    for (const kind of ['APP_WRITE', 'STATIC'] as const) {
      for (const inp of op.inputs) {
        const t = graph.tensors.get(inp);
        if (t?.encoding && (t.tensorType ?? tensorTypeOfRole(t)) === kind) cells.push(...encodingLines2x(inp, t.encoding, options));
      }
    }
    for (const out of op.outputs) {
      const t = graph.tensors.get(out);
      if (t?.encoding) cells.push(...encodingLines2x(out, t.encoding, options));
    }
  }
  for (const p of op.params) {
    const text = `${p.name}: ${p.value}`;
    if (!isEncodingParam(text)) cells.push(text);
  }
  return cells;
}

/** The physical rows (cells, unpadded) of one op: N = max(#inputs, #outputs, #params) lines. */
export function opRows(op: Op, graph: Graph, options: ResolvedWriteOptions, layerParams: Map<string, Tensor[]>): string[][] {
  const params = parameterCells(op, graph, options, layerParams);
  const inputs = op.inputs.map((n) => tensorCell(n, graph, options.family));
  const outputs = op.outputs.map((n) => tensorCell(n, graph, options.family));
  const n = Math.max(1, inputs.length, outputs.length, params.length);
  const withRuntimes = opHeader(options.family).length === 8;
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const first = i === 0;
    const row = [
      first ? String(op.id) : '',
      first ? op.name : '',
      first ? op.type : '',
      inputs[i] ?? '',
      outputs[i] ?? '',
      op.outDims[i] ?? '',
    ];
    if (withRuntimes) row.push(first ? 'A D G C' : '');
    row.push(params[i] ?? '');
    rows.push(row);
  }
  return rows;
}

/** Every physical row of a graph's op table (computed once: widths need them all). */
export function graphOpRows(graph: Graph, options: ResolvedWriteOptions): string[][] {
  const layerParams = is1x(options.family) ? paramsByLayer(graph) : new Map<string, Tensor[]>();
  const rows: string[][] = [];
  for (const op of graph.ops) for (const row of opRows(op, graph, options, layerParams)) rows.push(row);
  return rows;
}

export function ioCells(row: IoRow, options: ResolvedWriteOptions): string[] {
  const num = numberFormatter(options);
  return [row.name, row.dims, row.dtype, row.encoding ? grid2x(row.encoding, num) : 'No encoding info for this tensor'];
}

const DEFAULT_NOTE = 'The supported runtimes column assumes a processor target of Snapdragon 855';
const KEY_LINES = ['Key : A:AIP', '      D:DSP', '      G:GPU', '      C:CPU'];

/** The `Note:` line (the parser keeps it among the footer labels) and the runtimes key. */
export function noteLines(graph: Graph | undefined, model?: DlcModel): string[] {
  const note = graph?.footer.get('Note') ?? model?.metadata.other.get('Note') ?? DEFAULT_NOTE;
  return [`Note: ${note}`, ...KEY_LINES];
}

/** Multi-line footer values (`Est. Steady-State Memory Needed to Run:` then `- On Linux CPU: …`), joined with `; ` by the parser. */
const MULTI_LINE_LABEL = 'Est. Steady-State Memory Needed to Run';

function* ioTableLines(title: string, rows: readonly IoRow[], options: ResolvedWriteOptions): Generator<string> {
  const header = [title, 'Dimensions', 'Type', 'Encoding Info'];
  const cells = rows.map((r) => ioCells(r, options));
  // The I/O tables pad one space more than the op table (`| images      | 1,640,640,3  |`).
  const widths = columnWidths(header, cells);
  const dashes = '-'.repeat(padRow(header, widths, 1).length);
  yield dashes;
  yield padRow(header, widths, 1);
  yield dashes;
  for (const row of cells) yield padRow(row, widths, 1);
  yield dashes;
}

export function* footerLines(footer: ReadonlyMap<string, string>, family?: TextFamily): Generator<string> {
  for (const [label, value] of footer) {
    if (label === 'Note') continue;
    if (label === MULTI_LINE_LABEL && value.startsWith('On ')) {
      yield `${label}: `;
      for (const part of value.split('; ')) yield `- ${part}`;
    } else if (label === 'Total parameters' && family === 'snpe-1.17') {
      yield `Total parameters ${value}`; // 1.17 prints no colon here
    } else {
      yield `${label}: ${value}`;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Whole dumps
// ---------------------------------------------------------------------------------------------

/** `N/A` when the DLC was never quantized (`null`); empty when the dump printed nothing (`undefined`). */
function commandText(command: { readonly text: string } | null | undefined): string {
  if (command === null) return 'N/A';
  return command?.text ?? '';
}

/** Header lines up to the first graph (2.x) or up to the op table (1.x). */
export function* dumpTextHeaderLines(model: DlcModel, options: ResolvedWriteOptions): Generator<string> {
  const md = model.metadata;
  switch (options.family) {
    case 'qairt-2.2x':
      yield `DLC info of: ${options.dlcPath}`;
      yield ' '.repeat(100);
      break;
    case 'snpe-1.17':
      yield `DLC info for ${options.dlcPath}`;
      break;
    default:
      yield `DLC info for: ${options.dlcPath}`;
  }
  yield `Model Version: ${md.modelVersion ?? 'N/A'}`;
  if (options.family !== 'snpe-1.17') yield `Model Copyright:${md.copyright ?? 'N/A'}`;
  if (!is1x(options.family)) {
    yield `Converter command: ${commandText(md.converterCommand)}`;
    yield `Quantizer command: ${commandText(md.quantizerCommand)}`;
    yield `DLC created with converter version: ${md.converterVersion ?? ''}`;
  }
}

/** One graph block: 2.2x writes `=`, `Info of graph:`, the op table, Note/Key, I/O tables, footer. */
export function* dumpTextGraphLines(graph: Graph, options: ResolvedWriteOptions, model?: DlcModel): Generator<string> {
  const header = opHeader(options.family);
  const rows = graphOpRows(graph, options);
  const widths = columnWidths(header, rows);
  const headerLine = padRow(header, widths);
  const dashes = '-'.repeat(headerLine.length);
  if (options.family === 'qairt-2.2x') {
    yield '='.repeat(headerLine.length);
    yield `Info of graph: ${graph.name}`;
  }
  yield dashes;
  yield headerLine;
  yield dashes;
  for (const row of rows) yield padRow(row, widths);
  if (options.family === 'snpe-1.17') return; // 1.17 closes the table with no separator and prints no Note/Key
  yield dashes;
  yield* noteLines(graph, model);
  yield '';
  if (is1x(options.family)) return;
  yield* ioTableLines('Input Name', graph.inputs, options);
  yield* ioTableLines('Output Name', graph.outputs, options);
  yield* footerLines(graph.footer);
}

const HEADER_LABELS = new Set(['Model Version', 'Model Copyright', 'Converter command', 'Quantizer command', 'DLC created with converter version']);

/** 1.x footer: the totals, then the commands and version, then the rest (`Layers used by DLC`, memory). No closing dashes. */
export function* footer1xLines(model: DlcModel, options: ResolvedWriteOptions): Generator<string> {
  const md = model.metadata;
  const labels = new Map([...(model.graphs[0]?.footer ?? []), ...md.other].filter(([label]) => !HEADER_LABELS.has(label)));
  const totals = new Map([...labels].filter(([label]) => TOTALS.has(label)));
  const rest = new Map([...labels].filter(([label]) => !TOTALS.has(label)));
  yield* footerLines(totals, options.family);
  if (md.converterCommand) yield `Converter command: ${md.converterCommand.text}`;
  if (options.family !== 'snpe-1.17' && md.quantizerCommand !== undefined) yield `Quantizer command: ${commandText(md.quantizerCommand)}`;
  if (md.converterVersion !== undefined) yield `DLC created with converter version: ${md.converterVersion}`;
  yield* footerLines(rest, options.family);
}

const TOTALS = new Set(['Total parameters', 'Total MACs per inference']);

function* dumpText1xFooterLines(model: DlcModel, options: ResolvedWriteOptions, tableWidth: number): Generator<string> {
  yield* footer1xLines(model, options);
  if (options.family === 'snpe-1.4x-1.6x') {
    yield '-'.repeat(tableWidth);
    yield '';
  }
}

/** The dump, line by line (no line terminators). */
export function* dumpTextLines(model: DlcModel, options: DumpWriteOptions = {}): Generator<string> {
  const resolved = resolveWriteOptions(model, options);
  yield* dumpTextHeaderLines(model, resolved);
  if (is1x(resolved.family) || resolved.family === 'snpe-2.12') {
    // One table: 1.x and 2.12 have no graph blocks (a multi-graph model writes its first graph).
    const graph = model.graphs[0];
    let tableWidth = 0;
    if (graph) {
      for (const line of dumpTextGraphLines(graph, resolved, model)) {
        if (tableWidth === 0 && line.startsWith('| Id')) tableWidth = line.length;
        yield line;
      }
    }
    if (is1x(resolved.family)) yield* dumpText1xFooterLines(model, resolved, tableWidth);
    return;
  }
  for (const graph of model.graphs) yield* dumpTextGraphLines(graph, resolved, model);
}

/** The whole dump as one string, `\n`-terminated lines. */
export function writeDumpText(model: DlcModel, options: DumpWriteOptions = {}): string {
  const parts: string[] = [];
  for (const line of dumpTextLines(model, options)) parts.push(line);
  return parts.join('\n') + '\n';
}
