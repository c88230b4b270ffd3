/**
 * A worker reports a problem from the station sheet, without signing in: the report reaches the
 * server (201) and the page thanks them; the manager side of the queue is covered in manager.e2e.ts.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath, startE2eServer, type E2eServer } from './setup.js';

let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launchBrowser({ webgl: false });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('report a problem', () => {
  it('sends a report from the station sheet and says thank you', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${server.baseUrl}/?pos=116.4,39.91#/`);
    const first = page.locator('[data-testid="nearest-item"]').first();
    await first.waitFor({ timeout: 30_000 });
    await first.click();
    const sheet = page.locator('[data-testid="station-sheet"]');
    await sheet.locator('[data-testid="report-open"]').click();
    await sheet.getByLabel('设施坏了（如微波炉）').check();
    await sheet.locator('textarea').fill('微波炉不加热 <b>test</b>');
    const [response] = await Promise.all([
      page.waitForResponse((r) => /\/api\/stations\/\d+\/reports$/.test(r.url())),
      sheet.locator('[data-testid="report-send"]').click(),
    ]);
    expect(response.status()).toBe(201);
    const sent = JSON.parse(response.request().postData() ?? '{}');
    expect(sent).toEqual({ category: 'amenity_broken', note: '微波炉不加热 <b>test</b>' });
    await expect
      .poll(() => sheet.locator('[data-testid="report-thanks"]').innerText())
      .toContain('谢谢');
    await page.screenshot({ path: screenshotPath('worker-report') });
    await page.close();
  });
});
