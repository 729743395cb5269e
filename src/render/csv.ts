/**
 * CSV for spreadsheets: a header, then one row per result (verify) or change (diff), then the
 * pipeline findings, notes and parser diagnostics as rows of their own section, so what was not
 * checked travels with the data. RFC 4180 quoting with CRLF; numbers stay numbers; text cells that
 * a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) get a leading `'`.
 */
import { DIAGNOSTICS } from '../findings.js';
import type { GridNumbers, Location, Report } from '../model.js';
import type { RenderOptions } from './options.js';
import { chunked } from './chunks.js';
import {
  allRows,
  numberText,
  sideLabels,
  STATUS_LABEL,
  visibleRows,
  type Row,
} from './common.js';
import { stripInvalidXmlChars } from './escape.js';

type Cell = string | number | undefined;

/** A text cell: formula-guarded, then quoted when it holds `"`, `,`, CR or LF. */
export function textCell(text: string): string {
  let value = stripInvalidXmlChars(text);
  if (/^[=+\-@\t\r]/.test(value)) value = `'${value}`;
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function cell(value: Cell): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return numberText(value);
  return textCell(value);
}

const GRID_FIELDS = ['bitwidth', 'min', 'max', 'scale', 'offset'] as const;

function gridCells(grid: GridNumbers | string | undefined): Cell[] {
  if (grid === undefined || typeof grid === 'string') return GRID_FIELDS.map(() => undefined);
  return GRID_FIELDS.map((f) => grid[f]);
}

function locationCells(at: Location | undefined): Cell[] {
  return [at?.file, at?.line, at?.pointer];
}

function header(report: Report): string[] {
  const [a, b] = sideLabels(report);
  return [
    'section',
    'status',
    'graph',
    report.kind === 'diff' ? 'about' : 'role',
    report.kind === 'diff' ? 'subject' : 'tensor',
    'channel',
    'code',
    'title',
    'tags',
    'waived_by',
    'deviation_steps',
    'min_steps',
    'max_steps',
    'scale_ratio',
    'offset_delta',
    `${a}_value`,
    ...GRID_FIELDS.map((f) => `${a}_${f}`),
    `${b}_value`,
    ...GRID_FIELDS.map((f) => `${b}_${f}`),
    'match_rule',
    'closest_explanation',
    'closest_explanation_steps',
    'file',
    'line',
    'pointer',
    'other_file',
    'other_line',
    'other_pointer',
    'sentence',
  ];
}

function rowCells(row: Row): Cell[] {
  return [
    row.section,
    STATUS_LABEL[row.status],
    row.graph,
    row.group,
    row.subject,
    row.channel,
    row.code,
    row.title,
    row.tags.length > 0 ? row.tags.join(' ') : undefined,
    row.waivedBy,
    row.deviationSteps,
    row.deviation?.minSteps,
    row.deviation?.maxSteps,
    row.deviation?.scaleRatio,
    row.deviation?.offsetDelta,
    typeof row.expected === 'string' ? row.expected : undefined,
    ...gridCells(row.expected),
    typeof row.actual === 'string' ? row.actual : undefined,
    ...gridCells(row.actual),
    row.matchRule,
    row.hypothesis?.code,
    row.hypothesis?.deviationSteps,
    ...locationCells(row.at),
    ...locationCells(row.relatedAt),
    row.sentence,
  ];
}

export function renderCsv(report: Report, options: RenderOptions): string {
  return [...csvLines(report, options)].join('');
}

/** The CSV in pieces: a per-channel LLM report has hundreds of thousands of rows. */
export function renderCsvChunks(report: Report, options: RenderOptions): Iterable<string> {
  return chunked(csvLines(report, options));
}

/** Each record with its `\r\n`: the header, the rows, then notes and diagnostics. */
function* csvLines(report: Report, options: RenderOptions): Generator<string> {
  const columns = header(report);
  const width = columns.length;
  const blank = (): Cell[] => Array.from({ length: width }, () => undefined);
  const index = (name: string): number => columns.indexOf(name);
  const line = (cells: readonly Cell[]): string => `${cells.map(cell).join(',')}\r\n`;
  yield `${columns.map(textCell).join(',')}\r\n`;
  for (const row of visibleRows(allRows(report), options.verbose)) yield line(rowCells(row));
  for (const note of report.notes) {
    const cells = blank();
    cells[index('section')] = 'note';
    cells[index('status')] = 'info';
    cells[index('sentence')] = note;
    yield line(cells);
  }
  for (const d of report.diagnostics) {
    const cells = blank();
    cells[index('section')] = 'diagnostic';
    cells[index('status')] = d.severity;
    cells[index('code')] = d.code;
    cells[index('title')] = DIAGNOSTICS[d.code].title;
    cells[index('file')] = d.at.file;
    cells[index('line')] = d.at.line;
    cells[index('pointer')] = d.at.pointer;
    cells[index('sentence')] = d.detail;
    yield line(cells);
  }
}
