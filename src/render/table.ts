/**
 * The terminal report: failures first, then expected deviations grouped by reason, then coverage,
 * notes and one summary line, then what to do next. Fits 100 columns; colour only when asked.
 */
import { PIPELINE, VERDICTS, pipelineSentence } from '../findings.js';
import type { Report, ResultKind, Verdict, VerifyReport, VerifyResult } from '../model.js';
import type { RenderOptions } from './options.js';
import { boxTableLines, wrapText } from './box-table.js';
import { chunked } from './chunks.js';
import { renderDiffTable } from './table-diff.js';
import { renderCheckTable } from './table-check.js';

const WIDTH = 100;

interface Paint {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

function paint(color: boolean): Paint {
  const wrap = (open: number, close: number) => (s: string) => (color ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

function kindLabel(kind: ResultKind, p: Paint, padded = false): string {
  if (kind === 'ok' && padded) return `${p.green('ok')}  `;
  switch (kind) {
    case 'fail':
      return p.red('FAIL');
    case 'warn':
      return p.yellow('WARN');
    case 'info':
      return p.dim('info');
    case 'ok':
      return p.green('ok');
  }
}


/** `showGraph`: results of multi-graph DLCs name their graph. */
function tensorCell(r: VerifyResult, showGraph: boolean): string {
  const channel = r.channel !== undefined ? ` [ch ${r.channel}]` : '';
  const graph = showGraph && r.graph !== undefined ? `${r.graph}: ` : '';
  return `${graph}${r.tensor}${channel}`;
}

/** Three columns at WIDTH: contents + 2 padding each + 4 borders. */
const COLS = [32, 25, WIDTH - 32 - 25 - 4];

function resultsTable(results: readonly VerifyResult[], p: Paint, showGraph: boolean): Iterable<string> {
  // Rows made one at a time as the table draws them (--verbose lists every channel).
  function* rows(): Generator<string[]> {
    for (const r of results) {
      const waived = r.waivedBy !== undefined ? `\n${wrapText(`(waived: ${r.waivedBy})`, COLS[1]! - 2)}` : '';
      yield [wrapText(tensorCell(r, showGraph), COLS[0]! - 2), `${kindLabel(r.kind, p)}\n${r.verdict}${waived}`, wrapText(r.sentence, COLS[2]! - 2)];
    }
  }
  return boxTableLines({ head: ['Tensor', 'Verdict', 'Why'], rows: rows(), colWidths: COLS, headStyle: p.bold });
}

/** Indents a wrapped block: `first` before its first line, `rest` before the others. */
function indent(block: string, first: string, rest: string): string {
  return block
    .split('\n')
    .map((line, i) => (i === 0 ? first : rest) + line)
    .join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Lines of a table drawn when written: a --verbose table has a line per channel. */
interface TableBlock {
  readonly lines: Iterable<string>;
}


function* renderVerify(report: VerifyReport, options: RenderOptions): Generator<string> {
  const p = paint(options.color);
  const showGraph = new Set(report.results.map((r) => r.graph).filter((g) => g !== undefined)).size > 1;
  const out: (string | TableBlock)[] = [];
  out.push(p.bold(`dlcverify: ${report.dlc.file} (${report.dlc.family ?? report.dlc.format}) against ${report.source.file} (${report.source.format})`));
  out.push('');

  if (report.pipeline.length > 0) {
    out.push(p.bold('Pipeline'));
    for (const f of report.pipeline) {
      const waived = f.waivedBy !== undefined ? ` (waived: ${f.waivedBy})` : '';
      out.push(indent(wrapText(`${f.code}: ${pipelineSentence(f.code, f.detail)}${waived}`, WIDTH - 8), `  ${kindLabel(f.kind, p, true)} `, '       '));
    }
    out.push('');
  }

  const failing = report.results.filter((r) => r.kind === 'fail' || r.kind === 'warn');
  if (failing.length > 0) {
    out.push(p.bold(`Needs attention (${failing.length})`));
    out.push({ lines: resultsTable(failing, p, showGraph) });
    out.push('');
  }

  // Expected deviations, grouped by reason (verdicts that are fine but not a plain equality).
  const expected = report.results.filter((r) => r.kind === 'ok' && VERDICTS[r.verdict].status === 'expected deviation');
  if (expected.length > 0) {
    out.push(p.bold(`Expected deviations (${expected.length})`));
    const groups = new Map<Verdict, VerifyResult[]>();
    for (const r of expected) {
      const list = groups.get(r.verdict);
      if (list) list.push(r);
      else groups.set(r.verdict, [r]);
    }
    for (const [verdict, list] of groups) {
      out.push(indent(wrapText(`${verdict} (${list.length}): ${VERDICTS[verdict].help}`, WIDTH - 4), '  ', '    '));
      const shown = options.verbose ? list : list.slice(0, 5);
      for (const r of shown) out.push(indent(wrapText(`- ${tensorCell(r, showGraph)}: ${r.sentence}`, WIDTH - 6), '    ', '      '));
      if (shown.length < list.length) out.push(p.dim(`    … and ${list.length - shown.length} more (--verbose lists them)`));
    }
    out.push('');
  }

  if (options.verbose) {
    out.push(p.bold(`Every tensor (${report.results.length})`));
    out.push({ lines: resultsTable(report.results, p, showGraph) });
    out.push('');
  }

  const asGiven = report.results.filter((r) => r.kind === 'ok' && VERDICTS[r.verdict].status === 'as meant').length;
  const calibrated = report.results.filter((r) => r.verdict === 'NOT_IN_SOURCE').length;
  const c = report.coverage;
  const rules = [...c.byRule].map(([rule, n]) => `${rule} ${n}`).join(', ');
  out.push(
    `Coverage: ${c.matched} of ${plural(c.sourceEntries, 'source entry').replace('entrys', 'entries')} matched${rules ? ` (${rules})` : ''}; ` +
      `${c.sourceOnly} only in the source; ${c.dlcOnly} only in the DLC.`,
  );
  const byRole = new Map<string, number>();
  for (const r of report.results) if (r.verdict === 'NOT_IN_SOURCE') byRole.set(r.role ?? 'tensor', (byRole.get(r.role ?? 'tensor') ?? 0) + 1);
  const roles = [...byRole].map(([role, n]) => `${n} ${role}`).join(', ');
  out.push(
    `As given: ${asGiven}; calibrated by the quantizer (not in the source): ${calibrated}` +
      `${calibrated > 0 ? ` (${roles}${options.verbose ? '' : '; --verbose lists them'})` : ''}.`,
  );
  for (const note of report.notes) out.push(`Note: ${note}`);
  if (report.diagnostics.length > 0) {
    const bySeverity = new Map<string, number>();
    for (const d of report.diagnostics) bySeverity.set(d.severity, (bySeverity.get(d.severity) ?? 0) + 1);
    out.push(
      `Input diagnostics: ${[...bySeverity].map(([s, n]) => plural(n, s)).join(', ')} (see --format json; --strict makes them fatal).`,
    );
  }
  out.push('');

  const counts = [...report.summary.byKind].filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ');
  const mark = report.summary.exitCode === 0 ? p.green('✔ VERIFIED') : p.red('✖ FAILED');
  out.push(`${mark}  ${report.summary.headline}${counts ? ` [${counts}]` : ''}`);

  // What to do next, once per failing verdict / pipeline code.
  const next: string[] = [];
  const seen = new Set<string>();
  for (const f of report.pipeline) {
    if ((f.kind === 'fail' || f.kind === 'warn') && f.waivedBy === undefined && !seen.has(f.code)) {
      seen.add(f.code);
      next.push(`${f.code}: ${PIPELINE[f.code].title}. ${f.detail}`);
    }
  }
  for (const r of failing) {
    if (r.waivedBy !== undefined || seen.has(r.verdict)) continue;
    seen.add(r.verdict);
    next.push(`${r.verdict}: ${VERDICTS[r.verdict].help}`);
  }
  if (next.length === 0 && report.summary.exitCode === 0) {
    out.push('Nothing to do: every override is in the DLC, as given or changed only in expected ways.');
  }
  if (next.length > 0) {
    out.push('');
    out.push(p.bold('What to do next'));
    for (const n of next) out.push(indent(wrapText(`- ${n}`, WIDTH - 4), '  ', '    '));
    out.push(indent(wrapText(`- To accept a known deviation: --waive 'TENSOR_GLOB:VERDICT' (or "waivers" in dlcverify.config.json).`, WIDTH - 4), '  ', '    '));
  }
  // Plain lines wrap at WIDTH too (tables are already sized).
  const wrapLong = (block: string): string =>
    block
      .split('\n')
      .map((line) => (line.length > WIDTH && !/^[┌│├└]/.test(line) ? wrapText(line, WIDTH - 2).replace(/\n/g, '\n  ') : line))
      .join('\n');
  // Every block ends with a newline; tables are drawn to width already and never re-wrapped.
  for (const block of out) {
    if (typeof block === 'string') {
      yield `${wrapLong(block)}\n`;
      continue;
    }
    for (const line of block.lines) yield `${line}\n`;
  }
}

export function renderTable(report: Report, options: RenderOptions): string {
  return [...renderTableChunks(report, options)].join('');
}

/** The same text as `renderTable`, in pieces to write one after the other. */
export function renderTableChunks(report: Report, options: RenderOptions): Iterable<string> {
  if (report.kind === 'check') return chunked([renderCheckTable(report, options)]);
  return chunked(report.kind === 'verify' ? renderVerify(report, options) : [renderDiffTable(report, options)]);
}
