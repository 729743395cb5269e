/**
 * One entry point for every report format: (report, format, options) => string. Renderers never
 * print; the CLI writes what they return to stdout or to `--report FORMAT=PATH` files.
 */
import type { Report } from '../model.js';
import type { RenderOptions } from './options.js';
import { renderTable, renderTableChunks } from './table.js';
import { renderJson, renderJsonChunks } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderJunit, renderJunitChunks } from './junit.js';
import { renderSarif } from './sarif.js';
import { renderGithub } from './github.js';
import { renderCsv, renderCsvChunks } from './csv.js';
import { renderHtml, renderHtmlChunks } from './html.js';

export const REPORT_FORMATS = ['table', 'json', 'markdown', 'junit', 'sarif', 'github', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(name: string): name is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(name);
}

export function renderReport(report: Report, format: ReportFormat, options: RenderOptions): string {
  switch (format) {
    case 'table':
      return renderTable(report, options);
    case 'json':
      return renderJson(report);
    case 'markdown':
      return renderMarkdown(report, options);
    case 'junit':
      return renderJunit(report, options);
    case 'sarif':
      return renderSarif(report, options);
    case 'github':
      return renderGithub(report, options);
    case 'csv':
      return renderCsv(report, options);
    case 'html':
      return renderHtml(report, options);
  }
}

/**
 * The same text as `renderReport`, in pieces to write one after the other: a JSON report or a
 * --verbose table of a per-channel LLM can pass V8's largest string (about 512 MB); other formats
 * are one piece.
 */
export function renderReportChunks(report: Report, format: ReportFormat, options: RenderOptions): Iterable<string> {
  if (format === 'json') return renderJsonChunks(report);
  if (format === 'table') return renderTableChunks(report, options);
  if (format === 'csv') return renderCsvChunks(report, options);
  if (format === 'junit') return renderJunitChunks(report, options);
  if (format === 'html') return renderHtmlChunks(report, options);
  return [renderReport(report, format, options)];
}
