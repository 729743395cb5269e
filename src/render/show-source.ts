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
import Table from 'cli-table3';
import type { Diagnostic, SourceEntry, SourceGrid, SourceSet } from '../model.js';
import type { ShowRenderOptions } from './show-model.js';

export function renderSource(source: SourceSet, options: ShowRenderOptions): string {
  switch (options.format) {
    case 'json':
      return JSON.stringify(sourceToJson(source), null, 2) + '\n';
    case 'csv':
      return renderCsv(source);
    default:
      return renderTable(source, options.color);
  }
}

/** One row of the JSON `entries` array (and of the CSV). */
export interface SourceRow {
  name: string;
  section: SourceEntry['section'];
  dtype: SourceEntry['dtype'];
  bitwidth?: number;
  layout: SourceEntry['layout'];
  axis?: number;
  channel?: number;
  min?: number;
  max?: number;
  scale?: number;
  offset?: number;
  isSymmetric?: boolean;
  layoutInfo?: Record<string, number>;
  fakeQuant?: SourceEntry['fakeQuant'];
  line?: number;
  pointer?: string;
  node?: string;
}

function rowsOf(entry: SourceEntry): SourceRow[] {
  const base: SourceRow = {
    name: entry.name,
    section: entry.section,
    dtype: entry.dtype,
    ...(entry.bitwidth !== undefined ? { bitwidth: entry.bitwidth } : {}),
    layout: entry.layout,
  };
  if (entry.axis !== undefined) base.axis = entry.axis;
  const tail: Partial<SourceRow> = {};
  if (entry.isSymmetric !== undefined) tail.isSymmetric = entry.isSymmetric;
  // Object.fromEntries defines own data properties: a key named `__proto__` stays data.
  if (entry.layoutInfo !== undefined) tail.layoutInfo = Object.fromEntries(entry.layoutInfo);
  if (entry.fakeQuant !== undefined) tail.fakeQuant = entry.fakeQuant;
  if (entry.at.line !== undefined) tail.line = entry.at.line;
  if (entry.at.pointer !== undefined) tail.pointer = entry.at.pointer;
  if (entry.at.node !== undefined) tail.node = entry.at.node;
  const grids: readonly (SourceGrid | undefined)[] = entry.grids.length > 0 ? entry.grids : [undefined];
  return grids.map((g) => {
    const row: SourceRow = { ...base };
    if (g) {
      if (g.channel !== undefined) row.channel = g.channel;
      if (g.min !== undefined) row.min = g.min;
      if (g.max !== undefined) row.max = g.max;
      if (g.scale !== undefined) row.scale = g.scale;
      if (g.offset !== undefined) row.offset = g.offset;
    }
    return Object.assign(row, tail);
  });
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

export function sourceToJson(source: SourceSet): Record<string, unknown> {
  return {
    kind: 'source',
    format: source.format,
    version: source.version ?? null,
    file: source.file,
    counts: counts(source),
    entries: source.entries.flatMap(rowsOf),
    ignoredKeys: source.ignoredKeys,
    diagnostics: source.diagnostics.map(diagnosticJson),
  };
}

const CSV_COLUMNS = ['name', 'section', 'dtype', 'bitwidth', 'layout', 'axis', 'channel', 'min', 'max', 'scale', 'offset', 'isSymmetric', 'line', 'pointer', 'node'] as const;

function csvCell(value: unknown): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

function renderCsv(source: SourceSet): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const entry of source.entries) {
    for (const row of rowsOf(entry)) lines.push(CSV_COLUMNS.map((c) => csvCell(row[c])).join(','));
  }
  return lines.join('\n') + '\n';
}

/** `-128` when all equal, else `lowest … highest`; empty when no channel has the field. */
function span(values: readonly (number | undefined)[]): string {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let any = false;
  for (const v of values) {
    if (v === undefined) continue;
    any = true;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!any) return '';
  return lo === hi ? String(lo) : `${lo} … ${hi}`;
}

function renderTable(source: SourceSet, color: boolean): string {
  const c = counts(source);
  const out: string[] = [];
  out.push(
    `${source.file}: ${source.format}${source.version !== undefined ? ` (version ${source.version})` : ''}, ${c.entries} entr${c.entries === 1 ? 'y' : 'ies'} (${c.activation} activation, ${c.param} param)`,
  );
  const table = new Table({
    head: ['name', 'section', 'dtype', 'bw', 'layout', 'channels', 'min', 'max', 'scale', 'offset', 'sym', 'line'],
    style: color ? { head: ['cyan'], border: [] } : { head: [], border: [] },
  });
  let perChannel = false;
  for (const e of source.entries) {
    const grids = e.grids;
    const many = grids.length > 1 || e.layout !== 'per-tensor';
    if (many) perChannel = true;
    table.push([
      e.name,
      e.section,
      e.dtype,
      e.bitwidth === undefined ? '' : String(e.bitwidth),
      e.layout + (e.axis !== undefined ? ` (axis ${e.axis})` : ''),
      many ? String(grids.length) : '',
      span(grids.map((g) => g.min)),
      span(grids.map((g) => g.max)),
      span(grids.map((g) => g.scale)),
      span(grids.map((g) => g.offset)),
      e.isSymmetric === undefined ? '' : e.isSymmetric ? 'yes' : 'no',
      e.at.line !== undefined ? String(e.at.line) : (e.at.node ?? ''),
    ]);
  }
  if (source.entries.length > 0) out.push(table.toString());
  if (perChannel) out.push('Per-channel entries show the span of their values: --format json or csv lists every channel.');
  if (source.ignoredKeys.length > 0) out.push(`Ignored keys: ${source.ignoredKeys.join(', ')}`);
  for (const d of source.diagnostics) {
    const where = d.at.line !== undefined ? `line ${d.at.line}` : d.at.pointer !== undefined ? d.at.pointer : d.at.node !== undefined ? d.at.node : '';
    out.push(`${d.severity} ${d.code}${where ? ` (${where})` : ''}: ${d.detail}`);
  }
  return out.join('\n') + '\n';
}
