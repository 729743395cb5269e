import type { Report } from '../model.js';

// Placeholder until issue 4 lands.
export function renderJson(report: Report): string {
  return JSON.stringify({ kind: report.kind, schemaVersion: report.schemaVersion }) + '\n';
}
