import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath, startE2eServer, type E2eServer } from './setup.js';

let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('app shell', () => {
  it('serves the built page in Chinese, navigates between views and switches to English', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.baseUrl + '/');
    await expect.poll(() => page.locator('header nav a').count()).toBe(3);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('header nav').innerText()).toContain('找驿站');
    await page.click('[data-testid="lang-switch"]');
    await expect.poll(() => page.locator('header nav').innerText()).toContain('Find');
    await page.click('header nav a[href="#/plan"]');
    // The view changes on hashchange, after the click returns.
    await expect.poll(() => page.locator('header nav a[aria-current="page"]').innerText()).toBe('Plan');
    await page.screenshot({ path: screenshotPath('shell-en') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('serves the API and the single-page fallback from the same process', async () => {
    const api = await fetch(`${server.baseUrl}/api/collections/stations/items?limit=1`);
    expect(api.status).toBe(200);
    const body = await api.json();
    expect(body.features[0].properties.is_sample).toBe(true);
    const deep = await fetch(`${server.baseUrl}/some/deep/link`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="app">');
  });
});
