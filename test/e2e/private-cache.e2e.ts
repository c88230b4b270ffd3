/**
 * The service worker keeps public answers for a phone that loses its network, and nothing of a
 * session: an admin signs in, opens the private screens, signs out; with the network gone (the
 * server stopped: Playwright's offline switch does not reach a service worker's own fetches),
 * /api/me and /api/users must not come back from any cache, while a public answer still does.
 * With TEST_DATABASE_URL the service runs on a fresh PostgreSQL database.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../../scripts/lib/scratch-database.js';
import { REPO_ROOT } from '../../server/config.js';
import { launchBrowser, startE2eServer, type E2eServer } from './setup.js';

const ADMIN = { username: 'e2e-cache-admin', password: 'e2e-cache-password' };
let server: E2eServer;
let browser: Browser;
let dataDir: string;
let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | null = null;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warm-posts-e2e-cache-'));
  const adminUrl = process.env.TEST_DATABASE_URL;
  scratch = adminUrl ? await createScratchDatabase(adminUrl, 'wp_e2e_cache') : null;
  const env = { SAMPLE_STATION_COUNT: '50' };
  // The first admin by the real CLI, as a deployer creates it (before the server: one process per data dir).
  execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'user-create.ts'), '--username', ADMIN.username, '--role', 'admin'],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, PGLITE_DATA_DIR: dataDir, DATABASE_URL: scratch?.url ?? '', WARM_POSTS_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn' },
      stdio: 'pipe',
    },
  );
  server = await startE2eServer(env, scratch ? { databaseUrl: scratch.url } : { dataDir });
  browser = await launchBrowser({ webgl: false });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await scratch?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('service worker and private data', () => {
  it('after sign-out, offline, no private answer is served from a cache', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/?lite=1#/`);
    // The worker page registers the service worker; wait until it controls this page.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 20_000 }).toBe(true);

    // A public answer, fetched through the service worker, to show what it may keep.
    expect(await page.evaluate(async () => (await fetch('/api/meta')).status)).toBe(200);

    await page.goto(`${server.baseUrl}/?lite=1#/manage`);
    await page.fill('input[name="username"]', ADMIN.username);
    await page.fill('input[name="password"]', ADMIN.password);
    await page.click('[data-testid="login-form"] button[type="submit"]');
    await page.waitForSelector('[data-testid="signed-in"]');
    await page.click('[data-testid="tab-users"]');
    await page.waitForSelector(`[data-testid="user-row"][data-username="${ADMIN.username}"]`);
    // And straight from the page too, as any script of the app could.
    const signedIn = await page.evaluate(async () => {
      const me = await fetch('/api/me');
      const users = await fetch('/api/users');
      return { me: me.status, users: users.status, text: await me.text() };
    });
    expect(signedIn).toMatchObject({ me: 200, users: 200 });
    expect(signedIn.text).toContain('csrfToken');

    await page.getByRole('button', { name: /退出登录|Sign out/ }).click();
    await page.waitForSelector('[data-testid="login-form"]');
    // Signed out, a public answer may be kept again (the cache was emptied at sign-in and sign-out).
    expect(await page.evaluate(async () => (await fetch('/api/meta')).status)).toBe(200);

    await context.setOffline(true);
    await server.stop();
    const offline = await page.evaluate(async () => {
      const out: Record<string, string> = {};
      for (const path of ['/api/me', '/api/users', '/api/me/stations?limit=100', '/api/meta']) {
        try {
          const res = await fetch(path);
          out[path] = `${res.status} ${res.headers.get('x-served-from-cache') ? 'cached' : 'fresh'} ${await res.text()}`;
        } catch (error) {
          out[path] = `network error: ${(error as Error).message}`;
        }
      }
      const kept: string[] = [];
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) kept.push(new URL(request.url).pathname);
      }
      return { out, kept };
    });
    for (const path of ['/api/me', '/api/users', '/api/me/stations?limit=100']) {
      expect(offline.out[path], path).toMatch(/^network error/);
    }
    expect(offline.kept.filter((p) => /^\/api\/(me(\/|$)|users|reports|stations)/.test(p))).toEqual([]);
    expect(JSON.stringify(offline)).not.toContain(ADMIN.username);
    // The public answer is still there offline: the cache works, it just keeps nothing private.
    expect(offline.out['/api/meta']).toMatch(/^200 /);
    await context.close();
  }, 180_000);
});
