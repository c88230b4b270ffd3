/**
 * The worker page's search box and departure time in Debian's Chromium at 360×740: a station found
 * by name and by pinyin initials opens its sheet; GCJ-02 coordinates as copied from Amap set the
 * position and list the nearest; a chosen departure time changes "open when I arrive"; the Leaflet
 * fallback (?lite=1) searches too. Two stations are created through the API by an admin made with
 * the real CLI; with TEST_DATABASE_URL everything runs on a fresh PostgreSQL database.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/config.js';
import { fromWgs84 } from '../../server/geo/coords.js';
import { launchBrowser, screenshotPath, startE2eServer, type E2eServer } from './setup.js';
import { createScratchDatabase } from '../../scripts/lib/scratch-database.js';

const ADMIN = { username: 'e2e-search', password: 'e2e-search-password' };
const PHONE = { width: 360, height: 740 };
/** Open for a three-hour window around now (Beijing time), so "now" and "in eight hours" differ. */
const WINDOW_STATION = { name: '晨光雪松驿站', lng: 116.5212, lat: 40.1318 };
const OTHER_STATION = { name: '晨光雪松工会港湾', lng: 116.3301, lat: 39.9731 };

let server: E2eServer;
let browser: Browser;
let dataDir: string;
let dropDatabase: (() => Promise<void>) | null = null;
let session: { cookie: string; csrf: string };

async function api(pathname: string, init: RequestInit & { session?: typeof session } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.session) Object.assign(headers, { cookie: init.session.cookie, 'x-csrf-token': init.session.csrf });
  const res = await fetch(server.baseUrl + pathname, { ...init, headers });
  return { status: res.status, headers: res.headers, body: await res.json().catch(() => null) };
}

/** An empty database on the server when the run is on PostgreSQL (the service migrates it), else null. */
async function serverDatabaseUrl(): Promise<string | null> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return null;
  const scratch = await createScratchDatabase(adminUrl, 'wp_e2e_search');
  dropDatabase = scratch.drop;
  return scratch.url;
}

/** The hour (0–23) on Beijing's clock, the deployment's zone. */
const beijingHour = (at = new Date()) =>
  Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' }).format(at));
const hh = (h: number) => `${String(((h % 24) + 24) % 24).padStart(2, '0')}:00`;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warm-posts-e2e-search-'));
  const databaseUrl = await serverDatabaseUrl();
  execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'user-create.ts'), '--username', ADMIN.username, '--role', 'admin'],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, PGLITE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', WARM_POSTS_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn' },
      stdio: 'pipe',
    },
  );
  server = await startE2eServer({}, databaseUrl ? { databaseUrl } : { dataDir });
  const login = await api('/api/auth/login', { method: 'POST', body: JSON.stringify(ADMIN) });
  expect(login.status).toBe(200);
  session = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, csrf: login.body.csrfToken };
  const hour = beijingHour();
  for (const [station, hours] of [
    [WINDOW_STATION, `${hh(hour - 1)}-${hh(hour + 2)}`],
    [OTHER_STATION, '24/7'],
  ] as const) {
    const created = await api('/api/stations', {
      method: 'POST',
      session,
      body: JSON.stringify({ ...station, kind: 'warm_post', amenities: { hot_water: 'available' }, opening_hours: hours }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await dropDatabase?.();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function openWorker(query = '', options: { bypassCSP?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: PHONE, serviceWorkers: 'block', ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.baseUrl}/${query}#/`);
  await expect
    .poll(() => page.locator('[data-testid="worker-map"]').getAttribute('data-engine'), { timeout: 30_000 })
    .not.toBe('');
  return { page, errors };
}

const input = (page: Page) => page.locator('[data-testid="search-input"]');
const options = (page: Page) => page.locator('[data-testid="search-option"]');

async function typeSearch(page: Page, text: string) {
  await input(page).fill('');
  await input(page).pressSequentially(text, { delay: 20 });
  await expect.poll(() => options(page).count(), { timeout: 15_000 }).toBeGreaterThan(0);
}

describe('worker search box', () => {
  it('finds a station by name; Enter opens its sheet', async () => {
    const { page, errors } = await openWorker();
    await typeSearch(page, '晨光雪松');
    expect(await input(page).getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('[role="listbox"]').isVisible()).toBe(true);
    const titles = await page.locator('[data-testid="search-option"] .title').allInnerTexts();
    expect(titles).toEqual(expect.arrayContaining([WINDOW_STATION.name, OTHER_STATION.name]));
    await page.waitForTimeout(500);
    await page.screenshot({ path: screenshotPath('worker-search-name') });
    // Keyboard: the first arrow makes the first option active, Enter chooses it.
    await input(page).press('ArrowDown');
    const activeId = await input(page).getAttribute('aria-activedescendant');
    expect(activeId).toBeTruthy();
    expect(await page.locator(`#${activeId}`).getAttribute('aria-selected')).toBe('true');
    const chosen = await page.locator(`#${activeId} .title`).innerText();
    await input(page).press('Enter');
    await expect.poll(() => page.locator('#sheet-title').innerText(), { timeout: 15_000 }).toBe(chosen);
    expect(await input(page).getAttribute('aria-expanded')).toBe('false');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('finds a station by its pinyin initials, and Escape closes then clears', async () => {
    const { page, errors } = await openWorker();
    await typeSearch(page, 'cgxs');
    const titles = await page.locator('[data-testid="search-option"] .title').allInnerTexts();
    expect(titles).toContain(WINDOW_STATION.name);
    await input(page).press('Escape');
    expect(await input(page).getAttribute('aria-expanded')).toBe('false');
    await input(page).press('Escape');
    expect(await input(page).inputValue()).toBe('');
    await typeSearch(page, 'cgxsyz');
    await page.locator('[data-testid="search-option"]', { hasText: WINDOW_STATION.name }).click();
    await expect.poll(() => page.locator('#sheet-title').innerText(), { timeout: 15_000 }).toBe(WINDOW_STATION.name);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('GCJ-02 coordinates from Amap set the position and list the nearest, with the time control changing open-at-arrival', async () => {
    const { page, errors } = await openWorker();
    const [gcjLng, gcjLat] = fromWgs84([WINDOW_STATION.lng, WINDOW_STATION.lat], 'GCJ02');
    await typeSearch(page, `gcj:${gcjLng.toFixed(6)},${gcjLat.toFixed(6)}`);
    const option = options(page).first();
    expect(await option.getAttribute('data-type')).toBe('coordinate');
    expect(await option.locator('.detail').innerText()).toContain('GCJ-02');
    await input(page).press('Enter');
    // Converted back to WGS-84: the station itself is the nearest, a few metres away at most.
    const names = page.locator('[data-testid="nearest-item"] .name');
    await expect.poll(() => names.first().innerText(), { timeout: 20_000 }).toBe(WINDOW_STATION.name);
    // Polled: the list may still be moving from an earlier answer when the name first matches.
    await expect.poll(() => page.locator('[data-testid="eta"]').first().innerText(), { timeout: 15_000 }).toMatch(/分钟 · \d+ 米/);
    const summary = page.locator('[data-testid="departure-summary"]');
    expect(await summary.innerText()).toBe('现在出发 · 到达时营业');
    await page.waitForTimeout(800);
    await page.screenshot({ path: screenshotPath('worker-search-gcj') });

    // Leaving in eight hours: outside the station's three-hour window.
    const later = beijingHour() + 8;
    const day = later < 24 ? 'today' : 'tomorrow';
    await page.selectOption('[data-testid="departure-day"]', day);
    await page.selectOption('[data-testid="departure-hour"]', hh(later).slice(0, 2));
    await page.selectOption('[data-testid="departure-minute"]', '00');
    await expect
      .poll(() => summary.innerText(), { timeout: 15_000 })
      .toBe(`${day === 'today' ? '今天' : '明天'} ${hh(later)} 出发 · 到达时营业`);
    await expect.poll(() => names.allInnerTexts(), { timeout: 15_000 }).not.toContain(WINDOW_STATION.name);
    // Every station, open or not: it is there again, closed when the worker would arrive.
    await page.click('[data-testid="open-any"]');
    await expect.poll(() => names.first().innerText(), { timeout: 15_000 }).toBe(WINDOW_STATION.name);
    await expect
      .poll(() => page.locator('[data-testid="arrival-state"]').first().innerText(), { timeout: 15_000 })
      .toBe('到达时已关门');
    expect(await summary.innerText()).toBe(`${day === 'today' ? '今天' : '明天'} ${hh(later)} 出发 · 全部驿站`);
    await page.waitForTimeout(500);
    await page.screenshot({ path: screenshotPath('worker-departure-time') });
    // Back to now: open when the worker arrives again.
    await page.selectOption('[data-testid="departure-day"]', 'now');
    await expect
      .poll(() => page.locator('[data-testid="arrival-state"]').first().innerText(), { timeout: 15_000 })
      .toBe('到达时营业');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('axe-core finds nothing critical or serious on the whole page (map, legend, list, card, chooser) in zh and en; every control shows a focus ring; the keyboard sets a position', async () => {
    // axe is injected as an inline script, which the page's CSP (rightly) refuses.
    const { page, errors } = await openWorker('?pos=116.3975,39.9087', { bypassCSP: true });
    const injectAxe = () => page.addScriptTag({ path: path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js') });
    /** Critical and serious violations on the whole document, and how many rules passed. */
    const audit = () =>
      page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<any> } }).axe;
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return {
          rulesPassed: result.passes.length as number,
          violations: result.violations
            .filter((v: { impact: string }) => v.impact === 'critical' || v.impact === 'serious')
            .map((v: { id: string; nodes: Array<{ target: string[] }> }) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        };
      });
    const summary: Record<string, number> = {};
    for (const lang of ['zh', 'en']) {
      if (lang === 'en') {
        await page.evaluate(() => localStorage.setItem('warm-posts.locale', 'en'));
        await page.reload();
      }
      await injectAxe();
      await page.locator('[data-testid="nearest-item"]').first().waitFor({ timeout: 20_000 });
      expect(await page.locator('html').getAttribute('lang')).toBe(lang === 'zh' ? 'zh-CN' : 'en');
      await page.selectOption('[data-testid="departure-day"]', 'tomorrow');
      await page.locator('[data-testid="map-legend"] summary').click();
      await typeSearch(page, lang === 'zh' ? '驿站' : 'dhm');
      await input(page).press('ArrowDown');
      const withList = await audit();
      expect(withList.violations, `${lang}: map, legend, list, search`).toEqual([]);
      await input(page).press('Escape');
      await input(page).press('Escape');
      // The card and its chooser of apps.
      await page.locator('[data-testid="nearest-item"]').first().click();
      await page.locator('[data-testid="navigate"]').click();
      await page.locator('[data-testid="nav-chooser"]').waitFor();
      const withCard = await audit();
      expect(withCard.violations, `${lang}: card and chooser`).toEqual([]);
      expect(withCard.rulesPassed, lang).toBeGreaterThan(20); // it did look
      summary[`${lang}_rules_passed`] = withCard.rulesPassed;
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
    }
    console.log('axe on the worker page: no critical or serious violations', summary);

    // Every control the keyboard reaches, the card's included, shows a focus ring.
    await page.locator('[data-testid="nearest-item"]').first().click();
    await page.locator('[data-testid="navigate"]').click();
    const withoutRing: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < 70; i++) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const cs = getComputedStyle(el);
        const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || cs.boxShadow !== 'none';
        return { id: `${el.tagName}.${el.className}[${el.dataset.testid ?? el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 24)}]`, ring };
      });
      if (!focus || seen.has(focus.id)) continue;
      seen.add(focus.id);
      if (!focus.ring) withoutRing.push(focus.id);
    }
    expect(seen.size).toBeGreaterThan(20);
    expect([...seen].some((id) => id.includes('navigate'))).toBe(true);
    expect(withoutRing).toEqual([]);

    // Without a pointer or location: Tab to the map, arrow keys move it, Enter sets the position there.
    await page.goto(`${server.baseUrl}/#/`);
    await expect
      .poll(() => page.locator('[data-testid="worker-map"]').getAttribute('data-engine'), { timeout: 30_000 })
      .not.toBe('');
    let onMap = false;
    for (let i = 0; i < 40 && !onMap; i++) {
      await page.keyboard.press('Tab');
      onMap = await page.evaluate(() => (document.activeElement as HTMLElement).matches('.maplibregl-canvas, .leaflet-container'));
    }
    expect(onMap).toBe(true);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid="departure-summary"]').count(), { timeout: 15_000 }).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('works in the Leaflet fallback (?lite=1): an area fits the map, a station opens, a bad coordinate is explained', async () => {
    const { page, errors } = await openWorker('?lite=1');
    expect(await page.locator('[data-testid="worker-map"]').getAttribute('data-engine')).toBe('leaflet');
    await typeSearch(page, '东城区');
    expect(await options(page).first().getAttribute('data-type')).toBe('area');
    await input(page).press('Enter');
    await typeSearch(page, 'cgxsgh');
    await page.locator('[data-testid="search-option"]', { hasText: OTHER_STATION.name }).click();
    await expect.poll(() => page.locator('#sheet-title').innerText(), { timeout: 15_000 }).toBe(OTHER_STATION.name);
    await page.waitForTimeout(500);
    await page.screenshot({ path: screenshotPath('worker-search-lite') });
    await input(page).fill('gcj:200,39.9');
    await expect
      .poll(() => page.locator('[data-testid="search-problem"]').innerText(), { timeout: 15_000 })
      .toContain('坐标超出范围');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
