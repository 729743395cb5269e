import type { Report } from '../model.js';
import type { RenderOptions } from './index.js';

// Placeholder until its issue lands.
export function renderGithub(report: Report, _options: RenderOptions): string {
  return `${report.kind}: ${report.summary.headline}\n`;
}
