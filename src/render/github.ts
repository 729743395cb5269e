/**
 * GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`): the failures and
 * warnings show as annotations on the run and on the files. GitHub keeps only 10 error and 10
 * warning annotations per step, so at most that many are written, then one notice that points at
 * the full report. Escaping follows @actions/core: `%`, CR and LF in messages; also `:` and `,`
 * in properties. A name can therefore never start a workflow command of its own.
 */
import type { Report } from '../model.js';
import type { RenderOptions } from './index.js';
import {
  allRows,
  countRows,
  countsLine,
  messageText,
  plural,
  relativeTo,
  type Row,
} from './common.js';
import { stripInvalidXmlChars } from './escape.js';

/** Per step and per level, GitHub shows at most this many annotations. */
export const GITHUB_MAX_ANNOTATIONS = 10;

export function escapeData(text: string): string {
  return stripInvalidXmlChars(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(level: 'error' | 'warning' | 'notice', properties: readonly (readonly [string, string | undefined])[], message: string): string {
  const props = properties
    .filter((p): p is readonly [string, string] => p[1] !== undefined && p[1] !== '')
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',');
  return `::${level}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

function annotation(row: Row, level: 'error' | 'warning', workspace: string | undefined): string {
  return command(
    level,
    [
      ['file', row.at?.file !== undefined ? relativeTo(row.at.file, workspace) : undefined],
      ['line', row.at?.line !== undefined ? String(row.at.line) : undefined],
      ['col', row.at?.line !== undefined && row.at.column !== undefined ? String(row.at.column) : undefined],
      ['title', `dlcverify ${row.code} (${row.title})`],
    ],
    messageText(row),
  );
}

export function renderGithub(report: Report, options: RenderOptions): string {
  const rows = allRows(report);
  const errors = rows.filter((r) => r.status === 'fail');
  const warnings = rows.filter((r) => r.status === 'warn');
  const lines = [
    ...errors.slice(0, GITHUB_MAX_ANNOTATIONS).map((r) => annotation(r, 'error', options.workspace)),
    ...warnings.slice(0, GITHUB_MAX_ANNOTATIONS).map((r) => annotation(r, 'warning', options.workspace)),
  ];
  const unshown = Math.max(0, errors.length - GITHUB_MAX_ANNOTATIONS) + Math.max(0, warnings.length - GITHUB_MAX_ANNOTATIONS);
  const where = options.fullReportPath !== undefined ? `full report: ${options.fullReportPath}` : 'write the full report with --report html=PATH';
  const more = unshown > 0 ? `${plural(unshown, 'more finding')} not annotated; ` : '';
  // What was not checked travels with the run, even here: counted, and read in the full report.
  const noteCount = report.notes.length + report.diagnostics.length;
  const notes = noteCount > 0 ? `${plural(noteCount, 'note')} (what was not checked, parser diagnostics); ` : '';
  lines.push(
    command('notice', [['title', 'dlcverify']], `${report.summary.headline}. ${countsLine(report, countRows(rows))}; ${more}${notes}${where}`),
  );
  return lines.join('\n') + '\n';
}
