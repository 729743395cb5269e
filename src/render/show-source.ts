/**
 * `dlcverify show <source>`: the normalised entries of an overrides JSON, range file or
 * FakeQuant graph, as a table (for people), JSON or CSV (for scripts).
 *
 * JSON (`kind: "source"`): `format`, `version` (null when the file has none), `file`, `counts`,
 * `entries` — one element per grid: per-channel entries give one element per channel with
 * `channel`; dtype-only entries (`{"bitwidth": 8, "dtype": "int"}`) give one element without
 * numbers — then `ignoredKeys` and `diagnostics`. `min`/`max`/`scale`/`offset` and `isSymmetric`
 * appear only when the source gives them: what the user did not say stays unsaid.
 */
import { InputError, type Diagnostic, type SourceEntry, type SourceGrid, type SourceSet } from '../model.js';
import { boxTableLines, carryColours } from './box-table.js';
import { chunked } from './chunks.js';
import type { ShowRenderOptions } from './show-model.js';

/**
 * The source in pieces of about 32 K characters, to write one after the other: a per-channel LLM
 * overrides file has hundreds of thousands of channels, and no format holds its rows as one
 * string or one array.
 */
export function renderSourceChunks(source: SourceSet, options: ShowRenderOptions): Iterable<string> {
  switch (options.format) {
    case 'json':
      return chunked(jsonTexts(source));
    case 'csv':
      return chunked(csvLines(source));
    case 'table':
      return chunked(tableLines(source, options.color));
    default:
      throw new InputError('USAGE', `show prints a source as table, json or csv, not ${options.format}`);
  }
}

/**
 * One row of the JSON `entries` array (and of the CSV). Every field is there, in document order;
 * JSON.stringify leaves out those that are undefined, as the CSV leaves their cells empty (one
 * shape for every row: V8 builds them fast).
 */
interface SourceRow {
  name: string;
  section: SourceEntry['section'];
  dtype: SourceEntry['dtype'];
  bitwidth: number | undefined;
  layout: SourceEntry['layout'];
  axis: number | undefined;
  channel: number | undefined;
  min: number | undefined;
  max: number | undefined;
  scale: number | undefined;
  offset: number | undefined;
  isSymmetric: boolean | undefined;
  layoutInfo: Record<string, number> | undefined;
  fakeQuant: SourceEntry['fakeQuant'];
  line: number | undefined;
  pointer: string | undefined;
  node: string | undefined;
}

/** The rows of one entry, made one at a time: a per-channel entry has one per channel. */
function* rowsOf(entry: SourceEntry): Generator<SourceRow> {
  // Object.fromEntries defines own data properties: a key named `__proto__` stays data.
  const layoutInfo = entry.layoutInfo === undefined ? undefined : Object.fromEntries(entry.layoutInfo);
  const grids: readonly (SourceGrid | undefined)[] = entry.grids.length > 0 ? entry.grids : [undefined];
  for (const g of grids) {
    yield {
      name: entry.name,
      section: entry.section,
      dtype: entry.dtype,
      bitwidth: entry.bitwidth,
      layout: entry.layout,
      axis: entry.axis,
      channel: g?.channel,
      min: g?.min,
      max: g?.max,
      scale: g?.scale,
      offset: g?.offset,
      isSymmetric: entry.isSymmetric,
      layoutInfo,
      fakeQuant: entry.fakeQuant,
      line: entry.at.line,
      pointer: entry.at.pointer,
      node: entry.at.node,
    };
  }
}

/** Every row of every entry, in file order. */
function* rowsOfAll(source: SourceSet): Generator<SourceRow> {
  for (const entry of source.entries) yield* rowsOf(entry);
}

function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  return {
    code: d.code,
    severity: d.severity,
    detail: d.detail,
    ...(d.at.line !== undefined ? { line: d.at.line } : {}),
    ...(d.at.pointer !== undefined ? { pointer: d.at.pointer } : {}),
    ...(d.at.node !== undefined ? { node: d.at.node } : {}),
  };
}

function counts(source: SourceSet): { entries: number; activation: number; param: number; rows: number } {
  let activation = 0;
  let rows = 0;
  for (const e of source.entries) {
    if (e.section === 'activation') activation++;
    rows += Math.max(1, e.grids.length);
  }
  return { entries: source.entries.length, activation, param: source.entries.length - activation, rows };
}

/**
 * The document `JSON.stringify(…, null, 2)` writes for the whole source, byte for byte, one
 * `entries` element at a time: the elements never exist all at once, as objects or as text.
 */
function* jsonTexts(source: SourceSet): Generator<string> {
  const head = { kind: 'source', format: source.format, version: source.version ?? null, file: source.file, counts: counts(source) };
  // `{ …head fields\n}` -> `{ …head fields,\n  "entries": [`
  yield `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "entries": [`;
  let first = true;
  for (const row of rowsOfAll(source)) {
    // Two levels deep: 4 more spaces on every line (JSON text never holds a raw newline in a string).
    yield `${first ? '\n' : ',\n'}    ${JSON.stringify(row, null, 2).replace(/\n/g, '\n    ')}`;
    first = false;
  }
  yield first ? '],\n' : '\n  ],\n';
  const tail = { ignoredKeys: source.ignoredKeys, diagnostics: source.diagnostics.map(diagnosticJson) };
  // `{\n  "ignoredKeys": …}` -> `  "ignoredKeys": …}`
  yield `${JSON.stringify(tail, null, 2).slice(2)}\n`;
}

const CSV_COLUMNS = ['name', 'section', 'dtype', 'bitwidth', 'layout', 'axis', 'channel', 'min', 'max', 'scale', 'offset', 'isSymmetric', 'line', 'pointer', 'node'] as const;

function csvCell(value: unknown): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

function* csvLines(source: SourceSet): Generator<string> {
  yield `${CSV_COLUMNS.join(',')}\n`;
  for (const row of rowsOfAll(source)) yield `${CSV_COLUMNS.map((c) => csvCell(row[c])).join(',')}\n`;
}

/** `-128` when all equal, else `lowest … highest`; empty when no channel has the field. */
function span(grids: readonly SourceGrid[], field: 'min' | 'max' | 'scale' | 'offset'): string {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let any = false;
  for (const g of grids) {
    const v = g[field];
    if (v === undefined) continue;
    any = true;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!any) return '';
  return lo === hi ? String(lo) : `${lo} … ${hi}`;
}

/** More than one grid, or a layout that is not per-tensor: the table shows spans, not values. */
function isPerChannel(entry: SourceEntry): boolean {
  return entry.grids.length > 1 || entry.layout !== 'per-tensor';
}

const TABLE_HEAD = ['name', 'section', 'dtype', 'bw', 'layout', 'channels', 'min', 'max', 'scale', 'offset', 'sym', 'line'];

function tableCells(e: SourceEntry): string[] {
  return [
    e.name,
    e.section,
    e.dtype,
    e.bitwidth === undefined ? '' : String(e.bitwidth),
    e.layout + (e.axis !== undefined ? ` (axis ${e.axis})` : ''),
    isPerChannel(e) ? String(e.grids.length) : '',
    span(e.grids, 'min'),
    span(e.grids, 'max'),
    span(e.grids, 'scale'),
    span(e.grids, 'offset'),
    e.isSymmetric === undefined ? '' : e.isSymmetric ? 'yes' : 'no',
    e.at.line !== undefined ? String(e.at.line) : (e.at.node ?? ''),
  ];
}

function* tableLines(source: SourceSet, color: boolean): Generator<string> {
  const c = counts(source);
  yield `${source.file}: ${source.format}${source.version !== undefined ? ` (version ${source.version})` : ''}, ${c.entries} entr${c.entries === 1 ? 'y' : 'ies'} (${c.activation} activation, ${c.param} param)\n`;
  if (source.entries.length > 0) {
    // Cells made afresh on each pass (one to measure the columns, one to draw): one entry's cells
    // at a time, never the table.
    const rows = { *[Symbol.iterator]() { for (const e of source.entries) yield tableCells(e).map(carryColours); } };
    // The look cli-table3 gave it: a cyan head, plain borders, a rule between rows, and widths
    // measured as it measured them (wide characters two columns, control characters none).
    const cyan = (text: string): string => `\u001b[36m${text}\u001b[39m`;
    const lines = boxTableLines({ head: TABLE_HEAD, rows, ...(color ? { headStyle: cyan } : {}) });
    for (const line of lines) yield `${line}\n`;
  }
  if (source.entries.some(isPerChannel)) yield 'Per-channel entries show the span of their values: --format json or csv lists every channel.\n';
  if (source.ignoredKeys.length > 0) yield `Ignored keys: ${source.ignoredKeys.join(', ')}\n`;
  for (const d of source.diagnostics) {
    const where = d.at.line !== undefined ? `line ${d.at.line}` : d.at.pointer !== undefined ? d.at.pointer : d.at.node !== undefined ? d.at.node : '';
    yield `${d.severity} ${d.code}${where ? ` (${where})` : ''}: ${d.detail}\n`;
  }
}
