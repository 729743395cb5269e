import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/render/index.js';
import { escapeMarkdown, MARKDOWN_MAX_BYTES, renderMarkdownWithLimit } from '../src/render/markdown.js';
import { utf8Length } from '../src/render/escape.js';
import { bigVerifyReport, diffReport, PIPE_NAME, verifyReport, XSS_NAME } from './fixtures/render/reports.js';

const quiet = { color: false, verbose: false, fullReportPath: 'out/report.html' } as const;

describe('markdown report', () => {
  it('verify: golden', async () => {
    await expect(renderReport(verifyReport(), 'markdown', quiet)).toMatchFileSnapshot('fixtures/render/verify.md');
  });

  it('verify --verbose: golden', async () => {
    await expect(renderReport(verifyReport(), 'markdown', { ...quiet, verbose: true })).toMatchFileSnapshot(
      'fixtures/render/verify-verbose.md',
    );
  });

  it('diff: golden', async () => {
    await expect(renderReport(diffReport(), 'markdown', quiet)).toMatchFileSnapshot('fixtures/render/diff.md');
  });

  it('banner, counts, failures table and folded expected deviations', () => {
    const md = renderReport(verifyReport(), 'markdown', quiet);
    expect(md.split('\n')[0]).toBe('## ❌ dlcverify: FAILED');
    // 4 failed (3 mismatches + float fallback... counted from rows), 1 waived, 2 warnings (pipeline + ambiguous)
    expect(md).toContain('| 4 | 2 | 1 | 3 | 2 | 3 |');
    expect(md).toContain('### Failures and warnings (7)');
    expect(md).toMatch(/<details>\n<summary>Expected deviations \(3\)<\/summary>/);
    // routine NOT_IN_SOURCE rows are counted, not listed, without --verbose
    expect(md).not.toContain('/model.0/conv/Conv\\_output\\_0');
    expect(md).toContain('1 tensor not named by the source: counted, not listed (use --verbose).');
  });

  it('escapes |, backticks and < in names (they cannot break the table or open HTML)', () => {
    const md = renderReport(verifyReport(), 'markdown', { ...quiet, verbose: true });
    expect(md).not.toContain(XSS_NAME);
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(md).not.toContain(PIPE_NAME);
    expect(md).toContain('head\\|split\\`x\\`');
    // every table line of the failures table has exactly 8 unescaped pipes (7 cells)
    const lines = md.split('\n');
    const start = lines.indexOf('### Failures and warnings (7)');
    const tableLines = lines.slice(start + 2, start + 2 + 9);
    for (const line of tableLines) expect(line.replace(/\\\|/g, '').split('|').length - 1).toBe(8);
    const asMeant = lines.slice(lines.indexOf('<summary>As meant (3)</summary>') + 2).filter((l) => l.startsWith('| '));
    for (const line of asMeant.slice(0, 5)) expect(line.replace(/\\\|/g, '').split('|').length - 1).toBe(6);
  });

  it.each([
    ['a|b', 'a\\|b'],
    ['`x`', '\\`x\\`'],
    ['<b>', '&lt;b&gt;'],
    ['a&lt;', 'a&amp;lt;'],
    ['line\nbreak', 'line break'],
    ['*em* _u_ [l](x)', '\\*em\\* \\_u\\_ \\[l\\](x)'],
    ['back\\slash', 'back\\\\slash'],
  ])('escapeMarkdown(%j) = %j', (input, output) => {
    expect(escapeMarkdown(input)).toBe(output);
  });

  it('diff: regressions first, the op list diff in a fence content cannot close', () => {
    const md = renderReport(diffReport(), 'markdown', quiet);
    expect(md.split('\n')[0]).toBe('## ❌ dlcverify diff: REGRESSION');
    const table = md.slice(md.indexOf('### Regressions and changes'));
    expect(table.indexOf('BECAME\\_FLOAT')).toBeLessThan(table.indexOf('ENCODING\\_CHANGED'));
    expect(table.indexOf('OP\\_REMOVED')).toBeLessThan(table.indexOf('ENCODING\\_CHANGED'));
    expect(md).toContain('```diff\n--- dumps/yesterday_info.txt');
  });

  it('stays under 1 MiB with an explicit truncation line', () => {
    const report = bigVerifyReport(20_000);
    const md = renderReport(report, 'markdown', quiet);
    expect(utf8Length(md)).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
    expect(utf8Length(md)).toBeGreaterThan(MARKDOWN_MAX_BYTES - 64 * 1024);
    expect(md).toMatch(/\*\*Truncated: \d+ more rows and 2 more notes not shown .*the full report is at `out\/report.html`\.\*\*/);
    // the document stays well formed: every <details> is closed
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
  });

  it('an op list diff too big for the summary is left out, saying so', () => {
    const huge = { ...diffReport(), opListDiff: Array.from({ length: 100_000 }, (_, i) => `-op_${i}  Conv2d`).join('\n') };
    const md = renderReport(huge, 'markdown', quiet);
    expect(utf8Length(md)).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
    expect(md).toContain('_The op list diff does not fit in the step summary._');
    expect(md).not.toContain('-op_0  Conv2d');
  });

  it('notes and diagnostics are budgeted too', () => {
    const base = verifyReport();
    const noisy = {
      ...base,
      diagnostics: Array.from({ length: 30_000 }, (_, i) => ({ ...base.diagnostics[0]!, at: { file: 'dump.txt', line: i + 1 } })),
    };
    const md = renderReport(noisy, 'markdown', quiet);
    expect(utf8Length(md)).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
    const shownNotes = md.split('\n').filter((l) => l.startsWith('- DUMP\\_ELIDED\\_ROWS')).length;
    const dropped = Number(/Truncated: (\d+) more notes not shown/.exec(md)?.[1]);
    expect(shownNotes + dropped).toBe(30_000);
  });

  it('truncation counts exactly the rows left out', () => {
    const report = bigVerifyReport(300);
    const full = renderMarkdownWithLimit(report, quiet, 10 * 1024 * 1024);
    expect(full).not.toContain('Truncated');
    const cut = renderMarkdownWithLimit(report, quiet, 20 * 1024);
    const dropped = Number(/Truncated: (\d+) more rows/.exec(cut)?.[1]);
    const rowLines = (s: string): number => s.split('\n').filter((l) => l.startsWith('| ') && l.includes('sentence ')).length;
    expect(rowLines(cut) + dropped).toBe(rowLines(full));
    expect(utf8Length(cut)).toBeLessThanOrEqual(20 * 1024);
  });
});
