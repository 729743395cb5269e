/**
 * `--format` (stdout) and `--report FORMAT=PATH` (files): one run writes every report it is asked.
 */
import { InputError, type Report } from '../model.js';
import { isReportFormat, renderReportChunks, REPORT_FORMATS, type RenderOptions } from '../render/index.js';
import type { CliIo, CommonOptions } from './context.js';

export interface ReportTarget {
  readonly format: (typeof REPORT_FORMATS)[number];
  readonly path: string;
}

/** Parses `--report FORMAT=PATH` values; bad ones are usage errors (exit 2) before any work. */
export function parseReportTargets(values: readonly string[]): ReportTarget[] {
  return values.map((value) => {
    const eq = value.indexOf('=');
    const format = eq > 0 ? value.slice(0, eq) : '';
    const path = eq > 0 ? value.slice(eq + 1) : '';
    if (!isReportFormat(format) || path.length === 0) {
      throw new InputError('USAGE', `--report ${value}: expected FORMAT=PATH with FORMAT one of ${REPORT_FORMATS.join(', ')}`);
    }
    return { format, path };
  });
}

/**
 * Refuses, before any input is read, a `--format` or `--report` the command cannot write (exit 2):
 * `formats` are what it writes; `reports` whether it writes report files at all.
 */
export function checkWritable(command: string, options: CommonOptions, formats: readonly string[], reports: boolean): void {
  if (!formats.includes(options.format)) {
    throw new InputError('USAGE', `--format ${options.format}: ${command} writes ${formats.join(', ')}`);
  }
  if (!reports && options.reports.length > 0) {
    throw new InputError('USAGE', `--report ${options.reports[0]}: ${command} writes to stdout only (--format ${formats.join('|')})`);
  }
  parseReportTargets(options.reports);
}

export async function writeReports(report: Report, options: CommonOptions, io: CliIo): Promise<void> {
  const targets = parseReportTargets(options.reports);
  const workspace = io.env['GITHUB_WORKSPACE'];
  const base: RenderOptions = { color: false, verbose: options.verbose, ...(workspace ? { workspace } : {}) };
  // Annotations point at the fullest report written in this run: the HTML page, else the Markdown.
  const fullReportPath = (targets.find((t) => t.format === 'html') ?? targets.find((t) => t.format === 'markdown'))?.path;
  for (const target of targets) {
    io.writeFile(target.path, renderReportChunks(report, target.format, { ...base, ...(fullReportPath ? { fullReportPath } : {}) }));
  }
  const format = options.format;
  // checkWritable refused other formats before any input was read.
  if (!isReportFormat(format)) throw new Error(`writeReports: --format ${format} was not checked`);
  const chunks = renderReportChunks(report, format, {
    color: format === 'table' && options.color,
    verbose: options.verbose,
    ...(fullReportPath ? { fullReportPath } : {}),
    ...(workspace ? { workspace } : {}),
  });
  for (const chunk of chunks) await io.stdout(chunk);
}
