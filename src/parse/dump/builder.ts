/**
 * The core of the dump parser, shared by text and CSV mode: it receives logical events (a header
 * line, a text line, a table row as cells, a separator) and builds the `DlcModel`.
 *
 * Family rules live here (DLC-INFO-FORMAT.md §1, §3, §4):
 * - `DLC info for /p` (no colon) is SNPE 1.17; `DLC info of: /p` is 2.2x+; `DLC info for: /p` is
 *   1.2x–1.3x (7 columns), 1.4x–1.6x (8 columns, bare buffer names), 2.5 (`name (Float_32)`) or
 *   2.12 (`name (data type: …)`), told apart by the op table.
 * - SNPE 1.x encodings do not name their tensor: `output encoding` lines map to the layer's
 *   outputs by position; `weight encoding`, `weight encoding K`, `bias encoding` become param
 *   tensors `<layer>.weight`, `<layer>.weight_K`, `<layer>.bias` (see `Tensor.layer` in model.ts).
 * - 2.x encodings name their tensor; inputs' encodings are repeated in every consumer, so a
 *   tensor printed twice must carry the same encoding (else DUMP_ENCODING_CONFLICT, first kept).
 */
import type {
  DlcModel,
  DumpFamily,
  Encoding,
  Graph,
  IoRow,
  Location,
  ModelMetadata,
  Op,
  OpParam,
  Command,
  Precision,
  PrintedNumber,
  Tensor,
  TensorEncoding,
  TensorRole,
} from '../../model.js';
import { cellStyle, parseTensorCell, type CellStyle, type TensorCell } from './cells.js';
import { parseCommand } from './commands.js';
import type { DiagnosticSink } from './diagnostics.js';
import { classifyParam1x, classifyParam2x, EncodingFields, mentionsEncodingEntry, readEncodingBody, type ParamEntry } from './encoding-line.js';
import type { NumberStyle } from './numbers.js';

type HeaderKind = 'for-nocolon' | 'for' | 'of' | 'none';

interface MutTensor {
  name: string;
  graph: string;
  dtype?: string;
  dims?: readonly number[];
  tensorType?: string;
  nwInput: boolean;
  dataLayerOutput: boolean;
  producer?: { op: string; type: string };
  consumers: string[];
  encoding?: TensorEncoding;
  layer?: string;
  paramKind?: 'weight' | 'bias';
  line: number;
}

interface MutGraph {
  name: string;
  ops: Op[];
  tensors: Map<string, MutTensor>;
  inputs: IoRow[];
  outputs: IoRow[];
  footer: Map<string, string>;
  /** Raw Inputs/Outputs cell -> tensor: a tensor cell repeats in every consumer, parse it once. */
  cells: Map<string, MutTensor>;
}

interface Cell {
  readonly text: string;
  readonly line: number;
}

interface PendingOp {
  id: number;
  name: string;
  type: string;
  inputs: Cell[];
  outputs: Cell[];
  outDims: string[];
  params: Cell[];
  line: number;
}

interface OpColumns {
  readonly count: number;
  readonly id: number;
  readonly name: number;
  readonly type: number;
  readonly inputs: number;
  readonly outputs: number;
  readonly outDims: number;
  readonly params: number;
}

type Table =
  | { kind: 'ops'; columns: OpColumns; rows: number; line: number }
  | { kind: 'io'; which: 'inputs' | 'outputs' | 'unconsumed'; columns: number; rows: number; line: number }
  | { kind: 'other'; title: string; rows: number; line: number };

/** Labels of header/footer lines that prove the dump reached its footer. */
const FOOTER_LABELS = new Set([
  'Total parameters',
  'Total MACs per inference',
  'Converter command',
  'Quantizer command',
  'DLC created with converter version',
  'Layers used by DLC',
  'Ops used by DLC',
  'Ops used by Graph',
  'Est. Steady-State Memory Needed to Run',
]);

/**
 * A copy of `s` that does not pin the text it was sliced from. Lines come from 1 MiB chunks and
 * V8 slices share their parent: a kept slice would keep its whole chunk alive, making memory
 * follow the file instead of the model. Concatenation then slicing flattens into a small string.
 */
export function keep(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** One shared copy of strings that repeat (dtypes, tensor types, op types). */
const POOL_LIMIT = 10_000;

function isNonNegativeInteger(s: string): boolean {
  if (s.length === 0 || s.length > 15) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function sameGrid(a: Encoding, b: Encoding): boolean {
  return (
    a.channel === b.channel &&
    a.bitwidth === b.bitwidth &&
    sameNumber(a.min.value, b.min.value) &&
    sameNumber(a.max.value, b.max.value) &&
    sameNumber(a.scale.value, b.scale.value) &&
    sameNumber(a.offset.value, b.offset.value)
  );
}

function sameEncoding(a: TensorEncoding, b: TensorEncoding): boolean {
  if (a.layout !== b.layout || a.channels.length !== b.channels.length || a.axis !== b.axis || a.channelCount !== b.channelCount) return false;
  for (let i = 0; i < a.channels.length; i++) if (!sameGrid(a.channels[i]!, b.channels[i]!)) return false;
  return true;
}

function describeGrid(e: Encoding): string {
  return `bitwidth ${e.bitwidth}, min ${e.min.value}, max ${e.max.value}, scale ${e.scale.value}, offset ${e.offset.value}`;
}

function basenameWithoutExtension(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const base = path.slice(slash + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

export class DumpBuilder {
  private headerKind: HeaderKind = 'none';
  private dlcPath = '';
  private readonly graphs: MutGraph[] = [];
  private graph: MutGraph | undefined;
  private table: Table | undefined;
  private tableWidth: number | undefined;
  private lastSeparator: { line: number; width: number } | undefined;
  private op: PendingOp | undefined;
  private opColumnCount: number | undefined;
  private style: CellStyle | undefined;
  private dimsSpaced: boolean | undefined;
  private encodingColonStyle: '2.5' | '2.12' | undefined;
  private opTables = 0;
  private footerSinceOpTable = true;
  private opTableOpenAtEnd = false;
  private nextTableTitle: string | undefined;
  private lastLabel: { map: Map<string, string>; label: string } | undefined;
  private started = false;
  // metadata
  private modelVersion: string | undefined;
  private copyright: string | undefined;
  private converterCommand: Command | undefined;
  private quantizerCommand: Command | null | undefined;
  private converterVersion: string | undefined;
  private readonly other = new Map<string, string>();
  private readonly pool = new Map<string, string>();
  /** Where every encoding body is read (copied into the store right after). */
  private readonly fields = new EncodingFields();
  private readonly encodings: EncodingStore;

  constructor(
    private readonly file: string,
    private readonly diags: DiagnosticSink,
  ) {
    this.encodings = new EncodingStore(file);
  }

  get hasStarted(): boolean {
    return this.started;
  }

  // -------------------------------------------------------------------------------------------
  // Events
  // -------------------------------------------------------------------------------------------

  /** `DLC info for: /path` (1.4x+, 2.5, 2.12), `DLC info for /path` (1.17), `DLC info of: /path` (2.2x+). */
  header(text: string, line: number): void {
    if (this.started) {
      this.diags.add('DUMP_UNKNOWN_LINE', `a second \`DLC info\` header (two dumps in one file?): read as part of the first`, line);
      return;
    }
    this.started = true;
    let rest: string;
    if (text.startsWith('DLC info of')) {
      // `DLC info of: /p` (2.2x–2.25); `qairt-dlc-info` 2.26+ is assumed to print the same.
      this.headerKind = 'of';
      rest = text.slice(text.startsWith('DLC info of:') ? 'DLC info of:'.length : 'DLC info of'.length);
    } else if (text.startsWith('DLC info for:')) {
      this.headerKind = 'for';
      rest = text.slice('DLC info for:'.length);
    } else {
      this.headerKind = 'for-nocolon';
      rest = text.slice('DLC info for'.length);
    }
    this.dlcPath = keep(rest.trim());
  }

  /** A dump fragment without its `DLC info` line (a pasted tail, an I/O table). */
  startFragment(line: number): void {
    this.started = true;
    this.headerKind = 'none';
    this.diags.add('DUMP_HEADER_MISSING', 'no `DLC info for:`/`DLC info of:` line: read as a fragment of a dump', line);
  }

  elision(line: number): void {
    this.diags.add('DUMP_ELIDED_ROWS', 'rows were elided by hand (`...`): the ops and encodings they held are not in the model', line);
  }

  separator(line: number, width: number | undefined): void {
    const t = this.table;
    if (t === undefined) {
      this.lastSeparator = width === undefined ? undefined : { line, width };
      return;
    }
    if (width !== undefined && this.tableWidth !== undefined && width !== this.tableWidth) {
      this.diags.add('DUMP_SEPARATOR_LENGTH', `separator line of ${width} characters, the table's lines are ${this.tableWidth}`, line);
    }
    if (t.rows > 0) this.closeTable();
  }

  textLine(text: string, line: number): void {
    if (this.table !== undefined) this.closeTable();
    if (text.length === 0 || text.trim().length === 0) return;
    if (text.startsWith('DLC info for') || text.startsWith('DLC info of')) {
      this.header(text, line);
      return;
    }
    if (text.startsWith('Info of graph:')) {
      this.beginGraph(keep(text.slice('Info of graph:'.length).trim()), line);
      return;
    }
    if (text.startsWith('- ') && this.lastLabel !== undefined) {
      // `Est. Steady-State Memory Needed to Run: ` then `- On Linux CPU: 89.0 MiB` lines.
      const { map, label } = this.lastLabel;
      const before = map.get(label) ?? '';
      map.set(label, keep(before === '' ? text.slice(2).trim() : `${before}; ${text.slice(2).trim()}`));
      return;
    }
    // `Key : A:AIP` then `      D:DSP`, `      G:GPU`, `      C:CPU`: the runtimes legend
    // (every real dump; the regex matches `      D:DSP`, on short lines only).
    if (text.startsWith('Key : ') || /^ +[A-Z]:[A-Z]+$/.test(text.length < 40 ? text : '')) return;
    if (text.startsWith('Total parameters ') && !text.startsWith('Total parameters:')) {
      // 1.17 prints `Total parameters 176099 (0 MB assuming single precision float)`.
      this.label('Total parameters', text.slice('Total parameters '.length).trim(), line);
      return;
    }
    if (text.endsWith(' Info:') || text === 'AIP Info:' || text === 'Cache Info:') {
      this.nextTableTitle = keep(text.slice(0, -1));
      return;
    }
    if (holdsEncoding(text)) {
      // An op row that lost its table (damaged header or separator): never file it as metadata.
      this.diags.add('DUMP_UNPARSED_ENCODING', `an encoding outside any op table: not read: \`${text.length > 120 ? `${text.slice(0, 120)}…` : text}\``, line);
      return;
    }
    const colon = text.indexOf(':');
    if (colon > 0 && colon < 80) {
      this.label(text.slice(0, colon).trim(), text.slice(colon + 1).trim(), line);
      return;
    }
    if (text.startsWith('Weights have been stripped')) {
      this.other.set('Weights', keep(text.trim()));
      return;
    }
    this.diags.add('DUMP_UNKNOWN_LINE', `not recognised: \`${text.length > 120 ? `${text.slice(0, 120)}…` : text}\``, line);
  }

  /** A table row as cells; `width` is the text line's length (undefined in CSV). */
  row(cells: readonly string[], line: number, width?: number): void {
    const first = cells[0] ?? '';
    if (first === 'Id' && cells[1] === 'Name') {
      this.startOpTable(cells, line, width);
      // A header merged with the row after it (a lost line break) must not hide that row's encoding.
      this.reportUnreadEncoding(cells, line);
      return;
    }
    if (first === 'Input Name' || first === 'Output Name' || first === 'Unconsumed Tensor Name') {
      this.startTable({ kind: 'io', which: first === 'Input Name' ? 'inputs' : first === 'Output Name' ? 'outputs' : 'unconsumed', columns: cells.length, rows: 0, line }, width, line);
      this.reportUnreadEncoding(cells, line);
      return;
    }
    let t = this.table;
    if (t === undefined) {
      if (isNonNegativeInteger(first) || (first === '' && cells.length >= 7)) {
        // Op rows with no header row before them (a pasted tail): assume the usual columns.
        if (this.opColumnCount === undefined && this.headerKind !== 'none') {
          this.diags.add('DUMP_HEADER_MISSING', 'op rows without their `| Id | Name | …` header row: columns assumed from the row', line);
        }
        this.startOpTable(cells.length === 7 ? ['Id', 'Name', 'Type', 'Inputs', 'Outputs', 'Out Dims', 'Parameters'] : ['Id', 'Name', 'Type', 'Inputs', 'Outputs', 'Out Dims', 'Runtimes', 'Parameters'], line, width);
        t = this.table!;
      } else {
        this.startTable({ kind: 'other', title: this.nextTableTitle ?? keep(first), rows: 0, line }, width, line);
        this.nextTableTitle = undefined;
        this.reportUnreadEncoding(cells, line);
        return;
      }
    }
    t.rows++;
    if (t.kind === 'ops') this.opRow(t.columns, cells, line);
    else if (t.kind === 'io') this.ioRow(t.which, t.columns, cells, line);
    else this.reportUnreadEncoding(cells, line);
  }

  /**
   * Inside an op whose table ends with its Parameters column: the number of cells before it (text
   * mode then hands continuation rows holding only a Parameters entry to `paramRow`, unsplit).
   */
  get blankCellsBeforeParams(): number | undefined {
    const t = this.table;
    if (t === undefined || t.kind !== 'ops' || this.op === undefined || t.columns.params !== t.columns.count - 1) return undefined;
    return t.columns.count - 1;
  }

  /** A continuation row whose cells are all blank but its (non-blank) Parameters: what `row` does with it. */
  paramRow(param: string, line: number): void {
    this.table!.rows++;
    this.op!.params.push({ text: param, line });
  }

  /** A row of a table that is not read (damaged header, unknown table) may still hold an encoding: say so, per line. */
  private reportUnreadEncoding(cells: readonly string[], line: number): void {
    // Joined: a text row read as CSV (a damaged file detected as CSV) splits `bitwidth 8, min …` in two.
    const text = cells.join(',');
    if (holdsEncoding(text) || (text.includes('bitwidth ') && text.includes(', min '))) {
      this.diags.add('DUMP_UNPARSED_ENCODING', `an encoding in a table that is not read: \`${text.length > 120 ? `${text.slice(0, 120)}…` : text}\``, line);
    }
  }

  private intern(s: string): string {
    const found = this.pool.get(s);
    if (found !== undefined) return found;
    const k = keep(s);
    if (this.pool.size < POOL_LIMIT) this.pool.set(k, k);
    return k;
  }

  // -------------------------------------------------------------------------------------------
  // Tables
  // -------------------------------------------------------------------------------------------

  private startTable(table: Table, width: number | undefined, line: number): void {
    if (this.table !== undefined) this.closeTable();
    this.table = table;
    this.tableWidth = width;
    const sep = this.lastSeparator;
    if (sep !== undefined && width !== undefined && sep.line === line - 1 && sep.width !== width) {
      this.diags.add('DUMP_SEPARATOR_LENGTH', `separator line of ${sep.width} characters, the table's lines are ${width}`, sep.line);
    }
    this.lastSeparator = undefined;
  }

  private startOpTable(header: readonly string[], line: number, width: number | undefined): void {
    const index = (name: string, fallback: number): number => {
      const i = header.indexOf(name);
      return i === -1 ? fallback : i;
    };
    const columns: OpColumns = {
      count: header.length,
      id: index('Id', 0),
      name: index('Name', 1),
      type: index('Type', 2),
      inputs: index('Inputs', 3),
      outputs: index('Outputs', 4),
      outDims: index('Out Dims', 5),
      params: index('Parameters', header.length - 1),
    };
    this.opColumnCount ??= header.length;
    if (this.graph === undefined) this.beginGraph(undefined, line);
    this.startTable({ kind: 'ops', columns, rows: 0, line }, width, line);
    this.opTables++;
    this.footerSinceOpTable = false;
  }

  private closeTable(): void {
    const t = this.table;
    if (t === undefined) return;
    this.table = undefined;
    this.tableWidth = undefined;
    if (t.kind === 'ops') this.finishOp();
    if (t.kind === 'other' && t.rows > 0) {
      this.diags.add('DUMP_UNKNOWN_LINE', `table \`${t.title}\` (${t.rows} row(s)) is not read`, t.line);
    }
  }

  private opRow(columns: OpColumns, cells: readonly string[], line: number): void {
    if (cells.length !== columns.count) {
      if (cells.every((c) => c === '' || c === '...' || c === '…') && cells.some((c) => c !== '')) {
        this.elision(line);
        return;
      }
      this.diags.add('DUMP_COLUMN_COUNT', `${cells.length} cells where the op table has ${columns.count} (a name with \`|\`, or a damaged line): row not read`, line);
      return;
    }
    const id = cells[columns.id] ?? '';
    if (id !== '') {
      if (!isNonNegativeInteger(id)) {
        if (id === '...' || id === '…') this.elision(line);
        else this.diags.add('DUMP_UNPARSED_ROW', `Id cell \`${id}\` is not a non-negative integer: row not read`, line);
        return;
      }
      this.finishOp();
      this.op = {
        id: Number(id),
        name: keep(cells[columns.name] ?? ''),
        type: this.intern(cells[columns.type] ?? ''),
        inputs: [],
        outputs: [],
        outDims: [],
        params: [],
        line,
      };
    } else if (this.op === undefined) {
      if (cells.some((c) => c !== '')) this.diags.add('DUMP_UNPARSED_ROW', 'a continuation row with no op before it: row not read', line);
      return;
    } else if ((cells[columns.name] ?? '') !== '' || (cells[columns.type] ?? '') !== '') {
      this.diags.add('DUMP_UNPARSED_ROW', 'a continuation row has text in its Name/Type cells (names never wrap): those cells were not read', line);
    }
    const op = this.op!;
    const input = cells[columns.inputs] ?? '';
    if (input !== '') op.inputs.push({ text: input, line });
    const output = cells[columns.outputs] ?? '';
    if (output !== '') op.outputs.push({ text: output, line });
    const dims = cells[columns.outDims] ?? '';
    if (dims !== '') op.outDims.push(this.intern(dims));
    const param = cells[columns.params] ?? '';
    if (param !== '') op.params.push({ text: param, line });
  }

  private ioRow(which: 'inputs' | 'outputs' | 'unconsumed', columns: number, cells: readonly string[], line: number): void {
    if (cells.length !== columns) {
      this.diags.add('DUMP_COLUMN_COUNT', `${cells.length} cells where the I/O table has ${columns}: row not read`, line);
      return;
    }
    const graph = this.currentGraph(line);
    const name = cells[0] ?? '';
    if (which === 'unconsumed') {
      const before = graph.footer.get('Unconsumed tensors');
      graph.footer.set('Unconsumed tensors', keep(before === undefined ? name : `${before}, ${name}`));
      return;
    }
    const info = cells[3];
    let encoding: Encoding | undefined;
    if (info !== undefined && info !== '' && !info.startsWith('No encoding info')) {
      const why = readEncodingBody(info, 0, 'fixed', this.fields);
      if (why === undefined) encoding = this.makeEncoding(undefined, line);
      else this.diags.add('DUMP_UNPARSED_ENCODING', `I/O table encoding of \`${name}\`: ${why}`, line);
    }
    const row: IoRow = { name: keep(name), dims: keep(cells[1] ?? ''), dtype: this.intern(cells[2] ?? ''), ...(encoding === undefined ? {} : { encoding }), at: { file: this.file, line } };
    (which === 'inputs' ? graph.inputs : graph.outputs).push(row);
    let tensor = graph.tensors.get(name);
    if (tensor === undefined) {
      // An I/O table without its op table (a fragment): the tensor is known from here only.
      tensor = this.newTensor(graph, name, line);
      tensor.dtype = row.dtype;
      tensor.tensorType = which === 'inputs' ? 'APP_WRITE' : 'APP_READ';
    }
    if (encoding !== undefined) this.setEncoding(tensor, { layout: 'per-tensor', channels: [encoding], allChannelsPresent: true }, line, 'the I/O table');
  }

  // -------------------------------------------------------------------------------------------
  // Ops
  // -------------------------------------------------------------------------------------------

  private get numberStyle(): NumberStyle {
    return this.headerKind === 'for-nocolon' || this.opColumnCount === 7 ? 'g4' : 'fixed';
  }

  private finishOp(): void {
    const pending = this.op;
    if (pending === undefined) return;
    this.op = undefined;
    const graph = this.currentGraph(pending.line);
    if (this.style === undefined) {
      const first = pending.inputs[0] ?? pending.outputs[0];
      if (first !== undefined) this.style = this.headerKind === 'for-nocolon' ? 'bare' : cellStyle(first.text);
    }
    const style = this.style ?? 'bare';
    const isDataLayer = style === 'bare' && pending.type === 'data';
    const inputs: string[] = [];
    for (const c of pending.inputs) {
      const t = this.tensorFromCell(graph, c, style);
      inputs.push(t.name);
      if (!isDataLayer && t.consumers[t.consumers.length - 1] !== pending.name) t.consumers.push(pending.name);
    }
    const outputs: string[] = [];
    for (const c of pending.outputs) {
      const t = this.tensorFromCell(graph, c, style);
      outputs.push(t.name);
      if (t.producer !== undefined && t.producer.op !== pending.name) {
        this.diags.add('DUMP_UNPARSED_ROW', `tensor \`${t.name}\` is an output of \`${t.producer.op}\` and of \`${pending.name}\`: the first producer is kept`, c.line);
      } else {
        t.producer = { op: pending.name, type: pending.type };
      }
      if (isDataLayer) t.dataLayerOutput = true;
    }
    const params: OpParam[] = [];
    if (style === 'bare') this.params1x(graph, pending, outputs, params);
    else this.params2x(graph, pending, params);
    graph.ops.push({
      id: pending.id,
      name: pending.name,
      type: pending.type,
      inputs,
      outputs,
      outDims: pending.outDims,
      params,
      at: { file: this.file, line: pending.line },
    });
  }

  private tensorFromCell(graph: MutGraph, c: Cell, style: CellStyle): MutTensor {
    const cached = graph.cells.get(c.text);
    if (cached !== undefined) return cached;
    const cell: TensorCell = parseTensorCell(c.text, style);
    let t = graph.tensors.get(cell.name);
    if (t === undefined) t = this.newTensor(graph, cell.name, c.line);
    if (cell.dtype !== undefined && cell.dtype !== t.dtype) t.dtype = this.intern(cell.dtype);
    if (cell.dims !== undefined) t.dims = cell.dims;
    if (cell.tensorType !== undefined && cell.tensorType !== t.tensorType) t.tensorType = this.intern(cell.tensorType);
    if (cell.dimsSpaced !== undefined) this.dimsSpaced ??= cell.dimsSpaced;
    if (c.text.endsWith('[NW Input]')) t.nwInput = true;
    graph.cells.set(keep(c.text), t);
    return t;
  }

  private newTensor(graph: MutGraph, name: string, line: number): MutTensor {
    name = keep(name);
    const t: MutTensor = { name, graph: graph.name, nwInput: false, dataLayerOutput: false, consumers: [], line };
    graph.tensors.set(name, t);
    return t;
  }

  /** The encoding `readEncodingBody` just read into `this.fields`. */
  private makeEncoding(channel: number | undefined, line: number): Encoding {
    const unknownKeys = this.fields.unknownKeys;
    if (unknownKeys !== undefined) {
      this.diags.add('DUMP_UNPARSED_ENCODING', `unknown key(s) ${unknownKeys.map((k) => `\`${k}\``).join(', ')} in an encoding: ignored`, line);
    }
    return this.encodings.add(this.fields, channel, line);
  }

  private setEncoding(t: MutTensor, enc: TensorEncoding, line: number, where: string): void {
    const before = t.encoding;
    if (before === undefined) {
      t.encoding = enc;
      return;
    }
    if (!sameEncoding(before, enc)) {
      const a = before.channels[0];
      const b = enc.channels[0];
      const detail =
        a !== undefined && b !== undefined && before.channels.length === 1 && enc.channels.length === 1
          ? `\`${t.name}\` is printed in ${where} as (${describeGrid(b)}) but at line ${a.at.line ?? '?'} as (${describeGrid(a)}): the first is kept`
          : `\`${t.name}\` is printed in ${where} with another ${enc.layout} encoding than at line ${before.channels[0]?.at.line ?? '?'}: the first is kept`;
      this.diags.add('DUMP_ENCODING_CONFLICT', detail, line);
    }
  }

  /** 2.x: every encoding line names its tensor; channel lines are closed by `axis-quant`. */
  private params2x(graph: MutGraph, op: PendingOp, params: OpParam[]): void {
    let channels: { tensor: string; list: Encoding[]; line: number } | undefined;
    const flushChannels = (axisQuant?: Extract<ParamEntry, { kind: 'axis-quant' }>, line?: number): void => {
      if (channels === undefined) return;
      const { tensor, list } = channels;
      channels = undefined;
      const count = axisQuant?.numElements;
      const firstOnly = axisQuant?.firstChannelOnly ?? false;
      if (axisQuant === undefined) {
        this.diags.add('DUMP_UNPARSED_ENCODING', `per-channel encoding of \`${tensor}\` has no \`axis-quant\` line: axis and channel count unknown`, list[0]?.at.line);
      }
      const enc: TensorEncoding = {
        layout: 'per-channel',
        channels: list,
        ...(axisQuant?.axis === undefined ? {} : { axis: axisQuant.axis }),
        ...(count === undefined ? {} : { channelCount: count }),
        allChannelsPresent: !firstOnly && count !== undefined && list.length === count,
      };
      this.setEncoding(this.tensorByName(graph, tensor, op, line ?? list[0]?.at.line ?? op.line), enc, line ?? op.line, `op \`${op.name}\``);
    };
    for (const p of op.params) {
      const entry = classifyParam2x(p.text);
      if (entry.kind === 'named-encoding') {
        if (entry.channel === undefined || channels?.tensor !== entry.tensor) flushChannels();
        const why = readEncodingBody(p.text, entry.bodyStart, 'fixed', this.fields);
        if (why !== undefined) {
          this.diags.add('DUMP_UNPARSED_ENCODING', `encoding of \`${entry.tensor}\`: ${why}`, p.line);
          continue;
        }
        if (this.encodingColonStyle === undefined && entry.channel === undefined) {
          this.encodingColonStyle = p.text.startsWith(' : ', entry.bodyStart - 3) ? '2.12' : '2.5';
        }
        const encoding = this.makeEncoding(entry.channel, p.line);
        if (entry.channel === undefined) {
          const t = this.tensorByName(graph, entry.tensor, op, p.line);
          this.setEncoding(t, { layout: 'per-tensor', channels: [encoding], allChannelsPresent: true }, p.line, `op \`${op.name}\``);
        } else {
          channels ??= { tensor: entry.tensor, list: [], line: p.line };
          channels.list.push(encoding);
        }
      } else if (entry.kind === 'axis-quant') {
        if (channels === undefined) {
          this.diags.add('DUMP_ORPHAN_ENCODING', '`axis-quant` line with no `encoding for channel_K` lines before it', p.line);
        } else {
          flushChannels(entry, p.line);
        }
      } else if (entry.kind === 'attribute') {
        flushChannels();
        if (holdsEncoding(p.text)) this.unreadableEntry(p.text, p.line);
        else params.push({ name: this.intern(entry.name), value: keep(entry.value), at: { file: this.file, line: p.line } });
      } else {
        flushChannels();
        this.diags.add('DUMP_ORPHAN_ENCODING', `a 1.x-style encoding line in a 2.x dump: not attached`, p.line);
      }
    }
    flushChannels();
  }

  /** A Parameters entry that looks like an encoding but is not one of the known shapes (a damaged `channel_K`, say): never an attribute. */
  private unreadableEntry(text: string, line: number): void {
    this.diags.add('DUMP_UNPARSED_ENCODING', `an encoding entry that could not be read: \`${text.length > 120 ? `${text.slice(0, 120)}…` : text}\``, line);
  }

  /** The tensor an encoding names; created (and reported) when the op table never mentioned it. */
  private tensorByName(graph: MutGraph, name: string, op: PendingOp, line: number): MutTensor {
    const t = graph.tensors.get(name);
    if (t !== undefined) return t;
    this.diags.add('DUMP_ORPHAN_ENCODING', `encoding of \`${name}\` in op \`${op.name}\`, which names no such tensor in its inputs or outputs: kept as a tensor of its own`, line);
    return this.newTensor(graph, name, line);
  }

  /** 1.x: output encodings by position; weight/bias encodings become `<layer>.weight[_K]`/`.bias`. */
  private params1x(graph: MutGraph, op: PendingOp, outputs: readonly string[], params: OpParam[]): void {
    let outputIndex = 0;
    let lastWeight: { tensor: MutTensor; encoding: Encoding } | undefined;
    for (const p of op.params) {
      const entry = classifyParam1x(p.text);
      if (entry.kind === 'layer-encoding') {
        const why = readEncodingBody(p.text, entry.bodyStart, this.numberStyle, this.fields);
        if (why !== undefined) {
          this.diags.add('DUMP_UNPARSED_ENCODING', `${entry.what} encoding of layer \`${op.name}\`: ${why}`, p.line);
          if (entry.what === 'output') outputIndex++;
          continue;
        }
        const encoding = this.makeEncoding(undefined, p.line);
        const perTensor: TensorEncoding = { layout: 'per-tensor', channels: [encoding], allChannelsPresent: true };
        if (entry.what === 'output') {
          const name = outputs[outputIndex++];
          if (name === undefined) {
            this.diags.add('DUMP_ORPHAN_ENCODING', `output encoding #${outputIndex} of layer \`${op.name}\`, which has ${outputs.length} output(s): not attached`, p.line);
            continue;
          }
          this.setEncoding(graph.tensors.get(name)!, perTensor, p.line, `layer \`${op.name}\``);
          lastWeight = undefined;
        } else {
          const name = `${op.name}.${entry.what}${entry.index === 0 ? '' : `_${entry.index}`}`;
          let t = graph.tensors.get(name);
          if (t === undefined) {
            t = this.newTensor(graph, name, p.line);
            t.layer = op.name;
            t.paramKind = entry.what;
            t.consumers.push(op.name);
          }
          this.setEncoding(t, perTensor, p.line, `layer \`${op.name}\``);
          lastWeight = entry.what === 'weight' ? { tensor: t, encoding } : undefined;
        }
      } else if (entry.kind === 'axis-quant') {
        if (lastWeight === undefined) {
          this.diags.add('DUMP_ORPHAN_ENCODING', `\`axis-quant\` line of layer \`${op.name}\` not after a weight encoding: not attached`, p.line);
          continue;
        }
        // SNPE 1.x prints one overall encoding for per-channel weights, never the channels: it is
        // kept as the only element of `channels`, with no channel index (see model.ts).
        lastWeight.tensor.encoding = {
          layout: 'per-channel',
          channels: [lastWeight.encoding],
          ...(entry.axis === undefined ? {} : { axis: entry.axis }),
          ...(entry.numElements === undefined ? {} : { channelCount: entry.numElements }),
          allChannelsPresent: false,
        };
        lastWeight = undefined;
      } else if (entry.kind === 'attribute') {
        if (holdsEncoding(p.text)) this.unreadableEntry(p.text, p.line);
        else params.push({ name: this.intern(entry.name), value: keep(entry.value), at: { file: this.file, line: p.line } });
      } else {
        this.diags.add('DUMP_ORPHAN_ENCODING', `a 2.x-style named encoding line in a 1.x dump: not attached`, p.line);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Graphs, labels, metadata
  // -------------------------------------------------------------------------------------------

  private beginGraph(name: string | undefined, line: number): void {
    if (this.table !== undefined) this.closeTable();
    this.checkFooter(line);
    const graphName = name ?? this.defaultGraphName();
    const graph: MutGraph = { name: graphName, ops: [], tensors: new Map(), inputs: [], outputs: [], footer: new Map(), cells: new Map() };
    this.graphs.push(graph);
    this.graph = graph;
  }

  private defaultGraphName(): string {
    if (this.dlcPath !== '') return basenameWithoutExtension(this.dlcPath);
    return basenameWithoutExtension(this.file);
  }

  private currentGraph(line: number): MutGraph {
    if (this.graph === undefined) this.beginGraph(undefined, line);
    return this.graph!;
  }

  /** A graph's op table must be followed by its footer before the next graph or the end. */
  private checkFooter(line: number): void {
    if (this.opTables > 0 && !this.footerSinceOpTable) {
      this.diags.add('DUMP_TRUNCATED', `graph \`${this.graph?.name ?? '?'}\` has no footer (\`Total parameters\`, …) before line ${line}`, line);
      this.footerSinceOpTable = true;
    }
  }

  private label(label: string, value: string, line: number): void {
    label = this.intern(label);
    value = keep(value);
    if (FOOTER_LABELS.has(label)) this.footerSinceOpTable = true;
    switch (label) {
      case 'Model Version':
        this.modelVersion = value;
        return;
      case 'Model Copyright':
        this.copyright = value;
        return;
      case 'Converter command':
        this.converterCommand = value === '' ? undefined : parseCommand(value);
        return;
      case 'Quantizer command':
        this.quantizerCommand = value === 'N/A' ? null : value === '' ? undefined : parseCommand(value);
        return;
      case 'DLC created with converter version':
        this.converterVersion = value;
        return;
      default:
        break;
    }
    const perGraph = this.headerKind === 'of' && this.graph !== undefined;
    const map = perGraph ? this.graph!.footer : this.other;
    if (map.has(label) && label !== 'Note') {
      this.diags.add('DUMP_UNKNOWN_LINE', `\`${label}\` appears twice: the last value is kept`, line);
    }
    map.set(label, value);
    this.lastLabel = { map, label };
  }

  // -------------------------------------------------------------------------------------------
  // The end
  // -------------------------------------------------------------------------------------------

  finish(lastLine: number, format: 'dlc-info-text' | 'dlc-info-csv'): Omit<DlcModel, 'diagnostics'> {
    if (this.table?.kind === 'ops') this.opTableOpenAtEnd = true;
    if (this.table !== undefined) this.closeTable();
    this.finishOp();
    if (this.opTableOpenAtEnd) {
      this.diags.add('DUMP_TRUNCATED', 'the dump ends inside the op table (cut short by a pipe or a paste?)', lastLine);
      this.footerSinceOpTable = true;
    }
    this.checkFooter(lastLine);
    if (this.opTables === 0 && this.graphs.every((g) => g.inputs.length === 0 && g.outputs.length === 0)) {
      this.diags.add('DUMP_TRUNCATED', 'the dump has no op table', lastLine);
    }
    const graphs: Graph[] = this.graphs.map((g) => this.freezeGraph(g));
    const metadata: ModelMetadata = {
      ...(this.modelVersion === undefined ? {} : { modelVersion: this.modelVersion }),
      ...(this.copyright === undefined ? {} : { copyright: this.copyright }),
      ...(this.converterCommand === undefined ? {} : { converterCommand: this.converterCommand }),
      ...(this.quantizerCommand === undefined ? {} : { quantizerCommand: this.quantizerCommand }),
      ...(this.converterVersion === undefined ? {} : { converterVersion: this.converterVersion }),
      other: this.other,
    };
    return { format, family: this.family(), file: this.file, metadata, graphs };
  }

  private freezeGraph(g: MutGraph): Graph {
    const tensors = new Map<string, Tensor>();
    for (const [name, t] of g.tensors) {
      // Optional fields are set only when present (no spreads: this runs once per tensor).
      const out: { -readonly [K in keyof Tensor]: Tensor[K] } = { name, graph: g.name, role: this.role(t), consumers: t.consumers, at: { file: this.file, line: t.line } };
      if (t.dtype !== undefined) out.dtype = t.dtype;
      if (t.dims !== undefined) out.dims = t.dims;
      if (t.tensorType !== undefined) out.tensorType = t.tensorType;
      if (t.producer !== undefined) out.producer = t.producer;
      if (t.encoding !== undefined) out.encoding = t.encoding;
      if (t.layer !== undefined) out.layer = t.layer;
      if (t.paramKind !== undefined) out.paramKind = t.paramKind;
      tensors.set(name, out);
    }
    g.cells.clear();
    return { name: g.name, ops: g.ops, tensors, inputs: g.inputs, outputs: g.outputs, footer: g.footer };
  }

  /**
   * 2.x: from the tensor type (APP_WRITE input, APP_READ output, STATIC param, else activation).
   * 1.x and 2.5 (no tensor type): the `data` layer's outputs and `[NW Input]` are graph inputs,
   * `<layer>.weight`/`.bias` (1.x) and tensors nobody produces (2.5) are params, tensors nobody
   * consumes are graph outputs.
   */
  private role(t: MutTensor): TensorRole {
    const type = t.tensorType;
    if (type !== undefined) {
      if (type.includes('APP_WRITE')) return 'graph-input';
      if (type.includes('APP_READ')) return 'graph-output';
      if (type.includes('STATIC')) return 'param';
      return 'activation';
    }
    if (t.paramKind !== undefined) return 'param';
    if (t.nwInput || t.dataLayerOutput) return 'graph-input';
    // 1.x params are only the `<layer>.weight`/`.bias` tensors: a buffer nobody produces (its
    // producer elided, or a fragment) is an input. In 2.5 it is a weight or a constant.
    if (t.producer === undefined) return this.style === 'bare' ? 'graph-input' : 'param';
    if (t.consumers.length === 0) return 'graph-output';
    return 'activation';
  }

  private family(): DumpFamily {
    const version = this.converterVersion ?? '';
    switch (this.headerKind) {
      case 'for-nocolon':
        return 'snpe-1.17';
      case 'of':
        return 'qairt-2.2x';
      case 'for':
        if (this.opColumnCount === 7) return 'snpe-1.2x-1.3x';
        if (this.style === 'data-type') return 'snpe-2.12';
        if (this.style === 'paren-dtype' || this.encodingColonStyle === '2.5') return 'snpe-2.5';
        if (this.style === 'bare') return 'snpe-1.4x-1.6x';
        if (version.startsWith('2.5.')) return 'snpe-2.5';
        if (version.startsWith('2.')) return 'snpe-2.12';
        // `DLC created with converter version: 1.32.0.555` (a 1.2x–1.3x float dump with no rows).
        if (/^1\.(?:[23]\d)\./.test(version)) return 'snpe-1.2x-1.3x';
        return 'snpe-1.4x-1.6x';
      case 'none':
        if (this.style === 'data-type') return this.dimsSpaced === true ? 'snpe-2.12' : 'qairt-2.2x';
        if (this.style === 'paren-dtype') return 'snpe-2.5';
        if (this.opColumnCount === 7) return 'snpe-1.2x-1.3x';
        if (this.style === 'bare') return 'snpe-1.4x-1.6x';
        return 'qairt-2.2x';
    }
  }
}

/** Text that holds an encoding entry, or is an I/O table's Encoding Info cell (`bitwidth 8, min …`). */
function holdsEncoding(text: string): boolean {
  return mentionsEncodingEntry(text) || (text.startsWith('bitwidth ') && text.includes(', min '));
}

/** What encodings printed alike share: the file and how each number was printed (a handful per dump). */
interface EncodingShape {
  readonly file: string;
  readonly min: Precision;
  readonly max: Precision;
  readonly scale: Precision;
  readonly offset: Precision;
}

/** Distinct shapes kept for sharing; a pathological dump with more gets one per encoding beyond. */
const MAX_SHAPES = 64;
/** Encodings per page of numbers: the first page is small (most dumps are), each next one twice as big, up to this. */
const MAX_PAGE_ENCODINGS = 8192;
const FIRST_PAGE_ENCODINGS = 64;

/**
 * Where a dump's encodings keep their numbers: float64 pages of (min, max, scale, offset), and the
 * shapes they share. A 200 MB dump holds hundreds of thousands of channel encodings; four boxed
 * doubles and a location object each were half of the model's memory and most of the parser's
 * garbage-collection work.
 */
class EncodingStore {
  private page = new Float64Array(FIRST_PAGE_ENCODINGS * 4);
  private used = 0;
  private readonly shapes: EncodingShape[] = [];
  private last: EncodingShape | undefined;

  constructor(private readonly file: string) {}

  /** A DumpEncoding of what `fields` holds now. */
  add(fields: EncodingFields, channel: number | undefined, line: number): DumpEncoding {
    if (this.used * 4 === this.page.length) {
      this.page = new Float64Array(Math.min(this.page.length * 2, MAX_PAGE_ENCODINGS * 4));
      this.used = 0;
    }
    const page = this.page;
    const slot = this.used * 4;
    this.used++;
    page[slot] = fields.min.value;
    page[slot + 1] = fields.max.value;
    page[slot + 2] = fields.scale.value;
    page[slot + 3] = fields.offset.value;
    return new DumpEncoding(fields.bitwidth, channel, this.shapeOf(fields), page, slot, line);
  }

  private shapeOf(fields: EncodingFields): EncodingShape {
    const same = (s: EncodingShape | undefined): s is EncodingShape =>
      s !== undefined &&
      s.min === fields.min.precision &&
      s.max === fields.max.precision &&
      s.scale === fields.scale.precision &&
      s.offset === fields.offset.precision;
    if (same(this.last)) return this.last;
    let shape = this.shapes.find(same);
    if (shape === undefined) {
      shape = { file: this.file, min: fields.min.precision, max: fields.max.precision, scale: fields.scale.precision, offset: fields.offset.precision };
      if (this.shapes.length < MAX_SHAPES) this.shapes.push(shape);
    }
    this.last = shape;
    return shape;
  }
}

/**
 * A dump encoding stored flat: its numbers in a page of the EncodingStore, how they were printed in
 * a shared shape; the `PrintedNumber` and `Location` objects of the `Encoding` contract are made
 * when read.
 */
class DumpEncoding implements Encoding {
  readonly bitwidth: number;
  readonly channel?: number;
  private readonly shape: EncodingShape;
  private readonly page: Float64Array;
  private readonly slot: number;
  private readonly line: number;

  constructor(bitwidth: number, channel: number | undefined, shape: EncodingShape, page: Float64Array, slot: number, line: number) {
    this.bitwidth = bitwidth;
    if (channel !== undefined) this.channel = channel;
    this.shape = shape;
    this.page = page;
    this.slot = slot;
    this.line = line;
  }

  get min(): PrintedNumber {
    return { value: this.page[this.slot]!, precision: this.shape.min };
  }
  get max(): PrintedNumber {
    return { value: this.page[this.slot + 1]!, precision: this.shape.max };
  }
  get scale(): PrintedNumber {
    return { value: this.page[this.slot + 2]!, precision: this.shape.scale };
  }
  get offset(): PrintedNumber {
    return { value: this.page[this.slot + 3]!, precision: this.shape.offset };
  }
  get at(): Location {
    return { file: this.shape.file, line: this.line };
  }
}
