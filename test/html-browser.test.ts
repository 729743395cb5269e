/**
 * The HTML report in a real headless browser: Debian's `chromium` driven by playwright-core.
 * `.ci/run` installs chromium; locally the test skips (visibly) when it is absent, on CI
 * (`CI` set) it never skips: a missing browser fails the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { renderReport } from '../src/render/index.js';
import { diffReport, SCRIPT_NAME, verifyReport, XSS_NAME } from './fixtures/render/reports.js';

const CHROMIUM = process.env['DLCVERIFY_CHROMIUM'] ?? '/usr/bin/chromium';
const onCi = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';
const present = existsSync(CHROMIUM);
const skip = !present && !onCi;
if (skip) console.warn(`[dlcverify tests] ${CHROMIUM} not found: the HTML browser test is SKIPPED (apt-get install chromium)`);

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe.skipIf(skip)(`html report in headless chromium${skip ? ` [SKIPPED: ${CHROMIUM} not found]` : ''}`, { timeout: 90_000 }, () => {
  let dir = '';
  let context: BrowserContext;
  const dialogs: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dlcverify-html-'));
    // launchPersistentContext takes the fresh --user-data-dir as its first argument.
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 900 },
    });
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(name: string, html: string): Promise<Page> {
    const file = join(dir, name);
    writeFileSync(file, html);
    const page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForLoadState('load');
    return page;
  }

  const text = (page: Page, selector: string): Promise<string> => page.locator(selector).innerText();

  it('verify: counts, names as text, no dialog, sort, filter, screenshot', async () => {
    const page = await open('verify.html', renderReport(verifyReport(), 'html', { color: false, verbose: false }));
    expect(await text(page, '#verdict')).toContain('FAILED');
    expect(await text(page, '#count-total')).toBe('15');
    expect(await text(page, '#count-fail')).toBe('4');
    expect(await text(page, '#count-warn')).toBe('2');
    expect(await text(page, '#count-waived')).toBe('1');
    expect(await text(page, '#count-expected')).toBe('3');
    expect(await text(page, '#shown')).toBe('14 of 14 shown');

    // The XSS name is a text node: no <img> exists, no alert fired, the cell reads the name.
    await page.waitForTimeout(300);
    expect(await page.locator('img').count()).toBe(0);
    const cellTexts = await page.locator('#rows tbody td:nth-child(4)').allTextContents();
    expect(cellTexts).toContain(XSS_NAME);
    expect(cellTexts).toContain(SCRIPT_NAME);
    expect(dialogs).toEqual([]);

    // Sorting by steps: ascending puts measured rows first (0 steps), descending the largest (255).
    const stepsHead = page.locator('#rows th', { hasText: 'Steps' });
    await stepsHead.click();
    expect(await stepsHead.getAttribute('aria-sort')).toBe('ascending');
    expect(await text(page, '#rows tbody tr:first-child td:nth-child(7)')).toBe('0');
    await stepsHead.click();
    expect(await stepsHead.getAttribute('aria-sort')).toBe('descending');
    expect(await text(page, '#rows tbody tr:first-child td:nth-child(4)')).toBe('/model.22/Sigmoid_output_0');
    const steps = (await page.locator('#rows tbody td:nth-child(7)').allTextContents()).filter((s) => s !== '').map(Number);
    expect(steps).toEqual([...steps].sort((a, b) => b - a));
    // Sorting by tensor name, from the keyboard.
    await page.locator('#rows th', { hasText: 'Tensor' }).focus();
    await page.keyboard.press('Enter');
    const names = await page.locator('#rows tbody td:nth-child(4)').allTextContents();
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

    // Filtering: by text, then by status.
    await page.locator('#filter').fill('conv.weight');
    expect(await text(page, '#shown')).toBe('3 of 14 shown');
    expect(await page.locator('#rows tbody tr:visible').count()).toBe(3);
    await page.locator('#filter').fill('');
    await page.locator('#status-filter').selectOption('fail');
    expect(await text(page, '#shown')).toBe('4 of 14 shown');
    const statuses = await page.locator('#rows tbody tr:visible td:first-child').allTextContents();
    expect(statuses).toEqual(['failed', 'failed', 'failed', 'failed']);
    await page.locator('#status-filter').selectOption('');

    // The chart: one bar per measured tensor, the two failures in red.
    expect(await page.locator('#chart-svg rect.bar').count()).toBe(7);
    expect(await page.locator('#chart-svg rect.bar.st-fail').count()).toBe(2);

    const shot = join(process.env['DLCVERIFY_SCREENSHOT_DIR'] ?? dir, 'verify.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('diff: counts and the op list diff as text', async () => {
    const page = await open('diff.html', renderReport(diffReport(), 'html', { color: false, verbose: false }));
    expect(await text(page, '#verdict')).toContain('REGRESSION');
    expect(await text(page, '#count-fail')).toBe('2');
    expect(await text(page, '#count-total')).toBe('7');
    expect(await page.locator('#op-diff pre').innerText()).toContain(`-120 ${XSS_NAME} Reshape`);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.screenshot({ path: join(dir, 'diff.png'), fullPage: true });
    expect(requests).toEqual([]);
    await page.close();
  });
});
