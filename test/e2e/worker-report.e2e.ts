/**
 * A worker confirms a station ("信息准确") or reports a problem ("信息有误") from the station sheet,
 * without signing in: the confirmation changes the freshness badge, the report reaches the server
 * (201) and shows as an open problem; the manager side of the queue is covered in manager.e2e.ts.
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

describe('confirm or report', () => {
  it('confirms a station in one tap: the badge counts it, a second tap the same day is thanked, not counted', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(`${server.baseUrl}/?pos=116.4,39.91#/`);
    const first = page.locator('[data-testid="nearest-item"]').first();
    await first.waitFor({ timeout: 30_000 });
    await first.click();
    const sheet = page.locator('[data-testid="station-sheet"]');
    await sheet.locator('[data-testid="confirm-accurate"]').waitFor();
    expect(await sheet.locator('[data-testid="freshness-badge"]').count()).toBe(0);
    const [response] = await Promise.all([
      page.waitForResponse((r) => /\/api\/stations\/\d+\/confirmations$/.test(r.url())),
      sheet.locator('[data-testid="confirm-accurate"]').click(),
    ]);
    expect(response.status()).toBe(201);
    await expect.poll(() => sheet.locator('[data-testid="freshness-badge"]').innerText()).toContain('1 位劳动者确认信息准确');
    await expect.poll(() => sheet.locator('[data-testid="confirm-status"]').innerText()).toContain('谢谢确认');
    await sheet.locator('[data-testid="freshness-badge"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('worker-confirm') });
    // Reopen the sheet (a new visit): the same client is thanked but not counted twice today.
    await page.reload();
    await page.locator('[data-testid="nearest-item"]').first().click();
    await sheet.locator('[data-testid="confirm-accurate"]').click();
    // expect.poll's own 1 s is short for a round trip with two files running at once.
    await expect.poll(() => sheet.locator('[data-testid="confirm-status"]').innerText(), { timeout: 15_000 }).toContain('今天已确认过');
    expect(await sheet.locator('[data-testid="freshness-badge"]').innerText()).toContain('1 位劳动者');
    await page.close();
  });

  it('"信息有误" opens the report form; the report is sent and shows as an open problem', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${server.baseUrl}/?pos=116.4,39.91#/`);
    const first = page.locator('[data-testid="nearest-item"]').first();
    await first.waitFor({ timeout: 30_000 });
    await first.click();
    const sheet = page.locator('[data-testid="station-sheet"]');
    await sheet.locator('[data-testid="confirm-wrong"]').click();
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
    await expect.poll(() => sheet.locator('[data-testid="freshness-disputed"]').innerText()).toContain('1 条问题反馈待处理');
    await page.screenshot({ path: screenshotPath('worker-report') });
    await page.close();
  });
});
