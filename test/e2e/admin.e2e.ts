/**
 * The admin screens of the console in Debian's Chromium: users (create, assign a station,
 * deactivate), a new station placed by a typed GCJ-02 position, and a delete with confirmation.
 * The first admin is created with the real CLI (`scripts/user-create.ts`), as a deployer would;
 * with TEST_DATABASE_URL everything runs on a fresh PostgreSQL database instead of PGlite.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as gcoordModule from 'gcoord';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/config.js';
import { launchBrowser, screenshotPath, startE2eServer, type E2eServer } from './setup.js';
import { createScratchDatabase } from '../../scripts/lib/scratch-database.js';

const gcoord = gcoordModule.default as unknown as {
  transform(p: [number, number], from: string, to: string): [number, number];
};

const ADMIN = { username: 'e2e-root', password: 'e2e-root-password' };
let server: E2eServer;
let browser: Browser;
let dataDir: string;
let dropDatabase: (() => Promise<void>) | null = null;
let admin: { cookie: string; csrf: string };

async function api(pathname: string, init: RequestInit & { session?: { cookie: string; csrf: string } } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(init.headers as Record<string, string>) };
  if (init.session) Object.assign(headers, { cookie: init.session.cookie, 'x-csrf-token': init.session.csrf });
  const res = await fetch(server.baseUrl + pathname, { ...init, headers });
  return { status: res.status, headers: res.headers, body: await res.json().catch(() => null) };
}

async function apiLogin(username: string, password: string) {
  const res = await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ username, password }) });
  return { ...res, session: res.status === 200 ? { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: res.body.csrfToken as string } : null };
}

async function signIn(page: Page, username: string, password: string) {
  await page.goto(`${server.baseUrl}/#/manage`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await page.click('[data-testid="login-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="signed-in"]');
}

/** Great-circle distance in metres between two [lng, lat] points. */
function metres([lng1, lat1]: number[], [lng2, lat2]: number[]): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2! - lat1!) * rad) / 2) ** 2 + Math.cos(lat1! * rad) * Math.cos(lat2! * rad) * Math.sin(((lng2! - lng1!) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}

/** An empty database on the server when the run is on PostgreSQL (the service migrates it), else null. */
async function serverDatabaseUrl(): Promise<string | null> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return null;
  const scratch = await createScratchDatabase(adminUrl, 'wp_e2e_admin');
  dropDatabase = scratch.drop;
  return scratch.url;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warm-posts-e2e-admin-'));
  const databaseUrl = await serverDatabaseUrl();
  execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'user-create.ts'), '--username', ADMIN.username, '--role', 'admin'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PGLITE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', WARM_POSTS_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn' },
    stdio: 'pipe',
  });
  server = await startE2eServer({}, databaseUrl ? { databaseUrl } : { dataDir });
  const login = await apiLogin(ADMIN.username, ADMIN.password);
  expect(login.status).toBe(200);
  admin = login.session!;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await dropDatabase?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('admin console', () => {
  it('creates a manager, assigns one station, and the manager then sees only that station', async () => {
    const items = await api('/api/collections/stations/items?limit=20');
    // A station whose name is unique among the seeded ones, so a name search finds just it.
    const names = items.body.features.map((f: { properties: { name: string } }) => f.properties.name);
    const target = items.body.features.find((f: { properties: { name: string } }) => names.filter((n: string) => n === f.properties.name).length === 1);
    expect(target).toBeTruthy();
    const targetName: string = target.properties.name;

    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, ADMIN.username, ADMIN.password);
    // Managers and planners have no such tabs; the admin does.
    await page.click('[data-testid="tab-users"]');
    await page.waitForSelector('[data-testid="user-row"][data-username="e2e-root"]');

    // A short first password is refused before anything is sent; no user appears.
    await page.fill('input[name="new-username"]', 'li-manager');
    await page.selectOption('select[name="new-role"]', 'manager');
    await page.fill('input[name="new-password"]', 'short');
    await page.locator('input[name="new-password"]').evaluate((el: HTMLInputElement) => el.removeAttribute('minlength'));
    await page.click('[data-testid="user-create"] button[type="submit"]');
    await expect.poll(() => page.locator('[data-testid="users-error"]').innerText()).toContain('10');
    expect((await api('/api/users', { session: admin })).body.users.map((u: { username: string }) => u.username)).not.toContain('li-manager');

    await page.fill('input[name="new-password"]', 'li-manager-pass-1');
    await page.click('[data-testid="user-create"] button[type="submit"]');
    await expect.poll(() => page.locator('[data-testid="users-status"]').innerText()).toContain('li-manager');
    const row = page.locator('[data-testid="user-row"][data-username="li-manager"]');
    await expect.poll(() => row.locator('[data-testid="user-station-count"]').innerText()).toContain('0');

    // The same name again: the server's own message (409) is shown.
    await page.fill('input[name="new-username"]', 'li-manager');
    await page.fill('input[name="new-password"]', 'another-pass-123');
    await page.click('[data-testid="user-create"] button[type="submit"]');
    await expect.poll(() => page.locator('[data-testid="users-error"]').innerText()).toContain('User name "li-manager" is taken');

    // Assign the station found by a name search.
    await row.locator('[data-testid="assign-open"]').click();
    await row.locator('[data-testid="assign-stations-search"]').fill(targetName);
    const result = row.locator('[data-testid="assign-stations-result"]', { hasText: targetName }).first();
    await result.click();
    await expect.poll(() => row.locator('[data-testid="assign-stations-chosen"]').innerText()).toContain(targetName);
    await page.screenshot({ path: screenshotPath('admin-assign-station'), fullPage: true });
    await row.locator('[data-testid="assign-save"]').click();
    await expect.poll(() => row.locator('[data-testid="user-station-count"]').innerText()).toContain('1');
    const users = (await api('/api/users', { session: admin })).body.users as Array<{ username: string; role: string; station_ids: number[] }>;
    expect(users.find((u) => u.username === 'li-manager')).toMatchObject({ role: 'manager', station_ids: [target.id] });

    // The manager signs in with the password the admin chose: first they must pick their own.
    const managerContext = await browser.newContext();
    const managerPage = await managerContext.newPage();
    await managerPage.goto(`${server.baseUrl}/#/manage`);
    await managerPage.fill('input[name="username"]', 'li-manager');
    await managerPage.fill('input[name="password"]', 'li-manager-pass-1');
    await managerPage.click('[data-testid="login-form"] button[type="submit"]');
    await expect.poll(() => managerPage.locator('[data-testid="must-change-password"]').innerText()).toContain('临时密码');
    expect(await managerPage.locator('[data-testid="tab-stations"]').count()).toBe(0);
    await managerPage.screenshot({ path: screenshotPath('admin-manager-first-password'), fullPage: true });
    await managerPage.fill('[data-testid="current-password"]', 'li-manager-pass-1');
    await managerPage.fill('[data-testid="new-password"]', 'plum-blossom-bridge-42');
    await managerPage.fill('[data-testid="repeat-password"]', 'plum-blossom-bridge-42');
    await managerPage.click('[data-testid="change-password"]');
    // Then the console opens, and they see exactly that station, in the console and from the API.
    await managerPage.click('[data-testid="tab-stations"]');
    await managerPage.waitForSelector('[data-testid="station-editor"]');
    await expect.poll(() => managerPage.locator('[data-testid="station-item"]').allInnerTexts()).toEqual([expect.stringContaining(targetName)]);
    expect(await managerPage.locator('[data-testid="tab-users"]').count()).toBe(0);
    expect(await managerPage.locator('[data-testid="tab-new-station"]').count()).toBe(0);
    await managerPage.screenshot({ path: screenshotPath('admin-manager-sees-one'), fullPage: true });
    const manager = await apiLogin('li-manager', 'plum-blossom-bridge-42');
    const mine = await api('/api/me/stations', { session: manager.session! });
    expect(mine.body.stations.map((s: { id: number }) => s.id)).toEqual([target.id]);
    await managerContext.close();

    // Deactivate the manager: their sign-in is refused afterwards.
    await row.locator('[data-testid="user-toggle"]').click();
    await expect.poll(() => row.locator('[data-testid="user-state"]').innerText()).toBe('已停用');
    expect((await apiLogin('li-manager', 'plum-blossom-bridge-42')).status).toBeGreaterThanOrEqual(400);
    // And the admin cannot deactivate or demote themselves from here.
    const self = page.locator('[data-testid="user-row"][data-username="e2e-root"]');
    expect(await self.locator('[data-testid="user-toggle"]').count()).toBe(0);
    expect(await self.locator('[data-testid="user-role"]').isDisabled()).toBe(true);

    // Change a role: the manager becomes a planner.
    await row.locator('[data-testid="user-role"]').selectOption('planner');
    await expect.poll(async () => (await api('/api/users', { session: admin })).body.users.find((u: { username: string }) => u.username === 'li-manager').role).toBe('planner');
    await page.screenshot({ path: screenshotPath('admin-users'), fullPage: true });

    // Export one district's stations, chosen by its name (the code is the picker's business).
    await page.click('[data-testid="tab-bulk"]');
    await page.locator('[data-testid="export-area-input"]').pressSequentially('东城', { delay: 30 });
    await page.locator('[data-testid="export-area-option"]', { hasText: '东城区' }).first().click({ timeout: 15_000 });
    await expect.poll(() => page.locator('[data-testid="export-area-chosen"]').innerText()).toContain('东城区');
    const href = await page.locator('[data-testid="bulk-export-csv"]').getAttribute('href');
    expect(href).toContain('area=110101');
    const csv = await page.evaluate(async (url) => (await fetch(url!, { credentials: 'same-origin' })).text(), href);
    const rows = csv.trim().split('\n').slice(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((line) => line.includes('东城'))).toBe(true);
    await context.close();
  });

  it('creates a station from a typed GCJ-02 position, which workers see ~500 m away in WGS-84, then deletes it with confirmation', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.click('[data-testid="tab-new-station"]');
    await page.waitForSelector('[data-testid="new-station"] [data-testid="map"][data-engine]');

    // A click on the map fills the position in WGS-84.
    await page.locator('[data-testid="position-map"]').click();
    await expect.poll(() => page.locator('[data-testid="new-lng"]').inputValue()).toMatch(/^11[5-8]\.\d{6}$/);
    expect(await page.locator('[data-testid="new-lat"]').inputValue()).toMatch(/^(39|40|41)\.\d{6}$/);
    expect(await page.locator('[data-testid="new-datum"]').inputValue()).toBe('WGS84');

    const name = '测试新驿站 朝阳门';
    await page.fill('[data-testid="new-name"]', name);
    await page.fill('[data-testid="new-name-en"]', 'Test post Chaoyangmen');
    await page.selectOption('[data-testid="new-kind"]', 'rider_home');
    await page.fill('[data-testid="new-address"]', '朝阳门南大街 1 号');
    await page.fill('[data-testid="new-phone"]', '010-6512 3456');
    await page.fill('[data-testid="new-seats"]', '8');
    await page.selectOption('[data-testid="new-amenity-hot_water"]', 'available');
    await page.selectOption('[data-testid="new-amenity-microwave"]', 'out_of_order');
    await page.fill('[data-testid="hours-raw"]', 'Mo-Su 07:00-21:00');
    await expect.poll(() => page.locator('[data-testid="hours-check"]').innerText()).toContain('格式正确');

    // Swapped lng/lat: the server's message comes back as is and nothing is created.
    await page.fill('[data-testid="new-lng"]', '39.925');
    await page.fill('[data-testid="new-lat"]', '116.435');
    await page.click('[data-testid="new-submit"]');
    await expect.poll(() => page.locator('[data-testid="new-error"]').innerText()).toContain('did you swap lng and lat?');

    // The position as Amap (GCJ-02) shows it.
    const typed: [number, number] = [116.435, 39.925];
    await page.fill('[data-testid="new-lng"]', String(typed[0]));
    await page.fill('[data-testid="new-lat"]', String(typed[1]));
    await page.selectOption('[data-testid="new-datum"]', 'GCJ02');
    await page.click('[data-testid="new-submit"]');
    const status = page.locator('[data-testid="new-status"]');
    await expect.poll(() => status.innerText()).toContain(name);
    await page.screenshot({ path: screenshotPath('admin-new-station'), fullPage: true });
    const id = Number(/#(\d+)/.exec(await status.innerText())![1]);

    const feature = (await api(`/api/collections/stations/items/${id}`)).body;
    expect(feature.properties).toMatchObject({ name, name_en: 'Test post Chaoyangmen', kind: 'rider_home', address: '朝阳门南大街 1 号', phone: '010-6512 3456', seats: 8, opening_hours: 'Mo-Su 07:00-21:00' });
    expect(JSON.stringify(feature.properties.amenities)).toContain('hot_water');
    const stored = feature.geometry.coordinates as [number, number];
    const offset = metres(stored, typed);
    // GCJ-02 is shifted by a few hundred metres in Beijing; the stored point is the WGS-84 one.
    expect(offset).toBeGreaterThan(300);
    expect(offset).toBeLessThan(800);
    expect(metres(stored, gcoord.transform(typed, 'GCJ02', 'WGS84'))).toBeLessThan(2);
    const full = (await api(`/api/stations/${id}`)).body.station;
    expect(full.amenities).toEqual({ hot_water: 'available', microwave: 'out_of_order' });

    // Open it in the editor, then delete it: the question names the station; Cancel keeps it.
    await status.locator('button').click();
    await expect.poll(() => page.locator('[data-testid="station-editor"] h2').innerText()).toBe(name);
    await page.click('[data-testid="delete-station"]');
    const confirm = page.locator('[data-testid="delete-confirm"]');
    await expect.poll(() => confirm.innerText()).toContain(`「${name}」`);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('delete-cancel');
    await page.keyboard.press('Enter'); // Enter on the focused Cancel: nothing is deleted
    expect(await confirm.count()).toBe(0);
    expect((await api(`/api/collections/stations/items/${id}`)).status).toBe(200);

    await page.click('[data-testid="delete-station"]');
    await page.screenshot({ path: screenshotPath('admin-delete-confirm'), fullPage: true });
    await page.click('[data-testid="delete-yes"]');
    await expect.poll(() => page.locator('[data-testid="deleted-status"]').innerText()).toContain(name);
    expect(await page.locator('[data-testid="station-editor"]').count()).toBe(0);
    expect((await api(`/api/collections/stations/items/${id}`)).status).toBe(404);
    // History is kept: the create and the delete, with who did it.
    const history = await api(`/api/stations/${id}/history`, { session: admin });
    expect(history.status).toBe(200);
    expect(history.body.changes.map((c: { action: string; username: string }) => `${c.action}:${c.username}`)).toEqual([`delete:${ADMIN.username}`, `create:${ADMIN.username}`]);
    await context.close();
  });

  it('places the position by a click on the Leaflet map too (phones without WebGL), with existing stations drawn', async () => {
    const lite = await launchBrowser({ webgl: false });
    try {
      const page = await lite.newPage();
      await signIn(page, ADMIN.username, ADMIN.password);
      // Stations already in view are fetched for the map (drawn on a canvas, so read the response).
      const existing = page.waitForResponse((r) => r.url().includes('/api/collections/stations/items?limit=500&bbox='));
      await page.click('[data-testid="tab-new-station"]');
      await page.waitForSelector('[data-testid="new-station"] [data-testid="map"][data-engine="leaflet"]');
      const inView = await (await existing).json();
      expect(inView.features.length).toBeGreaterThan(0);
      await page.locator('[data-testid="position-map"]').click({ position: { x: 120, y: 100 } });
      await expect.poll(() => page.locator('[data-testid="new-lng"]').inputValue()).toMatch(/^11[5-8]\.\d{6}$/);
      expect(await page.locator('[data-testid="new-datum"]').inputValue()).toBe('WGS84');
      await page.screenshot({ path: screenshotPath('admin-new-station-lite'), fullPage: true });
    } finally {
      await lite.close();
    }
  });
});
