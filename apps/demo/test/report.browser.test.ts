/// <reference lib="dom" />
// The report of a run of the built `cs-aws` against the embedded endpoint, opened in Debian's
// Chromium through playwright-core: one cell per target with the right status, a failed cell's
// details on keyboard focus, no network request, and a screenshot (.test-results/report.png, the
// picture of apps/demo/README.md). Skipped, with a printed message, where Chromium is missing.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeScratchDirs, runCli, scratchDir } from './helpers';

const CHROMIUM = process.env.CS_AWS_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  console.warn(
    `report.browser.test.ts: SKIPPED: no Chromium at ${CHROMIUM}. Install it (apt-get install chromium), or set CS_AWS_CHROMIUM to its path, to run the browser test of the HTML report.`,
  );
}

const SCREENSHOT = resolve(import.meta.dirname, '../../../.test-results/report.png');

describe.skipIf(!available)('the HTML report in Chromium', () => {
  let context: BrowserContext;
  let profile: string;
  let file: string;
  let results: { accountId: string; alias: string; region: string; status: string }[];

  beforeAll(async () => {
    const dir = scratchDir();
    const run = await runCli(['whoami', '--output', 'json', '--quiet', '--report', 'report.html'], {
      cwd: dir,
    });
    expect(run.code, run.stderr).toBe(1); // the sample has a region some accounts have not enabled
    results = JSON.parse(run.stdout).results;
    file = join(dir, 'report.html');
    profile = mkdtempSync(join(tmpdir(), 'cs-aws-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1000, height: 760 },
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
    removeScratchDirs();
  });

  it('shows one cell per target with its status, a failed cell’s details on focus, and fetches nothing', async () => {
    const url = pathToFileURL(file).href;
    const requests: string[] = [];
    // Every request the page makes, and a route that refuses any other than the page itself.
    context.on('request', (request) => requests.push(request.url()));
    await context.route('**/*', (route) =>
      route.request().url() === url ? route.continue() : route.abort(),
    );
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });

    const cells = await page.$$eval('[data-status]', (elements) =>
      elements.map((el) => ({
        status: el.getAttribute('data-status'),
        target: (el.querySelector('.d')?.textContent ?? '').split('\n')[0],
        focusable: (el as HTMLElement).tabIndex === 0,
        width: el.getBoundingClientRect().width,
      })),
    );
    expect(cells).toHaveLength(results.length);
    expect(
      cells.map((c) => `${c.target} ${c.status}`).sort(),
      'each target has its cell, with the status of the JSON output',
    ).toEqual(results.map((r) => `${r.alias} ${r.accountId} · ${r.region} ${r.status}`).sort());
    expect(cells.every((c) => c.focusable)).toBe(true);
    expect(
      Math.min(...cells.filter((c) => c.width > 0).map((c) => c.width)),
    ).toBeGreaterThanOrEqual(16);

    const failed = results.find((r) => r.status === 'failed')!;
    const cell = page.locator('[data-status="failed"]', {
      hasText: `${failed.alias} ${failed.accountId} · ${failed.region}`,
    });
    const details = cell.locator('.d');
    await expect.poll(() => details.isVisible()).toBe(false);
    await cell.focus();
    await expect.poll(() => cell.evaluate((el) => el === document.activeElement)).toBe(true);
    await expect.poll(() => details.isVisible()).toBe(true);
    const text = await details.innerText();
    expect(text).toContain(`failed: invalid-credentials`);
    expect(text).toMatch(/\d+ ms/);
    expect(text).toContain('security token included in the request is invalid'); // the message
    const hint = await details
      .locator('i')
      .evaluate((el) => getComputedStyle(el, '::before').content);
    expect(hint).toContain('remove the region from the filter');
    expect(await details.locator('i').isVisible()).toBe(true);
    const box = await details.boundingBox();
    expect(box!.width).toBeGreaterThan(200);

    // The histogram of durations draws a bar for every non-empty bucket.
    const bars = await page.$$eval('.bar span', (spans) =>
      spans.map((span) => span.getBoundingClientRect().width),
    );
    expect(bars.length).toBeGreaterThan(0);
    expect(Math.min(...bars)).toBeGreaterThan(0);

    mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(readFileSync(SCREENSHOT).subarray(1, 4).toString()).toBe('PNG');

    expect(requests).toEqual([url]);
  });
});
