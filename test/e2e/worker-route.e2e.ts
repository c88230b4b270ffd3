/**
 * The way to a station on the worker page, in Debian's Chromium against the built app:
 * - on a server holding the real Andorra road network (imported with the CLI, as a deployer would)
 *   and one station in Andorra la Vella: the route is drawn with its steps, switching mode changes
 *   the minutes, our own roads are drawn under the stations (with their names close up), on MapLibre
 *   and on Leaflet (?lite=1);
 * - on Beijing's default (no road network): a dashed straight line, said plainly.
 * Screenshots go to test-results/.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/config.js';
import { openDatabase } from '../../server/db/client.js';
import { newStation } from '../setup/factories.js';
import { extractPath } from '../unit/routing/real-networks.js';
import { launchBrowser, screenshotPath, startE2eServer, type E2eServer } from './setup.js';

const PHONE = { width: 390, height: 844 };
/** Near Andorra la Vella's Plaça del Poble, on the street grid. */
const ANDORRA_POSITION = '1.5218,42.5063';
/** A station about 1 km away, towards Escaldes-Engordany. */
const ANDORRA_STATION = {
  lng: 1.5325,
  lat: 42.5095,
  name: '安道尔测试驿站',
  name_en: 'Andorra test station',
};
const OFF_NETWORK_POSITION = '1.528,42.484';
const TIANANMEN = '116.3975,39.9087';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function openWorker(
  server: E2eServer,
  query: string,
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: PHONE, serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.baseUrl}/${query}#/`);
  return { page, errors };
}

const map = (page: Page) => page.locator('[data-testid="worker-map"]');
const routeTotal = (page: Page) => page.locator('[data-testid="route-total"]');

/** Pixels of the route's blue (#1a56c4) on Leaflet's canvas overlay. */
function routeBluePixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    let count = 0;
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>(
      '.leaflet-overlay-pane canvas',
    )) {
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < pixels.length; i += 4) {
        const [r, g, b, a] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!, pixels[i + 3]!];
        if (a > 100 && Math.abs(r - 26) < 30 && Math.abs(g - 86) < 30 && Math.abs(b - 196) < 30)
          count++;
      }
    }
    return count;
  });
}

async function routeMinutes(page: Page): Promise<number> {
  return Number(await routeTotal(page).getAttribute('data-minutes'));
}

describe('the way to a station on the Andorra road network', () => {
  let server: E2eServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warm-posts-route-e2e-'));
    // The embedded database is one process's at a time: import and add the station first.
    execFileSync(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'import-osm.ts'), extractPath('andorra')],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, PGLITE_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
        stdio: 'pipe',
      },
    );
    const handle = await openDatabase({ pgliteDataDir: dataDir });
    try {
      await newStation(handle.db, { ...ANDORRA_STATION, opening_hours: '24/7' });
    } finally {
      await handle.close();
    }
    server = await startE2eServer({}, { dataDir });
  });

  afterAll(async () => {
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('draws the route with steps from the list, redraws by mode, and shows our roads (MapLibre)', async () => {
    const { page, errors } = await openWorker(server, `?pos=${ANDORRA_POSITION}`);
    await expect
      .poll(() => map(page).getAttribute('data-engine'), { timeout: 30_000 })
      .toBe('maplibre');
    const routeButton = page.locator('[data-testid="nearest-route"]').first();
    await routeButton.waitFor({ timeout: 30_000 });
    await routeButton.click();

    await expect
      .poll(() => map(page).getAttribute('data-route'), { timeout: 20_000 })
      .toBe('network');
    await expect(routeTotal(page).getAttribute('data-kind')).resolves.toBe('network');
    const steps = page.locator('[data-testid="route-step"]');
    expect(await steps.count()).toBeGreaterThanOrEqual(2);
    const stepTexts = await steps.allInnerTexts();
    expect(stepTexts.every((text) => /\S+\s+\d+(\.\d)?\s*(米|公里)/.test(text))).toBe(true);
    expect(await page.locator('[data-testid="route-straight-notice"]').count()).toBe(0);
    const walkMinutes = await routeMinutes(page);
    expect(walkMinutes).toBeGreaterThanOrEqual(5);
    expect(await routeTotal(page).innerText()).toContain(`约 ${walkMinutes} 分钟`);

    // The view was fitted to the route (zoom ≥ 13), so our own roads are drawn too.
    await expect
      .poll(async () => Number(await map(page).getAttribute('data-roads')), { timeout: 20_000 })
      .toBeGreaterThan(20);
    await page.waitForTimeout(800);
    await page.screenshot({ path: screenshotPath('worker-route-walk') });

    await page.click('[data-testid="route-mode"][data-mode="drive"]');
    await expect
      .poll(() => page.locator('[data-mode="drive"]').getAttribute('aria-pressed'))
      .toBe('true');
    await expect.poll(() => routeMinutes(page), { timeout: 20_000 }).toBeLessThan(walkMinutes);
    const driveMinutes = await routeMinutes(page);
    expect(driveMinutes).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: screenshotPath('worker-route-drive') });

    // Close up, the imported streets carry their names (drawn on the phone: no glyph server).
    await page.evaluate(
      ([lng, lat]) =>
        (document.querySelector('[data-testid="map"]') as unknown as { maplibreMap: any }).maplibreMap.jumpTo({
          center: [lng, lat],
          zoom: 16,
        }),
      ANDORRA_POSITION.split(',').map(Number),
    );
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const m = (document.querySelector('[data-testid="map"]') as unknown as { maplibreMap: any }).maplibreMap;
            const layers = ['roads-minor-labels', 'roads-major-labels'].filter((id) => m.getLayer(id));
            return layers.length
              ? m.queryRenderedFeatures({ layers }).filter((f: any) => f.properties.name).length
              : 0;
          }),
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('worker-route-street-names') });

    // Closing the sheet clears the route from the map.
    await page.click('[data-testid="station-sheet"] .close');
    await expect.poll(() => map(page).getAttribute('data-route')).toBe('');
    expect(errors).toEqual([]);
  });

  it('draws the route as a path on Leaflet (?lite=1) from the station sheet, in English', async () => {
    const { page, errors } = await openWorker(server, `?pos=${ANDORRA_POSITION}&lite=1&lang=en`);
    await expect
      .poll(() => map(page).getAttribute('data-engine'), { timeout: 30_000 })
      .toBe('leaflet');
    await page.locator('[data-testid="nearest-item"]').first().click();
    await page.locator('[data-testid="route-button"]').click();
    await expect
      .poll(() => map(page).getAttribute('data-route'), { timeout: 20_000 })
      .toBe('network');
    await expect
      .poll(async () => Number(await map(page).getAttribute('data-roads')), { timeout: 20_000 })
      .toBeGreaterThan(20);
    // The way is drawn once the view has settled on it (fitBounds may still be moving the map).
    await expect.poll(() => routeBluePixels(page), { timeout: 20_000 }).toBeGreaterThan(1000);
    const withRoute = await routeBluePixels(page);
    expect(await page.locator('[data-testid="route-steps"]').innerText()).toMatch(/\d+ (m|km)/);
    expect(await routeTotal(page).innerText()).toMatch(/^About \d+ min · [\d.]+ (m|km)/);
    await page.screenshot({ path: screenshotPath('worker-route-lite') });

    await page.click('[data-testid="route-clear"]');
    await expect.poll(() => map(page).getAttribute('data-route')).toBe('');
    // Leaflet draws on a canvas here: the route's blue pixels go (only the "me" dot keeps that blue).
    await expect.poll(() => routeBluePixels(page)).toBeLessThan(withRoute / 3);
    expect(withRoute).toBeGreaterThan(1000);
    expect(errors).toEqual([]);
  });

  it('shows the server message when the position is off the road network (422)', async () => {
    // More than 1 km from any road, in the hills south of Andorra la Vella.
    const { page, errors } = await openWorker(server, `?pos=${OFF_NETWORK_POSITION}`);
    const routeButton = page.locator('[data-testid="nearest-route"]').first();
    await routeButton.waitFor({ timeout: 30_000 });
    await routeButton.click();
    const error = page.locator('[data-testid="route-error"]');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.innerText()).toMatch(/^无法规划路线：.*1 km/);
    expect(await map(page).getAttribute('data-route')).toBe('');
    await page.screenshot({ path: screenshotPath('worker-route-off-network') });
    expect(errors).toEqual([]);
  });
});

describe('the way to a station on Beijing without a road network', () => {
  let server: E2eServer;

  beforeAll(async () => {
    server = await startE2eServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('draws a dashed straight line and says no road network is loaded (zh, then en)', async () => {
    const { page, errors } = await openWorker(server, `?pos=${TIANANMEN}`);
    const routeButton = page.locator('[data-testid="nearest-route"]').first();
    await routeButton.waitFor({ timeout: 30_000 });
    await routeButton.click();
    await expect
      .poll(() => map(page).getAttribute('data-route'), { timeout: 20_000 })
      .toBe('straight_line');
    const notice = page.locator('[data-testid="route-straight-notice"]');
    expect(await notice.innerText()).toContain('直线距离，未加载道路网络');
    expect(await page.locator('[data-testid="route-step"]').count()).toBe(0);
    expect(await routeMinutes(page)).toBeGreaterThanOrEqual(1);
    // No network: no roads layer either.
    expect(await map(page).getAttribute('data-roads')).toBe('0');
    await page.waitForTimeout(800);
    await page.screenshot({ path: screenshotPath('worker-route-straight') });

    await page.click('[data-testid="lang-switch"]');
    expect(await notice.innerText()).toContain('Straight-line distance, no road network loaded');

    // Tapping the map moves the position: the old route no longer starts there, so it goes.
    const box = (await map(page).boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.2, box.y + 40);
    await expect.poll(() => map(page).getAttribute('data-route')).toBe('');
    expect(errors).toEqual([]);
  });
});
