/**
 * Diagnostics of one dump, with a cap per code: a 200 MB file with a million odd lines must keep
 * memory proportional to the model, so after `CAP` diagnostics of one code the rest are counted
 * and reported as one summary diagnostic (with the line of the last one).
 */
import { DIAGNOSTICS } from '../../findings.js';
import type { Diagnostic, DiagnosticCode } from '../../model.js';

const CAP = 50;

export class DiagnosticSink {
  private readonly list: Diagnostic[] = [];
  private readonly overflow = new Map<DiagnosticCode, { count: number; lastLine: number | undefined }>();
  private readonly counts = new Map<DiagnosticCode, number>();

  constructor(private readonly file: string) {}

  add(code: DiagnosticCode, detail: string, line?: number): void {
    // Details quote names from the file; a pathological 10 MB name must not be copied 50 times.
    if (detail.length > 600) detail = `${detail.slice(0, 600)}…`;
    const n = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, n);
    if (n <= CAP) {
      this.list.push({ code, severity: DIAGNOSTICS[code].severity, detail, at: line === undefined ? { file: this.file } : { file: this.file, line } });
      return;
    }
    const o = this.overflow.get(code) ?? { count: 0, lastLine: undefined };
    o.count++;
    o.lastLine = line;
    this.overflow.set(code, o);
  }

  finish(): Diagnostic[] {
    const out = this.list.slice();
    for (const [code, o] of this.overflow) {
      out.push({
        code,
        severity: DIAGNOSTICS[code].severity,
        detail: `${o.count} more ${code} diagnostic(s) not listed (the last at line ${o.lastLine ?? '?'})`,
        at: o.lastLine === undefined ? { file: this.file } : { file: this.file, line: o.lastLine },
      });
    }
    return out.sort((a, b) => (a.at.line ?? 0) - (b.at.line ?? 0));
  }
}
