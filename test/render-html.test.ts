import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/render/index.js';
import { CHART_MAX_BARS } from '../src/render/html.js';
import { bigVerifyReport, diffReport, SCRIPT_NAME, verifyReport, XSS_NAME } from './fixtures/render/reports.js';

const quiet = { color: false, verbose: false } as const;

function embeddedJson(html: string): string {
  const m = /<script type="application\/json" id="dlcverify-data">([^]*?)<\/script>/.exec(html);
  if (m === null) throw new Error('no embedded data');
  return m[1]!;
}

describe('html report (static checks; the browser test is html-browser.test.ts)', () => {
  it('verify: golden', async () => {
    await expect(renderReport(verifyReport(), 'html', quiet)).toMatchFileSnapshot('fixtures/render/verify.html');
  });

  it('diff: golden', async () => {
    await expect(renderReport(diffReport(), 'html', quiet)).toMatchFileSnapshot('fixtures/render/diff.html');
  });

  it('is self-contained: no external URL in src/href, no link/import, a CSP that forbids fetching', () => {
    const html = renderReport(verifyReport(), 'html', quiet);
    expect(html).not.toMatch(/<[a-z]+[^>]*\s(src|href)=/i);
    expect(html).not.toMatch(/<link|@import|url\(/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    expect(html.match(/<script/g)).toHaveLength(2);
  });

  it('escapes names in markup and in the embedded JSON', () => {
    const html = renderReport(verifyReport(), 'html', quiet);
    expect(html).not.toContain(XSS_NAME);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const json = embeddedJson(html);
    expect(json).not.toMatch(/<|>|\u2028/);
    // the script element is not ended early by `</script>` in a name: exactly two closings in the page
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    const data = JSON.parse(json) as { rows: { q: string }[] };
    expect(data.rows.some((r) => r.q.includes(SCRIPT_NAME.toLowerCase()))).toBe(true);
    expect(data.rows.some((r) => r.q.includes(XSS_NAME))).toBe(true);
  });

  it('lists routine rows only with --verbose, counts them always', () => {
    const html = renderReport(verifyReport(), 'html', quiet);
    expect(html.match(/<tr class="st-/g)).toHaveLength(14);
    expect(html).toContain('1 tensor not named by the source: counted, not listed (use --verbose).');
    expect(renderReport(verifyReport(), 'html', { ...quiet, verbose: true }).match(/<tr class="st-/g)).toHaveLength(15);
    expect(html).toContain('<span class="n" id="count-fail">4</span>');
    expect(html).toContain('<span class="n" id="count-total">15</span>');
  });

  it('charts thousands of tensors in at most CHART_MAX_BARS bars, failures highlighted', () => {
    const html = renderReport(bigVerifyReport(5000), 'html', quiet);
    const bars = html.match(/<rect class="bar st-(\w+)"/g)!;
    expect(bars.length).toBeLessThanOrEqual(CHART_MAX_BARS);
    expect(bars.length).toBe(Math.ceil(5000 / Math.ceil(5000 / CHART_MAX_BARS)));
    expect(html).toContain('5000 tensors in dump order, 4 per bar (their largest)');
    // 52 failures (every 97th of 5000), each in a different bucket of 4
    expect(bars.filter((b) => b.includes('st-fail'))).toHaveLength(52);
  });
});
