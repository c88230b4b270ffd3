/**
 * The worker page (找驿站) in Debian's Chromium against the built app on a fresh embedded database
 * with the 1,500 sample stations: MapLibre with software WebGL, and the Leaflet fallback without
 * WebGL or with ?lite=1. Screenshots go to test-results/.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/config.js';
import { navigationLinks } from '../../server/geo/coords.js';
import { NAV_APPS, navChoices } from '../../client/src/views/worker/nav-apps.js';
import {
  ARTIFACTS_DIR,
  launchBrowser,
  screenshotPath,
  startE2eServer,
  type E2eServer,
} from './setup.js';

let server: E2eServer;
let browser: Browser;

// 天安门: dense with sample stations.
const TIANANMEN = '116.3975,39.9087';
const PHONE = { width: 390, height: 844 };
/** The small phone the issue measures the page at. */
const SMALL_PHONE = { width: 360, height: 740 };

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openWorker(
  b: Browser,
  query = '',
): Promise<{ page: Page; errors: string[]; scripts: string[] }> {
  const context = await b.newContext({
    viewport: PHONE,
    serviceWorkers: 'block',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const scripts: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await page.goto(`${server.baseUrl}/${query}#/`);
  return { page, errors, scripts };
}

const mapReady = (page: Page) =>
  expect
    .poll(() => page.locator('[data-testid="worker-map"]').getAttribute('data-stations'), {
      timeout: 30_000,
    })
    .toMatch(/^[1-9]\d{2,}$/);

const listItems = (page: Page) => page.locator('[data-testid="nearest-item"]');

async function listNames(page: Page): Promise<string[]> {
  return page.locator('[data-testid="nearest-item"] .name').allInnerTexts();
}

function gzipSize(urlPath: string): number {
  const file = path.join(REPO_ROOT, 'dist', 'client', urlPath);
  return zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
}

describe('worker page with MapLibre', () => {
  it('loads, draws the stations and measures its JS before and after the map library', async () => {
    const { page, errors, scripts } = await openWorker(browser);
    const stationReads: Array<{ path: string; bytes: number }> = [];
    page.on('response', async (r) => {
      const url = new URL(r.url());
      if (
        url.pathname.startsWith('/api/map/stations') ||
        url.pathname.startsWith('/api/collections/stations')
      ) {
        // Recorded at once: the body may still be read when the map reports it is drawn.
        const read = { path: url.pathname, bytes: 0 };
        stationReads.push(read);
        read.bytes = (await r.body().catch(() => Buffer.alloc(0))).length;
      }
    });
    await mapReady(page);
    // The map asks for its view (clusters when zoomed out), never for the whole station table.
    expect(stationReads.some((r) => r.path === '/api/map/stations')).toBe(true);
    expect(stationReads.filter((r) => r.path.startsWith('/api/collections/stations'))).toEqual([]);
    console.log('station map reads (bytes, uncompressed):', stationReads);
    expect(await page.locator('[data-testid="worker-map"]').getAttribute('data-engine')).toBe(
      'maplibre',
    );
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.waitForTimeout(1500); // let MapLibre finish drawing for the screenshot
    await page.screenshot({ path: screenshotPath('worker-map') });

    const isMapLibrary = (p: string) => /maplibre|leaflet/i.test(p);
    const shell = scripts.filter((p) => !isMapLibrary(p));
    const library = scripts.filter(isMapLibrary);
    expect(library.length).toBeGreaterThan(0);
    const sizes = {
      before_map_library_gzip_bytes: shell.reduce((s, p) => s + gzipSize(p), 0),
      map_library_gzip_bytes: library.reduce((s, p) => s + gzipSize(p), 0),
      scripts: Object.fromEntries(scripts.map((p) => [p, gzipSize(p)])),
    };
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    fs.writeFileSync(
      path.join(ARTIFACTS_DIR, 'worker-js-size.json'),
      JSON.stringify(sizes, null, 2),
    );
    console.log('worker page JS (gzip):', sizes);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('lists the nearest stations with minutes and open state for a position from the URL', async () => {
    const { page, errors } = await openWorker(browser, `?pos=${TIANANMEN}`);
    await expect.poll(() => listItems(page).count(), { timeout: 20_000 }).toBe(5);
    for (const eta of await page.locator('[data-testid="eta"]').allInnerTexts())
      expect(eta).toMatch(/\d+ 分钟/);
    // Default filter: open when I arrive, so every listed station is open at arrival.
    for (const state of await page.locator('[data-testid="arrival-state"]').allInnerTexts()) {
      expect(state).toBe('到达时营业');
    }
    expect(await page.locator('[data-testid="state-text"]').first().innerText()).not.toBe('');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: screenshotPath('worker-nearest') });

    // An amenity chip narrows the list to stations where it is available.
    await page.click('[data-testid="open-any"]');
    await expect
      .poll(() => page.locator('[data-testid="open-any"]').getAttribute('aria-checked'))
      .toBe('true');
    const before = await listNames(page);
    await page.click('[data-testid="chip-ebike_charging"]');
    expect(
      await page.locator('[data-testid="chip-ebike_charging"]').getAttribute('aria-pressed'),
    ).toBe('true');
    await expect.poll(() => listNames(page), { timeout: 10_000 }).not.toEqual(before);
    const icons = page.locator('[data-testid="nearest-item"]');
    // The list may still be showing the previous filter's answer: wait until the narrowed one lands.
    const itemsWithIcon = async () => {
      const count = await icons.count();
      let withIcon = 0;
      for (let i = 0; i < count; i++) {
        withIcon += await icons.nth(i).locator('[role="img"][aria-label="电动车电池充电"]').count();
      }
      return { count, withIcon };
    };
    await expect
      .poll(
        async () => {
          const { count, withIcon } = await itemsWithIcon();
          return count > 0 && withIcon === count;
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    const count = await icons.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) {
      expect(await icons.nth(i).locator('[role="img"][aria-label="电动车电池充电"]').count()).toBe(
        1,
      );
    }
    await page.screenshot({ path: screenshotPath('worker-chip-ebike') });

    // The station sheet shows today's state and the week table, and navigation links per datum.
    await listItems(page).first().click();
    const sheet = page.locator('[data-testid="station-sheet"]');
    await expect
      .poll(() => sheet.locator('[data-testid="week-table"] tr').count(), {
        timeout: 10_000,
      })
      .toBe(7);
    expect(await sheet.locator('[data-testid="today-state"]').innerText()).toMatch(/今天\s*\S+/);
    expect(await sheet.locator('[data-testid="week-table"] tr').first().innerText()).toContain(
      '今天',
    );
    expect(await sheet.locator('[data-testid="sample-badge"]').count()).toBe(1);
    const name = await sheet.locator('h2').innerText();
    const detail = await (
      await fetch(`${server.baseUrl}/api/collections/stations/items?bbox=115,39,118,41&limit=1000`)
    ).json();
    const station = detail.features.find((f: any) => f.properties.name === name);
    const [lng, lat] = station.geometry.coordinates;
    // 导航 opens the chooser of apps, each link exactly as the server builds it for the station.
    const expected = navigationLinks({ lng, lat, name }, 'walk');
    await sheet.locator('[data-testid="navigate"]').click();
    for (const app of ['amap', 'baidu', 'apple', 'osm', 'google'] as const) {
      expect(await sheet.locator(`a[data-app="${app}"]`).getAttribute('href')).toBe(expected[app]);
    }
    expect(await sheet.locator('a[data-app="organic"]').getAttribute('href')).toMatch(
      /^om:\/\/route\?sll=39\.908700,116\.397500&saddr=&dll=/,
    );
    await page.screenshot({ path: screenshotPath('worker-sheet') });
    await page.keyboard.press('Escape'); // closes the chooser first
    await expect.poll(() => sheet.locator('[data-testid="nav-chooser"]').count()).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => sheet.count()).toBe(0);

    // English switch.
    await page.click('[data-testid="lang-switch"]');
    await expect
      .poll(() => page.locator('[data-testid="eta"]').first().innerText())
      .toMatch(/\d+ min/);
    expect(await page.locator('[data-testid="open-any"]').innerText()).toBe('All');
    await page.screenshot({ path: screenshotPath('worker-english') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('falls back to Leaflet with ?lite=1 and sets the position by tapping the map', async () => {
    const { page, errors } = await openWorker(browser, '?lite=1');
    await mapReady(page);
    expect(await page.locator('[data-testid="worker-map"]').getAttribute('data-engine')).toBe(
      'leaflet',
    );
    expect(await listItems(page).count()).toBe(0);
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    // Off-centre, away from the zoom control and the locate button. A tap on a cluster zooms in
    // instead (the region's whole extent is the first view: clusters everywhere), so try a few
    // places until one sets the position.
    const spots = [[0.55, 0.35], [0.3, 0.6], [0.7, 0.2], [0.45, 0.75], [0.8, 0.5], [0.2, 0.3]];
    // A tap that sets a position brings an answer: stations, or the plain "none within 10 km" (the
    // first view is the whole region, mountains included). Either shows the position was set.
    const answered = () => page.locator('[data-testid="departure-summary"]').count();
    for (const [x, y] of spots) {
      await page.mouse.click(box.x + box.width * x!, box.y + box.height * y!);
      const set = await expect
        .poll(answered, { timeout: 4_000 })
        .toBe(1)
        .then(() => true, () => false);
      if (set) break;
    }
    await expect.poll(answered, { timeout: 20_000 }).toBe(1);
    expect((await listItems(page).count()) + (await page.locator('[data-testid="no-results"]').count())).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('worker-lite-tap') });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('worker page on a 360×740 phone', () => {
  it('shows three stations and the mode select; the card peeks with 导航 and its chooser, and drags open', async () => {
    const context = await browser.newContext({ viewport: SMALL_PHONE, serviceWorkers: 'block' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.baseUrl}/#/`);
    await mapReady(page);
    await page.waitForTimeout(1000);
    await page.screenshot({ path: screenshotPath('worker-360-first-open') });

    await page.goto(`${server.baseUrl}/?pos=${TIANANMEN}#/`);
    await expect.poll(() => listItems(page).count(), { timeout: 20_000 }).toBe(5);
    const inView = async (selector: string) => {
      const box = await page.locator(selector).boundingBox();
      return !!box && box.x >= 0 && box.y >= 0 && box.x + box.width <= SMALL_PHONE.width && box.y + box.height <= SMALL_PHONE.height;
    };
    for (let i = 0; i < 3; i++) expect(await inView(`li:nth-child(${i + 1}) > [data-testid="nearest-item"]`), `item ${i + 1}`).toBe(true);
    expect(await inView('[data-testid="travel-mode"]')).toBe(true);
    // The name has the item's width (not squeezed beside the minutes).
    const nameBox = (await listItems(page).first().locator('.name').boundingBox())!;
    expect(nameBox.width).toBeGreaterThan(SMALL_PHONE.width * 0.6);

    const answer = (await (
      await fetch(`${server.baseUrl}/api/nearest?lng=116.397500&lat=39.908700&k=5&mode=walk&open=arrival`)
    ).json()) as { features: any[] };
    const first = answer.features[0];
    await listItems(page).first().click();
    const sheet = page.locator('[data-testid="station-sheet"]');
    await expect.poll(() => sheet.locator('#sheet-title').innerText(), { timeout: 10_000 }).toBe(first.properties.name);
    const minutes = Math.max(1, Math.round(first.properties.duration_s / 60));
    expect(await sheet.locator('[data-testid="peek-summary"]').innerText()).toMatch(new RegExp(`^${minutes} 分钟 · .+ · 到达时营业$`));
    expect(await sheet.getAttribute('data-expanded')).toBe('false');
    expect(await inView('[data-testid="navigate"]')).toBe(true);
    expect(await sheet.getByRole('button', { name: '导航', exact: true }).count()).toBe(1);
    await sheet.locator('[data-testid="navigate"]').click();
    const [lng, lat] = first.geometry.coordinates;
    const links = navChoices({ lng, lat, name: first.properties.name }, 'walk', [116.3975, 39.9087]);
    for (const app of NAV_APPS) {
      expect(await sheet.locator(`[data-testid="nav-chooser"] a[data-app="${app}"]`).getAttribute('href')).toBe(links[app]);
    }
    await page.waitForTimeout(400);
    await page.screenshot({ path: screenshotPath('worker-360-card-chooser') });

    // Dragging the handle up opens the full sheet; dragging it down brings back the peek.
    const handle = (await sheet.locator('[data-testid="sheet-handle"]').boundingBox())!;
    const drag = async (dy: number) => {
      await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
      await page.mouse.down();
      await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2 + dy, { steps: 5 });
      await page.mouse.up();
    };
    await drag(-200);
    await expect.poll(() => sheet.getAttribute('data-expanded')).toBe('true');
    await page.waitForTimeout(400);
    await page.screenshot({ path: screenshotPath('worker-360-card-full') });
    const full = (await sheet.locator('[data-testid="sheet-handle"]').boundingBox())!;
    await page.mouse.move(full.x + full.width / 2, full.y + full.height / 2);
    await page.mouse.down();
    await page.mouse.move(full.x + full.width / 2, full.y + 200, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => sheet.getAttribute('data-expanded')).toBe('false');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("worker page with the browser's geolocation", () => {
  // 国贸, as the phone's location service would report it (WGS-84, as browsers give it).
  const GUOMAO = { longitude: 116.4614, latitude: 39.9087 };

  it('"locate me" asks the browser, then lists the nearest open stations from that position', async () => {
    const context = await browser.newContext({
      viewport: PHONE,
      serviceWorkers: 'block',
      geolocation: { ...GUOMAO, accuracy: 20 },
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const nearestRequests: URL[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/nearest')) nearestRequests.push(new URL(r.url()));
    });
    await page.goto(`${server.baseUrl}/#/`);
    await mapReady(page);
    expect(await listItems(page).count()).toBe(0);

    await page.click('[data-testid="locate"]');
    await expect.poll(() => listItems(page).count(), { timeout: 20_000 }).toBe(5);
    // The request carries the browser's position, and the list is the API's answer for it.
    const asked = nearestRequests.at(-1)!;
    expect(Number(asked.searchParams.get('lng'))).toBeCloseTo(GUOMAO.longitude, 5);
    expect(Number(asked.searchParams.get('lat'))).toBeCloseTo(GUOMAO.latitude, 5);
    const answer = await (await fetch(`${server.baseUrl}${asked.pathname}${asked.search}`)).json();
    expect(await listNames(page)).toEqual(answer.features.map((f: any) => f.properties.name));
    await page.screenshot({ path: screenshotPath('worker-geolocation') });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says why and what to do instead when location is refused', async () => {
    const context = await browser.newContext({ viewport: PHONE, serviceWorkers: 'block' });
    // No permission granted: Chromium refuses headless geolocation prompts.
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/#/`);
    await mapReady(page);
    await page.click('[data-testid="locate"]');
    const alert = page.locator('[data-testid="locate-error"]');
    await expect.poll(() => alert.count(), { timeout: 15_000 }).toBe(1);
    expect(await alert.getAttribute('role')).toBe('alert');
    // The reason, and the way on (tap the map); not dressed up as a failed search.
    expect(await alert.innerText()).toMatch(/^无法获取定位：.+可以点击地图设置位置。$/);
    await page.screenshot({ path: screenshotPath('worker-geolocation-refused') });
    await context.close();
  });
});

describe('worker page without WebGL', () => {
  it('falls back to Leaflet automatically and still lists the nearest', async () => {
    const noWebgl = await launchBrowser({ webgl: false });
    try {
      const { page, errors } = await openWorker(noWebgl, `?pos=${TIANANMEN}`);
      await mapReady(page);
      expect(await page.locator('[data-testid="worker-map"]').getAttribute('data-engine')).toBe(
        'leaflet',
      );
      await expect.poll(() => listItems(page).count(), { timeout: 20_000 }).toBe(5);
      await page.screenshot({ path: screenshotPath('worker-no-webgl') });
      expect(errors).toEqual([]);
    } finally {
      await noWebgl.close();
    }
  });
});

describe('worker page offline', () => {
  /**
   * What the API lists from a position (default filters: open on arrival, walking, 5), at the
   * instant the page's clock is pinned to: "open on arrival" near an opening hour flips within
   * seconds, so the page and the API must be asked about the same moment (a CI run at 06:21 in
   * Beijing once listed a station opening at 07:00 on the phone but not from the API).
   */
  async function apiNearest(pos: string, at: Date, extra = '') {
    const [lng, lat] = pos.split(',').map(Number);
    const url = `${server.baseUrl}/api/nearest?lng=${lng!.toFixed(6)}&lat=${lat!.toFixed(6)}&k=5&mode=walk&open=arrival&at=${at.toISOString()}${extra}`;
    return (await (await fetch(url)).json()) as { distance_kind: string; features: any[] };
  }
  /** Pins the pages' Date to now (timers keep running) and returns that instant. */
  async function pinPageClock(context: BrowserContext): Promise<Date> {
    const at = new Date();
    await context.clock.setFixedTime(at);
    return at;
  }
  const savedForOffline = (page: Page) =>
    expect
      .poll(() => page.locator('[data-testid="worker-map"]').getAttribute('data-offline-saved'), { timeout: 30_000 })
      .toMatch(/^\d{4}-/);

  it('offline, computes the list on the phone from the saved stations, with the filters, and says so', async () => {
    const context = await browser.newContext({ viewport: SMALL_PHONE, serviceWorkers: 'block' });
    const at = await pinPageClock(context);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/?pos=${TIANANMEN}#/`);
    await expect.poll(() => listItems(page).count(), { timeout: 20_000 }).toBe(5);
    await savedForOffline(page);
    await context.setOffline(true);
    await page.click('[data-testid="chip-toilet"]');
    await expect.poll(() => page.locator('[data-testid="offline-notice"]').count(), { timeout: 10_000 }).toBe(1);
    const expected = await apiNearest(TIANANMEN, at, '&amenities=toilet');
    expect(expected.distance_kind).toBe('straight_line');
    await expect.poll(() => listNames(page)).toEqual(expected.features.map((f) => f.properties.name));
    expect(await page.locator('[data-testid="offline-tag"]').count()).toBe(expected.features.length);
    expect(await page.locator('[data-testid="offline-notice"]').innerText()).toMatch(/^离线 · 数据更新于 .+/);
    await page.screenshot({ path: screenshotPath('worker-offline') });
    // The card works from the list's row: its name and 导航; the details say they need a connection.
    await listItems(page).first().click();
    const sheet = page.locator('[data-testid="station-sheet"]');
    await expect.poll(() => sheet.locator('#sheet-title').innerText()).toBe(expected.features[0].properties.name);
    await expect.poll(() => sheet.locator('[data-testid="sheet-error"]').innerText(), { timeout: 10_000 }).toMatch(/^离线：/);
    await sheet.locator('[data-testid="navigate"]').click();
    expect(await sheet.locator('a[data-app="amap"]').getAttribute('href')).toBe(expected.features[0].properties.navigation.amap);
    await context.close();
  });

  it('registers a service worker that caches the shell', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const at = await pinPageClock(context);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/#/`);
    await page.locator('[data-testid="worker-map"]').waitFor();
    const state = await page.evaluate(() =>
      Promise.race([
        navigator.serviceWorker.ready.then((r) => r.active?.state ?? 'none'),
        new Promise((resolve) =>
          setTimeout(
            () => resolve(`timeout ${document.documentElement.dataset.serviceWorkerError ?? ''}`),
            20_000,
          ),
        ),
      ]),
    );
    expect(state).toMatch(/^activat(ing|ed)$/);
    await expect
      .poll(() =>
        page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state),
      )
      .toBe('activated');
    // Workbox's precache holds the whole build at once, not only what this page fetched: the
    // page, MapLibre's worker and the Leaflet fallback nobody has opened yet.
    const precached = await page.evaluate(async () => {
      const names = (await caches.keys()).filter((name) => name.startsWith('workbox-precache'));
      const paths: string[] = [];
      for (const name of names) {
        for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
      }
      return paths;
    });
    expect(precached).toContain('/index.html');
    expect(precached.some((p) => /^\/assets\/maplibre-gl-worker-.*\.mjs$/.test(p))).toBe(true);
    expect(precached.some((p) => /^\/assets\/leaflet-adapter-.*\.js$/.test(p))).toBe(true);

    // Online once more under the service worker (it caches the chunks; the page saves the stations),
    // then offline: the reloaded page comes from the cache and the list is computed on the phone.
    await page.goto(`${server.baseUrl}/?pos=${TIANANMEN}#/`);
    await expect.poll(() => listItems(page).count(), { timeout: 20_000 }).toBe(5);
    await savedForOffline(page);
    // The API's answer at a place 8 km away, to check the offline one against.
    const NEW_POS = '116.30,39.98';
    const expected = await apiNearest(NEW_POS, at);
    expect(expected.distance_kind).toBe('straight_line');
    // And a few metres off (a new URL: the same one would come from the HTTP cache, max-age=15).
    // Compared with the API there rather than with the list above: two stations at nearly the
    // same distance can trade places over those metres.
    const NEAR_POS = '116.3976,39.9087';
    const expectedNear = await apiNearest(NEAR_POS, at);
    // Playwright's offline emulation does not reach a service worker's own fetches, so the network
    // really goes away: the server stops (this is the file's last test; afterAll's stop is a no-op).
    const manifest = await (await fetch(`${server.baseUrl}/manifest.webmanifest`)).json();
    expect(manifest.lang).toBe('zh-CN');
    await server.stop();
    await page.goto(`${server.baseUrl}/?pos=${NEAR_POS}#/`);
    await expect.poll(() => listItems(page).count(), { timeout: 20_000 }).toBe(5);
    expect(await listNames(page)).toEqual(expectedNear.features.map((f) => f.properties.name));
    expect(await page.locator('[data-testid="offline-notice"]').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('worker-offline-reload') });
    // Offline at a new position 8 km away: the stations the API lists from there, with its
    // straight-line distances and minutes, each marked offline; never the old position's list.
    await page.setViewportSize(SMALL_PHONE);
    await page.goto(`${server.baseUrl}/?pos=${NEW_POS}#/`);
    await expect
      .poll(() => listNames(page), { timeout: 20_000 })
      .toEqual(expected.features.map((f) => f.properties.name));
    const minutes = (f: any) => `${Math.max(1, Math.round(f.properties.duration_s / 60))} 分钟`;
    const etas = await page.locator('[data-testid="eta"]').allInnerTexts();
    expect(etas.map((e) => e.split(' · ')[0])).toEqual(expected.features.map(minutes));
    expect(await page.locator('[data-testid="offline-tag"]').count()).toBe(expected.features.length);
    expect(await page.locator('[data-testid="offline-notice"]').innerText()).toMatch(/^离线 · 数据更新于 /);
    // The map draws the saved stations of its view too (grouped on the phone), not an empty map.
    await expect
      .poll(async () => Number(await page.locator('[data-testid="worker-map"]').getAttribute('data-stations')), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await page.waitForTimeout(1500); // the map settles on the list's stations before the picture
    await page.screenshot({ path: screenshotPath('worker-offline-new-position-360') });
    // The Leaflet fallback was never opened online: it comes from the precache.
    await page.goto(`${server.baseUrl}/?lite=1&pos=116.3977,39.9087#/`);
    await expect.poll(() => listItems(page).count(), { timeout: 20_000 }).toBe(5);
    await expect.poll(() => page.locator('[data-testid="worker-map"]').getAttribute('data-engine'), { timeout: 20_000 }).toBe('leaflet');
    await context.close();
  });
});
