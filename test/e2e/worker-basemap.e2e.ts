/**
 * The worker map's basemap in Debian's Chromium against the built app: one database, and one server
 * process after another with a different BASEMAP (the setting is read at start):
 * - amap (GCJ-02): tile requests follow Amap's template (intercepted: no internet here), and our
 *   WGS-84 layers are drawn at their GCJ-02 positions on its grid; the Leaflet fallback (?lite=1,
 *   the path a phone without WebGL takes) asks for the same tiles;
 * - pmtiles: an archive built from the Andorra extract by the project's builder, served by the
 *   process with range requests, drawn with the Protomaps style; over Beijing, where it has no
 *   tiles, the map is what BASEMAP=none draws: area names, cluster counts and station names from
 *   our own data (glyphs drawn on the phone), with nothing asked of any other host.
 * Two server starts, not one per basemap: each costs seconds of CI's browser-test budget, and our
 * own labels are the same layers on every basemap (the default's style is only a background).
 * Tianditu's templates (vec_w under cva_w, the key in each) go through the same raster path as
 * Amap's and are checked by unit tests (test/unit/map/raster-basemap.test.ts, basemap-config).
 * Screenshots (360×740) go to test-results/worker-basemap-*.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBasemapArchive } from '../../scripts/lib/basemap/build-archive.js';
import { createScratchDatabase } from '../../scripts/lib/scratch-database.js';
import { fromWgs84 } from '../../server/geo/coords.js';
import { extractPath } from '../unit/routing/real-networks.js';
import { launchBrowser, screenshotPath, startE2eServer, type E2eServer } from './setup.js';

const PHONE = { width: 360, height: 740 };
/** 天安门, among the sample stations. */
const TIANANMEN: [number, number] = [116.3975, 39.9087];
const AMAP_TILE =
  /^https:\/\/webrd0[1-4]\.is\.autonavi\.com\/appmaptile\?lang=zh_cn&size=1&scale=1&style=8&x=(\d+)&y=(\d+)&z=(\d+)$/;

/** A 256×256 PNG: light fill, a dark frame (so a screenshot shows the tile grid). */
function tilePng(): Buffer {
  const size = 256;
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const edge = x < 2 || y < 2;
      const at = y * (size * 3 + 1) + 1 + x * 3;
      raw[at] = edge ? 90 : 236;
      raw[at + 1] = edge ? 110 : 232;
      raw[at + 2] = edge ? 140 : 220;
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const TILE = tilePng();

let browser: Browser;
let dataDir: string;
let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | null = null;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warm-posts-e2e-basemap-'));
  const adminUrl = process.env.TEST_DATABASE_URL;
  scratch = adminUrl ? await createScratchDatabase(adminUrl, 'wp_e2e_basemap') : null;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await scratch?.drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/**
 * The service with one basemap setting, on this file's one database: the first start seeds it,
 * the next ones (one process after another, the setting being read at start) find it ready.
 */
function serverWith(env: Record<string, string>): { get(): E2eServer } {
  let server: E2eServer | undefined;
  beforeAll(async () => {
    server = await startE2eServer(
      { SAMPLE_STATION_COUNT: '300', ...env },
      scratch ? { databaseUrl: scratch.url } : { dataDir },
    );
  }, 180_000);
  afterAll(async () => server?.stop());
  return { get: () => server! };
}

interface Opened {
  page: Page;
  errors: string[];
  /** Every request the page made, outside hosts included. */
  requests: string[];
}

async function openWorker(
  b: Browser,
  server: E2eServer,
  query: string,
  intercept: Record<string, Buffer> = {},
): Promise<Opened> {
  const context = await b.newContext({ viewport: PHONE, serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r: Request) => requests.push(r.url()));
  // No internet here: outside tile hosts answer from the test, anything else outside fails.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => {
    const url = route.request().url();
    const host = new URL(url).hostname;
    const body = Object.entries(intercept).find(([h]) => host.endsWith(h))?.[1];
    return body
      ? route.fulfill({ status: 200, contentType: 'image/png', body })
      : route.abort('internetdisconnected');
  });
  await page.goto(`${server.baseUrl}/${query}#/`);
  return { page, errors, requests };
}

/** Waits until the worker map is MapLibre (or Leaflet) with its stations drawn. */
async function mapReady(page: Page, engine: 'maplibre' | 'leaflet') {
  const map = page.locator('[data-testid="worker-map"]');
  await expect.poll(() => map.getAttribute('data-engine'), { timeout: 30_000 }).toBe(engine);
  await expect
    .poll(async () => Number(await map.getAttribute('data-stations')), { timeout: 30_000 })
    .toBeGreaterThan(0);
}

interface RenderedFeature {
  layer: string;
  source: string;
  sourceLayer: string | null;
  properties: Record<string, unknown>;
  coordinates: [number, number] | null;
}

/** Rendered features of MapLibre layers whose ids pass `match`, as plain data. */
function rendered(page: Page, match: string, point?: [number, number]): Promise<RenderedFeature[]> {
  return page.evaluate(
    ([source, at]) => {
      const map = (document.querySelector('[data-testid="map"]') as unknown as { maplibreMap: any }).maplibreMap;
      const pattern = new RegExp(source);
      const layers = map.getStyle().layers.map((l: { id: string }) => l.id).filter((id: string) => pattern.test(id));
      if (!layers.length) return [];
      const features = at ? map.queryRenderedFeatures(at, { layers }) : map.queryRenderedFeatures({ layers });
      return features.map((f: any) => ({
        layer: f.layer.id as string,
        source: f.source as string,
        sourceLayer: (f.sourceLayer ?? null) as string | null,
        properties: f.properties as Record<string, unknown>,
        coordinates: f.geometry.type === 'Point' ? (f.geometry.coordinates as [number, number]) : null,
      }));
    },
    [match, point ?? null] as const,
  );
}

/**
 * With a position, the page fits the view to the nearest stations when their answer comes, and
 * once more when the map has its outlines (whichever is later): wait for both and for the move to
 * end, so a test's own view is not undone under it.
 */
async function nearestShown(page: Page) {
  await page.locator('[data-testid="nearest-route"]').first().waitFor({ timeout: 30_000 });
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          const map = (document.querySelector('[data-testid="map"]') as unknown as { maplibreMap: any }).maplibreMap;
          return Boolean(map.getLayer('districts') && map.getLayer('nearest')) && !map.isMoving();
        }),
      { timeout: 30_000 },
    )
    .toBe(true);
}

/** MapLibre moves to a view and settles (tiles and symbols placed). */
async function jumpTo(page: Page, center: [number, number], zoom: number) {
  await page.evaluate(
    ([c, z]) =>
      new Promise<void>((resolve) => {
        const map = (document.querySelector('[data-testid="map"]') as unknown as { maplibreMap: any }).maplibreMap;
        map.once('idle', () => resolve());
        map.jumpTo({ center: c, zoom: z });
      }),
    [center, zoom] as const,
  );
}

const project = (page: Page, at: [number, number]) =>
  page.evaluate((p) => {
    const map = (document.querySelector('[data-testid="map"]') as unknown as { maplibreMap: any }).maplibreMap;
    const { x, y } = map.project(p);
    return [x, y] as [number, number];
  }, at);

describe('BASEMAP=amap (GCJ-02 raster tiles)', () => {
  const amap = serverWith({ BASEMAP: 'amap' });

  it('MapLibre asks for Amap tiles by its template and draws our WGS-84 layers at their GCJ-02 positions', async () => {
    const server = amap.get();
    const { page, errors, requests } = await openWorker(browser, server, `?pos=${TIANANMEN.join(',')}`, {
      'is.autonavi.com': TILE,
    });
    await mapReady(page, 'maplibre');
    // The CSP names Amap's hosts, and no others (the tiles would not load otherwise).
    const csp = (await page.request.get(`${server.baseUrl}/`)).headers()['content-security-policy']!;
    expect(csp).toMatch(/img-src[^;]*https:\/\/webrd01\.is\.autonavi\.com/);
    expect(csp).toMatch(/connect-src[^;]*https:\/\/webrd04\.is\.autonavi\.com/);
    for (const directive of ['img-src', 'connect-src']) {
      const sources = new RegExp(`${directive} ([^;]*)`).exec(csp)![1]!.split(' ');
      expect(sources.filter((s) => !["'self'", 'data:', 'blob:'].includes(s)).every((s) => /^https:\/\/webrd0[1-4]\.is\.autonavi\.com$/.test(s))).toBe(true);
    }

    await nearestShown(page);
    // Both 天安门's WGS-84 and GCJ-02 positions (~500 m apart) in view.
    const gcj = fromWgs84(TIANANMEN, 'GCJ02');
    await jumpTo(page, [(TIANANMEN[0] + gcj[0]) / 2, (TIANANMEN[1] + gcj[1]) / 2], 14);
    const tiles = requests.filter((u) => u.includes('autonavi'));
    expect(tiles.length).toBeGreaterThan(0);
    for (const url of tiles) expect(url).toMatch(AMAP_TILE);
    // MapLibre's zoom counts 512-px tiles: at 14 it draws Amap's 256-px tiles of zoom 15.
    const z15 = tiles.map((u) => AMAP_TILE.exec(u)!).filter((m) => m[3] === '15');
    expect(z15.length).toBeGreaterThan(0);

    // "Me" at 天安门 (WGS-84) is drawn where GCJ-02 puts it (~300–500 m off), on Amap's grid.
    await expect.poll(async () => (await rendered(page, '^me$')).length, { timeout: 10_000 }).toBe(1);
    const me = await rendered(page, '^me$');
    expect(me).toHaveLength(1);
    // Rendered geometry comes back in tile units: ~1 m here, against a shift of several hundred.
    expect(me[0]!.coordinates![0]).toBeCloseTo(gcj[0], 4);
    expect(me[0]!.coordinates![1]).toBeCloseTo(gcj[1], 4);
    const atGcj = await project(page, gcj);
    const atWgs = await project(page, TIANANMEN);
    expect(Math.hypot(atGcj[0] - atWgs[0], atGcj[1] - atWgs[1])).toBeGreaterThan(50);
    expect(await rendered(page, '^me$', atGcj)).toHaveLength(1);
    expect(await rendered(page, '^me$', atWgs)).toHaveLength(0);
    // The tile under "me" is the z15 tile holding its GCJ-02 position (Web Mercator, as Amap tiles are).
    const n = 2 ** 15;
    const tileX = Math.floor(((gcj[0] + 180) / 360) * n);
    const r = (gcj[1] * Math.PI) / 180;
    const tileY = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
    expect(z15.some((m) => Number(m[1]) === tileX && Number(m[2]) === tileY)).toBe(true);
    // The attribution names Amap.
    await expect.poll(() => page.locator('.maplibregl-ctrl-attrib').textContent()).toMatch(/高德|AutoNavi/);
    await page.screenshot({ path: screenshotPath('worker-basemap-amap') });
    // The legend says what each mark means, closed-on-arrival as a ring.
    await page.locator('[data-testid="map-legend"] summary').click();
    await expect.poll(() => page.locator('[data-testid="map-legend"]').textContent()).toMatch(/空心.*我的位置/s);
    await page.screenshot({ path: screenshotPath('worker-basemap-legend') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the Leaflet fallback (?lite=1, as without WebGL) draws the same Amap tiles, counted clusters and area names', async () => {
    const server = amap.get();
    {
      const { page, errors } = await openWorker(browser, server, `?lite=1&pos=${TIANANMEN.join(',')}`, {
        'is.autonavi.com': TILE,
      });
      await mapReady(page, 'leaflet');
      // Tiles Leaflet drops while the map still moves get its blank data: image until they leave the DOM;
      // the ones it shows (loaded) must all be Amap's.
      const loadedTiles = () =>
        page.locator('img.leaflet-tile-loaded').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src));
      await expect.poll(async () => (await loadedTiles()).length, { timeout: 15_000 }).toBeGreaterThan(0);
      for (const src of await loadedTiles()) if (!src.startsWith('data:')) expect(src).toMatch(AMAP_TILE);
      expect((await loadedTiles()).filter((src) => AMAP_TILE.test(src)).length).toBeGreaterThan(0);
      await expect.poll(() => page.locator('.leaflet-control-attribution').textContent()).toMatch(/高德|AutoNavi/);
      // Zoomed out: clusters carry their counts as text.
      await page.locator('.leaflet-control-zoom-out').click();
      await page.locator('.leaflet-control-zoom-out').click();
      await expect
        .poll(() => page.locator('.wp-map-cluster-count').allTextContents(), { timeout: 15_000 })
        .toContainEqual(expect.stringMatching(/^\d+$/));
      // Area names as HTML labels (Leaflet cannot draw symbols): the city's or its districts', by zoom.
      await expect
        .poll(() => page.locator('.wp-map-label-area').allTextContents(), { timeout: 15_000 })
        .toContainEqual(expect.stringMatching(/[市区]$/));
      await page.screenshot({ path: screenshotPath('worker-basemap-leaflet-amap') });
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });
});

describe('BASEMAP=pmtiles: a self-hosted archive of Andorra, on a deployment of Beijing', () => {
  // The archive as a deployer builds it (npm run build:basemap), from the real Andorra extract.
  const archive = path.join(os.tmpdir(), `warm-posts-e2e-andorra-${process.pid}.pmtiles`);
  beforeAll(() => buildBasemapArchive({ input: extractPath('andorra'), output: archive, maxZoom: 14 }), 60_000);
  afterAll(() => fs.rmSync(archive, { force: true }));
  const pmtiles = serverWith({ BASEMAP: 'pmtiles', BASEMAP_PMTILES: archive });

  it('where the archive has no tiles (Beijing), draws cluster counts, area names at their level\'s zoom and station names from our own data, asking no other host', async () => {
    const server = pmtiles.get();
    const { page, errors, requests } = await openWorker(browser, server, '');
    await mapReady(page, 'maplibre');
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const map = (document.querySelector('[data-testid="map"]') as unknown as { maplibreMap: any }).maplibreMap;
          if (map.loaded()) resolve();
          else map.once('idle', () => resolve());
        }),
    );
    // The whole region: clusters, each with its count written as text.
    // Kept from the poll that saw them: the page may still move the map (its last fit) between two reads.
    let counts: Awaited<ReturnType<typeof rendered>> = [];
    await expect
      .poll(async () => (counts = await rendered(page, '^stations-cluster-counts$')).length, { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(Number(counts[0]!.properties.point_count)).toBeGreaterThan(1);
    const textField = await page.evaluate(() =>
      (document.querySelector('[data-testid="map"]') as unknown as { maplibreMap: any }).maplibreMap.getLayoutProperty(
        'stations-cluster-counts',
        'text-field',
      ),
    );
    expect(JSON.stringify(textField)).toContain('point_count');
    // Area names: some level's names at this view, the default level's (districts) a little closer.
    const meta = await (await page.request.get(`${server.baseUrl}/api/meta`)).json();
    await page.screenshot({ path: screenshotPath('worker-basemap-own-labels') });
    await jumpTo(page, TIANANMEN, 10);
    await expect
      .poll(async () => (await rendered(page, '^area-labels-')).map((f) => String(f.properties.name)), { timeout: 15_000 })
      .toContainEqual(expect.stringMatching(/东城|西城|朝阳|海淀/));
    const levels = (meta.region.levels as Array<{ name: string }>).map((l) => l.name);
    expect(levels).toContain(meta.region.default_level);
    // Close up: stations one by one, with their names.
    const station = await (
      await page.request.get(`${server.baseUrl}/api/nearest?lng=${TIANANMEN[0]}&lat=${TIANANMEN[1]}&k=1&open=any`)
    ).json();
    const at = station.features[0].geometry.coordinates as [number, number];
    await jumpTo(page, at, 16.5);
    await expect
      .poll(async () => (await rendered(page, '^stations-labels$')).map((f) => String(f.properties.name)), { timeout: 15_000 })
      .toContain(station.features[0].properties.name);
    await page.screenshot({ path: screenshotPath('worker-basemap-own-labels-close') });
    // Offline means offline: no glyph, tile or font request left the service.
    const outside = requests.filter((u) => !u.startsWith(server.baseUrl) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('reads the archive by ranges from the same process and draws its roads, water and places', async () => {
    const server = pmtiles.get();
    const { page, errors, requests } = await openWorker(browser, server, '');
    await mapReady(page, 'maplibre');
    // Andorra la Vella: the archive holds Andorra, the sample stations are Beijing's.
    await jumpTo(page, [1.5218, 42.5063], 14);
    const features = await rendered(page, '^(roads|water|places|landuse|earth)');
    const layersDrawn = new Set(features.filter((f) => f.source === 'protomaps').map((f) => f.sourceLayer));
    expect([...layersDrawn]).toEqual(expect.arrayContaining(['roads', 'earth']));
    const names = features.filter((f) => f.sourceLayer === 'roads' && f.properties.name).map((f) => f.properties.name);
    expect(names.length).toBeGreaterThan(0);
    expect(requests.filter((u) => u.includes('/api/basemap.pmtiles')).length).toBeGreaterThan(1);
    const outside = requests.filter((u) => !u.startsWith(server.baseUrl) && !/^(data|blob):/.test(u));
    expect(outside).toEqual([]);
    await page.screenshot({ path: screenshotPath('worker-basemap-pmtiles') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('keeps the ranges it read: offline, the same streets draw again (last in the file: it stops the server)', async () => {
    const server = pmtiles.get();
    const context = await browser.newContext({ viewport: PHONE });
    await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort('internetdisconnected'));
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/#/`);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    // Under the service worker from here on (it claims the page; a reload makes sure).
    await page.reload();
    await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)), { timeout: 20_000 }).toBe(true);
    await mapReady(page, 'maplibre');
    await jumpTo(page, [1.5218, 42.5063], 14);
    const roadNames = async () =>
      [...new Set((await rendered(page, '^roads')).filter((f) => f.source === 'protomaps' && f.properties.name).map((f) => String(f.properties.name)))].sort();
    const online = await roadNames();
    expect(online.length).toBeGreaterThan(0);
    // The ranges are saved after the answers reach the map: wait for them.
    await expect
      .poll(() => page.evaluate(async () => (await (await caches.open('warm-posts-basemap-v1')).keys()).length), { timeout: 15_000 })
      .toBeGreaterThan(2);
    // Offline for real (Playwright's offline switch does not reach a service worker's fetches).
    await server.stop();
    await page.reload();
    await expect.poll(() => page.locator('[data-testid="worker-map"]').getAttribute('data-engine'), { timeout: 30_000 }).toBe('maplibre');
    await jumpTo(page, [1.5218, 42.5063], 14);
    await expect.poll(roadNames, { timeout: 20_000 }).toEqual(online);
    await page.screenshot({ path: screenshotPath('worker-basemap-pmtiles-offline') });
    await context.close();
  });
});
