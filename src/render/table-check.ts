/**
 * The terminal table for `dlcverify check`: headline, what was looked at (models, seams per pair
 * of parts, shared weights, encodings), the failing and warning findings (passing seams, shared
 * weights and conversions with --verbose, a count otherwise), notes and parser diagnostics.
 */
import { CHECKS } from '../findings.js';
import type { CheckFinding, CheckReport } from '../model.js';
import type { RenderOptions } from './options.js';
import { boxTableLines, wrapText } from './box-table.js';
import { fmtSteps } from '../words.js';

const RED = '\u001b[31m';
const YELLOW = '\u001b[33m';
const DIM = '\u001b[2m';
const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

function paint(text: string, code: string, color: boolean): string {
  return color ? `${code}${text}${RESET}` : text;
}

const ORDER = { fail: 0, warn: 1, info: 2, ok: 3 } as const;

function statusLabel(f: CheckFinding): string {
  if (f.waivedBy !== undefined && (f.kind === 'fail' || f.kind === 'warn')) return 'waived';
  return f.kind;
}

function stepsCell(f: CheckFinding): string {
  const d = f.deviation;
  if (!d || d.minSteps === undefined || d.maxSteps === undefined) return '';
  return fmtSteps(Math.max(d.minSteps, d.maxSteps));
}

function graphLabel(file: string, graph: string, models: number): string {
  return models > 1 ? `${file} (${graph})` : graph;
}

export function renderCheckTable(report: CheckReport, options: RenderOptions): string {
  const color = options.color;
  const width = Math.max(80, options.width ?? 100);
  const models = report.models.length;
  const out: string[] = [];
  out.push(`dlcverify check  ${report.models.map((m) => `${m.file} (${m.family ?? m.format})`).join(', ')}`);
  out.push(paint(report.summary.headline, report.summary.exitCode === 1 ? RED + BOLD : BOLD, color));
  const c = report.coverage;
  out.push(
    `looked at: ${c.models} model(s), ${c.graphs} graph(s), ${c.encodings} encodings (${c.channels} channels), ` +
      `${c.seams} seam(s) in ${c.seamPairs.length} pair(s) of parts, ${c.sharedWeights} shared weight(s), ${c.converted} bitwidth conversion(s)`,
  );
  for (const p of c.seamPairs) {
    out.push(
      `  seams ${graphLabel(p.producer.file, p.producer.graph, models)} -> ${graphLabel(p.consumer.file, p.consumer.graph, models)}: ${p.seams} (of ${p.outputs} output(s), ${p.inputs} input(s))`,
    );
  }

  const sorted = [...report.findings].sort(
    (a, b) => ORDER[a.kind] - ORDER[b.kind] || (a.tensor < b.tensor ? -1 : a.tensor > b.tensor ? 1 : 0) || (a.channel ?? -1) - (b.channel ?? -1),
  );
  const shown = sorted.filter((f) => options.verbose || f.kind === 'fail' || f.kind === 'warn');
  const hidden = sorted.length - shown.length;
  if (shown.length > 0) {
    const fixed = 9 + 24 + 8 + 6;
    const rest = width - fixed;
    const subjectWidth = Math.max(20, Math.floor(rest * 0.3));
    const sentenceWidth = Math.max(30, rest - subjectWidth);
    const rows = shown.map((f) => {
      const status = statusLabel(f);
      const painted = status === 'fail' ? paint(status, RED, color) : status === 'warn' ? paint(status, YELLOW, color) : paint(status, DIM, color);
      const subject = `${graphLabel(f.where.file, f.where.graph, models)}: ${f.tensor}${f.channel !== undefined ? ` [ch ${f.channel}]` : ''}`;
      const sentence = f.waivedBy !== undefined ? `${f.sentence} (waived: ${f.waivedBy})` : f.sentence;
      return [painted, f.code, wrapText(subject, subjectWidth - 2), stepsCell(f), wrapText(sentence, sentenceWidth - 2)];
    });
    out.push(
      [
        ...boxTableLines({
          head: ['kind', 'code', 'where', 'steps', 'finding'],
          rows,
          colWidths: [9, 24, subjectWidth, 8, sentenceWidth],
          ...(color ? { headStyle: (t: string) => paint(t, BOLD, true) } : {}),
        }),
      ].join('\n'),
    );
  }
  if (hidden > 0) {
    const byCode = new Map<string, number>();
    for (const f of sorted) if (!shown.includes(f)) byCode.set(f.code, (byCode.get(f.code) ?? 0) + 1);
    out.push(
      paint(
        `${hidden} passing row${hidden === 1 ? '' : 's'} not shown (${[...byCode].map(([code, n]) => `${n} ${code}: ${CHECKS[code as keyof typeof CHECKS].title}`).join(', ')}); --verbose lists them`,
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
  return out.join('\n') + '\n';
}
