import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../scripts/lib/scratch-database.js';
import { REPO_ROOT } from '../../server/config.js';
import { launchBrowser, screenshotPath, startE2eServer, type E2eServer } from './setup.js';

let server: E2eServer;
let browser: Browser;
let scratch: ScratchDatabase | undefined;
let dataDir: string | undefined;
const PLANNER = { username: 'e2e-planner', password: 'e2e-planner-password' };

/** The planner account is created with the real CLI before the service starts, as a deployer would. */
function createPlanner(env: Record<string, string>) {
  execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'user-create.ts'), '--username', PLANNER.username, '--role', 'planner'],
    { cwd: REPO_ROOT, env: { ...process.env, ...env, WARM_POSTS_PASSWORD: PLANNER.password, LOG_LEVEL: 'warn' }, stdio: 'pipe' },
  );
}

beforeAll(async () => {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    scratch = await createScratchDatabase(adminUrl, 'wp_e2e');
    createPlanner({ DATABASE_URL: scratch.url });
    server = await startE2eServer({}, { databaseUrl: scratch.url });
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warm-posts-e2e-plan-'));
    createPlanner({ PGLITE_DATA_DIR: dataDir, DATABASE_URL: '' });
    server = await startE2eServer({}, { dataDir });
  }
  browser = await launchBrowser();
  // Two cold starts (the account CLI, then the service) on a busy 2-core machine.
}, 360_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await scratch?.drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A planner's session cookie, signed in through the API. */
async function plannerCookie(): Promise<string> {
  const res = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(PLANNER),
  });
  expect(res.status).toBe(200);
  return /wp_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
}

async function openPlanner(
  query = '',
  options: { signedIn?: boolean } = {},
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (options.signedIn) {
    await context.addCookies([{ name: 'wp_session', value: await plannerCookie(), url: server.baseUrl }]);
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.baseUrl}/${query}#/plan`);
  // A fixed Wednesday so the figures do not depend on when the test runs.
  await page.fill('[data-testid="date"]', '2026-03-04');
  await setHour(page, 12);
  await expect
    .poll(() => page.locator('[data-testid="coverage-table"] tbody tr').count(), {
      timeout: 60_000,
    })
    .toBe(16);
  return { page, errors };
}

async function setHour(page: Page, hour: number) {
  await page.locator('[data-testid="hour"]').evaluate((el, h) => {
    const input = el as HTMLInputElement;
    input.value = String(h);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, hour);
}

const totals = (page: Page) => page.locator('[data-testid="totals"]').innerText();

describe('planner page', () => {
  it('says when the chosen date is past the imported holiday arrangement (2027, seeded through 2026)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.baseUrl}/#/plan`);
    await page.fill('[data-testid="date"]', '2026-10-01');
    await expect.poll(() => page.locator('[data-testid="holidays-unpublished"]').count()).toBe(0);
    await page.fill('[data-testid="date"]', '2027-02-06');
    await expect
      .poll(() => page.locator('[data-testid="holidays-unpublished"]').innerText(), { timeout: 30_000 })
      .toContain('2027 年节假日安排尚未导入');
    await page.close();
  });

  it('shows the table, the choropleth and legend; the hour slider changes the figures', async () => {
    const { page, errors } = await openPlanner();
    await expect.poll(() => totals(page), { timeout: 60_000 }).toContain('2026-03-04 12:00');
    const noon = await totals(page);
    expect(await page.locator('[data-testid="legend"]').innerText()).toMatch(/服务半径 500 m/);
    expect(await page.locator('[data-testid="day-kind"]').innerText()).toBe('工作日');

    await setHour(page, 3);
    await expect.poll(() => totals(page), { timeout: 60_000 }).toContain('2026-03-04 03:00');
    const night = await totals(page);
    const pctOf = (text: string) => Number(/(\d+(?:\.\d+)?)%/.exec(text)![1]);
    const openOf = (text: string) => Number(/营业驿站 (\d+)/.exec(text)![1]);
    // At 03:00 only the 24-hour stations count.
    expect(openOf(night)).toBeLessThan(openOf(noon));
    expect(pctOf(night)).toBeLessThan(pctOf(noon));

    // Sorting: clicking the covered % header twice shows the best-covered first.
    const pctHeader = page.locator('[data-testid="coverage-table"] th button').nth(3);
    await pctHeader.click();
    const firstPct = async () =>
      Number(
        await page
          .locator('[data-testid="coverage-table"] tbody tr:first-child td')
          .nth(3)
          .innerText(),
      );
    const lastPct = async () =>
      Number(
        await page
          .locator('[data-testid="coverage-table"] tbody tr:last-child td')
          .nth(3)
          .innerText(),
      );
    expect(await firstPct()).toBeGreaterThanOrEqual(await lastPct());

    // The 24-hour chart draws its three days.
    await expect
      .poll(() => page.locator('[data-testid="hour-chart"] svg path').count(), { timeout: 90_000 })
      .toBe(3);
    await page.screenshot({ path: screenshotPath('planner-night') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('anonymous visitors see coverage, and a sign-in hint instead of suggestions and demand layers', async () => {
    const { page, errors } = await openPlanner('?lite=1');
    await expect.poll(() => totals(page), { timeout: 60_000 }).toContain('2026-03-04 12:00');
    expect(await page.locator('[data-testid="suggest-signin"]').innerText()).toContain('规划人员');
    expect(await page.locator('[data-testid="suggest-run"]').count()).toBe(0);
    expect(await page.locator('.upload').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('colours areas by covered % (Leaflet fallback), zooms to a clicked area and suggests sites', async () => {
    const { page, errors } = await openPlanner('?lite=1', { signedIn: true });
    // Leaflet draws the areas on a canvas: count the pixels painted in the choropleth's low classes
    // (red/orange, where most of Beijing is at 500 m); the bare map background is grey-green.
    const painted = async () =>
      page
        .locator('.leaflet-overlay-pane canvas')
        .first()
        .evaluate((canvas) => {
          const c = canvas as HTMLCanvasElement;
          const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let reddish = 0;
          for (let i = 0; i < data.length; i += 4)
            if (data[i + 3]! > 0 && data[i]! > data[i + 2]! + 40) reddish++;
          return reddish / (c.width * c.height);
        });
    await expect.poll(painted, { timeout: 60_000 }).toBeGreaterThan(0.2);

    // Select 东城区 from the table: the selection panel shows it with its stations.
    await page.locator('[data-testid="coverage-table"] button.link', { hasText: '东城区' }).click();
    await expect
      .poll(() => page.locator('[data-testid="selected-area"]').innerText(), { timeout: 30_000 })
      .toMatch(/东城区.*\d+ 个驿站/s);

    await page.fill('[data-testid="suggest-panel"] input[type="number"]', '3');
    await page.click('[data-testid="suggest-run"]');
    await expect
      .poll(() => page.locator('[data-testid="suggested-sites"] li').count(), { timeout: 60_000 })
      .toBe(3);
    const firstSite = await page.locator('[data-testid="suggested-sites"] li').first().innerText();
    expect(firstSite).toMatch(/新增覆盖 \d+\.\d+ km²/);
    await page.screenshot({ path: screenshotPath('planner-suggest-lite') });

    // A planner uploads a demand layer (signed in: the page sends the session's CSRF token).
    await page.click('.upload summary');
    await page.setInputFiles('.upload input[type="file"]', {
      name: 'depots.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('lng,lat,weight\n116.40,39.91,5\n'),
    });
    await page.click('.upload button[type="submit"]');
    await expect
      .poll(() => page.locator('.upload [role="status"]').innerText(), { timeout: 30_000 })
      .toContain('已上传');
    expect(errors).toEqual([]);
    await page.close();
  });
});
