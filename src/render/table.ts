import type { Report } from '../model.js';
import type { RenderOptions } from './index.js';
import { renderDiffTable } from './table-diff.js';

// Placeholder until its issue lands (the diff table is in table-diff.ts).
export function renderTable(report: Report, options: RenderOptions): string {
  if (report.kind === 'diff') return renderDiffTable(report, options);
  return `${report.kind}: ${report.summary.headline}\n`;
}
