/**
 * Markdown for `$GITHUB_STEP_SUMMARY` (GitHub-flavoured: tables, `<details>`): a verdict banner,
 * counts, the failures, expected deviations folded away. GitHub rejects a step summary over 1 MiB,
 * so rows stop before that with an explicit truncation line naming what was left out.
 */
import { diagnosticSentence } from '../findings.js';
import type { Report } from '../model.js';
import type { RenderOptions } from './options.js';
import {
  allRows,
  countOf,
  countRows,
  gridText,
  hypothesisText,
  locationText,
  plural,
  sortedEntries,
  STATUS_LABEL,
  STATUS_ORDER,
  subjectText,
  tagText,
  verdictWord,
  visibleRows,
  type Row,
  type Status,
} from './common.js';
import { escapeHtml, stripInvalidXmlChars, utf8Length } from './escape.js';
import { fmtSteps } from '../words.js';

/** GitHub's step summary limit is 1 MiB; keep a margin for what the workflow itself appends. */
export const MARKDOWN_MAX_BYTES = 1024 * 1024 - 16 * 1024;

/**
 * Inline text safe in a table cell and in running text: `|` and backticks cannot end the cell or
 * open code, `<` cannot open HTML, `*_[]~` cannot format, line breaks cannot end the row.
 */
export function escapeMarkdown(text: string): string {
  return stripInvalidXmlChars(text)
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*_[\]~|#!]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** A fenced block whose fence is longer than any backtick run inside (so content cannot close it). */
function fenced(info: string, body: string): string[] {
  let longest = 0;
  for (const run of body.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [fence + info, stripInvalidXmlChars(body).replace(/\n$/, ''), fence];
}

/** A code span that content cannot close: a fence longer than any backtick run inside. */
function codeSpan(text: string): string {
  const clean = stripInvalidXmlChars(text).replace(/\r\n|\r|\n/g, ' ');
  let longest = 0;
  for (const run of clean.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

const STATUS_ICON = {
  fail: '❌',
  warn: '⚠️',
  waived: '🔕',
  expected: '☑️',
  info: 'ℹ️',
  ok: '✅',
} as const satisfies Record<Status, string>;

/** Collects lines while a byte budget lasts; table rows that do not fit are counted, not written. */
class Budget {
  readonly lines: string[] = [];
  private bytes = 0;
  /** Table rows left out. */
  dropped = 0;
  /** Note lines left out (notes and diagnostics can be many too). */
  droppedNotes = 0;
  private full = false;
  get isFull(): boolean {
    return this.full;
  }
  constructor(private readonly max: number) {}
  /** Bytes still free under the limit. */
  get remaining(): number {
    return this.max - this.bytes;
  }
  /** Always written (banners, closing tags): they are small and keep the document well formed. */
  push(...lines: string[]): void {
    for (const line of lines) {
      this.lines.push(line);
      this.bytes += utf8Length(line) + 1;
    }
  }
  /** Written only if it fits under the limit, leaving `reserve` bytes for what must follow. */
  pushRow(line: string, reserve: number, what: 'row' | 'note' = 'row'): boolean {
    const size = utf8Length(line) + 1;
    // Once one line did not fit, none after it is written: a cut table is cut in one place.
    if (this.full || this.bytes + size + reserve > this.max) {
      this.full = true;
      if (what === 'row') this.dropped++;
      else this.droppedNotes++;
      return false;
    }
    this.lines.push(line);
    this.bytes += size;
    return true;
  }
}

/** Bytes kept free for closing tags, notes and the truncation line after any table row. */
const RESERVE_BYTES = 8 * 1024;
/** Bytes kept free after a note for the truncation line itself. */
const TRUNCATION_RESERVE_BYTES = 1024;

function cell(text: string): string {
  return text === '' ? ' ' : escapeMarkdown(text);
}

function stepsCell(row: Row): string {
  return row.deviationSteps !== undefined ? fmtSteps(row.deviationSteps) : '';
}

function detailCell(row: Row): string {
  const parts = [escapeMarkdown(row.sentence)];
  if (row.section === 'change' && (row.expected !== undefined || row.actual !== undefined)) {
    parts.push(`${escapeMarkdown(gridText(row.expected) || '–')} → ${escapeMarkdown(gridText(row.actual) || '–')}`);
  }
  if (row.hypothesis !== undefined) parts.push(escapeMarkdown(hypothesisText(row)));
  if (row.waivedBy !== undefined) parts.push(`waived by ${escapeMarkdown(row.waivedBy)}`);
  for (const tag of row.tags) parts.push(escapeMarkdown(tagText(tag)));
  return parts.join('<br>');
}

function table(out: Budget, header: readonly string[], rows: readonly Row[], cells: (row: Row) => readonly string[]): void {
  out.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
  for (const row of rows) out.pushRow(`| ${cells(row).join(' | ')} |`, RESERVE_BYTES);
}

function nameHeader(report: Report): string {
  return report.kind === 'diff' ? 'Subject' : 'Tensor';
}

function codeHeader(report: Report): string {
  return report.kind === 'verify' ? 'Verdict' : report.kind === 'diff' ? 'Change' : 'Finding';
}

function problemTable(out: Budget, report: Report, rows: readonly Row[]): void {
  const header = ['', 'Graph', nameHeader(report), codeHeader(report), 'Steps', 'Detail', 'Where'];
  table(out, header, rows, (row) => [
    `${STATUS_ICON[row.status]} ${STATUS_LABEL[row.status]}`,
    cell(row.graph ?? ''),
    cell(subjectText(row)),
    `${escapeMarkdown(row.code)}<br>${escapeMarkdown(row.title)}`,
    stepsCell(row),
    detailCell(row),
    cell(locationText(row.at)),
  ]);
}

function foldedTable(out: Budget, report: Report, summary: string, rows: readonly Row[]): void {
  if (rows.length === 0) return;
  out.push('<details>', `<summary>${escapeHtml(summary)} (${rows.length})</summary>`, '');
  table(out, ['Graph', nameHeader(report), codeHeader(report), 'Steps', 'Why'], rows, (row) => [
    cell(row.graph ?? ''),
    cell(subjectText(row)),
    escapeMarkdown(row.code),
    stepsCell(row),
    detailCell(row),
  ]);
  out.push('', '</details>', '');
}

function inputsLine(report: Report): string {
  const ref = (r: { file: string; format: string; family?: string }): string =>
    `${codeSpan(r.file)} (${escapeMarkdown([r.format, r.family].filter(Boolean).join(', '))})`;
  if (report.kind === 'check') return report.models.map(ref).join(', ');
  return report.kind === 'verify'
    ? `${ref(report.dlc)} against ${ref(report.source)}`
    : `${ref(report.before)} → ${ref(report.after)}`;
}

export function renderMarkdownWithLimit(report: Report, options: RenderOptions, maxBytes: number): string {
  const rows = allRows(report);
  const counts = countRows(rows);
  const shown = visibleRows(rows, options.verbose);
  const ok = report.summary.exitCode === 0;
  const out = new Budget(maxBytes);

  out.push(`## ${ok ? '✅' : '❌'} ${report.kind === 'verify' ? 'dlcverify' : `dlcverify ${report.kind}`}: ${verdictWord(report)}`, '');
  out.push(`**${escapeMarkdown(report.summary.headline)}**`, '');
  out.push(inputsLine(report), '');

  const statuses = STATUS_ORDER.filter((s) => countOf(counts, s) > 0);
  if (statuses.length > 0) {
    out.push(`| ${statuses.map((s) => `${STATUS_ICON[s]} ${STATUS_LABEL[s]}`).join(' | ')} |`);
    out.push(`|${statuses.map(() => '---:').join('|')}|`);
    out.push(`| ${statuses.map((s) => String(countOf(counts, s))).join(' | ')} |`, '');
  }
  if (report.kind === 'verify') {
    const c = report.coverage;
    const rules = sortedEntries(c.byRule).map(([rule, n]) => `${rule} ${n}`);
    out.push(
      `Coverage: ${c.matched} of ${c.sourceEntries} source entries matched, ${c.sourceOnly} only in the source, ` +
        `${c.dlcOnly} only in the DLC${rules.length > 0 ? ` (match rules: ${escapeMarkdown(rules.join(', '))})` : ''}.`,
      '',
    );
  }
  if (report.kind === 'check') {
    const c = report.coverage;
    out.push(
      `Coverage: ${c.seams} seam(s) in ${c.seamPairs.length} pair(s) of parts, ${c.sharedWeights} shared weight(s), ` +
        `${c.encodings} encodings (${c.channels} channels) in ${c.graphs} graph(s), ${c.converted} bitwidth conversion(s).`,
      '',
    );
  }

  const problems = shown.filter((r) => r.status === 'fail' || r.status === 'warn' || r.status === 'waived');
  if (problems.length > 0) {
    out.push(`### ${report.kind === 'diff' ? 'Regressions and changes' : 'Failures and warnings'} (${problems.length})`, '');
    problemTable(out, report, problems);
    out.push('');
  } else {
    out.push(report.kind === 'diff' ? 'No regressions.' : 'No failures.', '');
  }

  foldedTable(out, report, 'Expected deviations', shown.filter((r) => r.status === 'expected'));
  foldedTable(out, report, 'Info', shown.filter((r) => r.status === 'info'));
  foldedTable(out, report, 'As meant', options.verbose ? shown.filter((r) => r.status === 'ok') : []);

  if (report.kind === 'diff' && report.opListDiff.trim() !== '') {
    out.push('<details>', '<summary>Op list diff</summary>', '');
    const block = fenced('diff', report.opListDiff);
    if (!out.isFull && utf8Length(block.join('\n')) + RESERVE_BYTES < out.remaining) {
      out.push(...block);
    } else {
      out.push('_The op list diff does not fit in the step summary._');
    }
    out.push('', '</details>', '');
  }

  const notes = [
    ...(counts.routine > 0 && !options.verbose
      ? [
          report.kind === 'verify'
            ? `${plural(counts.routine, 'tensor')} not named by the source: counted, not listed (use --verbose).`
            : report.kind === 'check'
              ? `${plural(counts.routine, 'passing check')} (seams, shared weights, conversions): counted, not listed (use --verbose).`
              : `${plural(counts.routine, 'unchanged encoding')}: counted, not listed (use --verbose).`,
        ]
      : []),
    ...report.notes.map(escapeMarkdown),
    ...report.diagnostics.map(
      (d) =>
        `${escapeMarkdown(d.code)} (${d.severity}${d.at.line !== undefined || d.at.file ? `, ${escapeMarkdown(locationText(d.at))}` : ''}): ` +
        escapeMarkdown(diagnosticSentence(d.code, d.detail)),
    ),
  ];
  if (notes.length > 0) {
    out.push('### Notes', '');
    for (const note of notes) out.pushRow(`- ${note}`, TRUNCATION_RESERVE_BYTES, 'note');
    out.push('');
  }

  if (out.dropped > 0 || out.droppedNotes > 0) {
    const where = options.fullReportPath !== undefined ? `the full report is at ${codeSpan(options.fullReportPath)}` : 'write the full report with `--report html=PATH`';
    const what = [
      ...(out.dropped > 0 ? [`${plural(out.dropped, 'more row')}`] : []),
      ...(out.droppedNotes > 0 ? [`${plural(out.droppedNotes, 'more note')}`] : []),
    ].join(' and ');
    out.push(`**Truncated: ${what} not shown (GitHub step summaries are limited to 1 MiB); ${where}.**`, '');
  }
  return out.lines.join('\n');
}

export function renderMarkdown(report: Report, options: RenderOptions): string {
  return renderMarkdownWithLimit(report, options, MARKDOWN_MAX_BYTES);
}
