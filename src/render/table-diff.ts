/**
 * The terminal table for `dlcverify diff`: headline, regressions and changes (info rows with
 * --verbose, a count otherwise), notes, and the unified diff of the op lists.
 */
import { DIFF } from '../findings.js';
import type { DiffChange, DiffReport } from '../model.js';
import type { RenderOptions } from './options.js';
import { boxTableLines, wrapText } from './box-table.js';

const RED = '\u001b[31m';
const YELLOW = '\u001b[33m';
const DIM = '\u001b[2m';
const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

/** How many op-list diff lines are shown without --verbose. */
export const OP_DIFF_LINES = 80;

function paint(text: string, code: string, color: boolean): string {
  return color ? `${code}${text}${RESET}` : text;
}

function kindLabel(c: DiffChange): string {
  if (c.kind !== 'info' && c.waivedBy !== undefined) return 'waived';
  return c.kind;
}

function stepsCell(c: DiffChange): string {
  const d = c.deviation;
  if (!d || d.minSteps === undefined || d.maxSteps === undefined) return '';
  const steps = Math.max(d.minSteps, d.maxSteps);
  if (!Number.isFinite(steps)) return String(steps);
  return steps === 0 ? '0' : steps >= 0.01 ? steps.toFixed(2) : steps.toExponential(1);
}

export function renderDiffTable(report: DiffReport, options: RenderOptions): string {
  const color = options.color;
  const width = Math.max(80, options.width ?? 100);
  const out: string[] = [];
  out.push(
    `dlcverify diff  ${report.before.file} (${report.before.family ?? report.before.format}) -> ${report.after.file} (${report.after.family ?? report.after.format})`,
  );
  const failing = report.summary.exitCode === 1;
  out.push(paint(report.summary.headline, failing ? RED + BOLD : BOLD, color));

  const multiGraph = new Set(report.changes.map((c) => c.graph).filter((g) => g !== undefined)).size > 1;
  const shown = report.changes.filter((c) => options.verbose || c.kind !== 'info');
  const hiddenInfo = report.changes.length - shown.length;
  if (shown.length > 0) {
    const fixed = 12 + 18 + 8 + 6; // kind, code, steps (widths include padding), borders
    const rest = width - fixed;
    const subjectWidth = Math.max(20, Math.floor(rest * 0.3));
    const sentenceWidth = Math.max(30, rest - subjectWidth);
    const widths = [12, 18, subjectWidth, 8, sentenceWidth];
    const rows = shown.map((c) => {
      const kind = kindLabel(c);
      const painted = kind === 'regression' ? paint(kind, RED, color) : kind === 'change' ? paint(kind, YELLOW, color) : paint(kind, DIM, color);
      const subject = `${multiGraph && c.graph !== undefined ? `${c.graph}: ` : ''}${c.subject}${c.channel !== undefined ? ` [ch ${c.channel}]` : ''}`;
      const sentence = c.waivedBy !== undefined ? `${c.sentence} (waived: ${c.waivedBy})` : c.sentence;
      // Wrapped before drawing (names have no spaces: they break anywhere rather than being cut).
      return [painted, c.code, wrapText(subject, subjectWidth - 2), stepsCell(c), wrapText(sentence, sentenceWidth - 2)];
    });
    // The linear box-table writer: a --verbose diff of an LLM has a row per channel.
    out.push(
      [
        ...boxTableLines({
          head: ['kind', 'code', 'subject', 'steps', 'what changed'],
          rows,
          colWidths: widths,
          ...(color ? { headStyle: (t: string) => paint(t, BOLD, true) } : {}),
        }),
      ].join('\n'),
    );
  }
  if (hiddenInfo > 0) {
    const byCode = new Map<string, number>();
    for (const c of report.changes) if (c.kind === 'info') byCode.set(c.code, (byCode.get(c.code) ?? 0) + 1);
    out.push(
      paint(
        `${hiddenInfo} info row${hiddenInfo === 1 ? '' : 's'} not shown (${[...byCode].map(([code, k]) => `${k} ${code}: ${DIFF[code as keyof typeof DIFF]?.title ?? code}`).join(', ')}); --verbose lists them`,
        DIM,
        color,
      ),
    );
  }
  for (const note of report.notes) out.push(`note: ${note}`);
  const warnings = report.diagnostics.filter((d) => d.severity !== 'info');
  if (warnings.length > 0) {
    out.push(`${warnings.length} parser diagnostic${warnings.length === 1 ? '' : 's'} (the inputs have odd lines; --format json lists them):`);
    for (const d of warnings.slice(0, options.verbose ? warnings.length : 5)) {
      out.push(`  ${d.at.file ?? ''}${d.at.line !== undefined ? `:${d.at.line}` : ''} ${d.code}: ${d.detail}`);
    }
    if (!options.verbose && warnings.length > 5) out.push(`  … ${warnings.length - 5} more`);
  }
  if (report.opListDiff !== '') {
    const lines = report.opListDiff.replace(/\n$/, '').split('\n');
    out.push('op list diff:');
    const keep = options.verbose ? lines : lines.slice(0, OP_DIFF_LINES);
    for (const line of keep) {
      out.push(line.startsWith('-') && !line.startsWith('---') ? paint(line, RED, color) : line.startsWith('+') && !line.startsWith('+++') ? paint(line, YELLOW, color) : line);
    }
    if (keep.length < lines.length) out.push(`… ${lines.length - keep.length} more op-list diff lines (--verbose shows all)`);
  }
  return out.join('\n') + '\n';
}
