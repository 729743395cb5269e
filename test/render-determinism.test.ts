import { describe, expect, it } from 'vitest';
import { renderReport, type ReportFormat } from '../src/render/index.js';
import type { DiffReport, VerifyReport } from '../src/model.js';
import { diffReport, verifyReport } from './fixtures/render/reports.js';

const FORMATS: readonly ReportFormat[] = ['markdown', 'junit', 'sarif', 'github', 'csv', 'html'];

describe('every format is a function of the report, not of the order it was built in', () => {
  it.each(FORMATS)('%s: verify results and pipeline findings in reverse order give the same bytes', (format) => {
    const base = verifyReport();
    const reversed: VerifyReport = { ...base, results: [...base.results].reverse(), pipeline: [...base.pipeline].reverse() };
    for (const verbose of [false, true]) {
      expect(renderReport(reversed, format, { color: false, verbose })).toBe(renderReport(base, format, { color: false, verbose }));
    }
  });

  it.each(FORMATS)('%s: diff changes in reverse order give the same bytes', (format) => {
    const base = diffReport();
    const reversed: DiffReport = { ...base, changes: [...base.changes].reverse() };
    expect(renderReport(reversed, format, { color: false, verbose: true })).toBe(renderReport(base, format, { color: false, verbose: true }));
  });
});
