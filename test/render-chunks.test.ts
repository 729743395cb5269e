/**
 * Every format written in pieces joins to exactly the one-string rendering, and big reports come
 * out in many small pieces (a per-channel LLM report is hundreds of MB in CSV, JUnit and HTML).
 */
import { describe, expect, it } from 'vitest';
import { renderReport, renderReportChunks, REPORT_FORMATS } from '../src/render/index.js';
import { bigVerifyReport, diffReport, verifyReport } from './fixtures/render/reports.js';

const quiet = { color: false, verbose: false };

describe('renderReportChunks', () => {
  it.each(REPORT_FORMATS.map((format) => [format]))('%s: the pieces join to the one-string report (verify, diff, 1,201 results, verbose)', (format) => {
    for (const report of [verifyReport(), diffReport(), bigVerifyReport(1201)]) {
      for (const options of [quiet, { ...quiet, verbose: true }]) {
        expect([...renderReportChunks(report, format, options)].join('')).toBe(renderReport(report, format, options));
      }
    }
  });

  it.each([['csv'], ['junit'], ['html'], ['json'], ['table']] as const)('%s of a big report: many pieces, none growing with the number of results', (format) => {
    const largest = (n: number): { pieces: number; largest: number } => {
      const chunks = [...renderReportChunks(bigVerifyReport(n), format, { ...quiet, verbose: true })];
      return { pieces: chunks.length, largest: Math.max(...chunks.map((c) => c.length)) };
    };
    const small = largest(6000);
    const big = largest(12000);
    expect(big.pieces).toBeGreaterThan(small.pieces);
    // Row pieces are about 32 K characters; the HTML head (style, script, chart of at most
    // CHART_MAX_BARS bars) is one fixed-size piece.
    expect(big.largest).toBeLessThanOrEqual(Math.max(small.largest, 64 * 1024) * 1.1);
  });
});
