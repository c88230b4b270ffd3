/**
 * The planner page with a population layer (issue 14): the 24-hour chart of people covered with
 * its table, the layer drawn on the map with its legend and citation, numbered suggestions on the
 * map that follow the selected area and select their row (and back), and the printed report.
 * A small synthetic hourly raster over central Beijing is imported with the real CLI first.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../scripts/lib/scratch-database.js';
import { REPO_ROOT } from '../../server/config.js';
import { syntheticWgs84Raster } from '../setup/synthetic-raster.js';
import { ARTIFACTS_DIR, launchBrowser, screenshotPath, startE2eServer, type E2eServer } from './setup.js';

let server: E2eServer;
let browser: Browser;
let scratch: ScratchDatabase | undefined;
let dataDir: string | undefined;
let rasters: string;
const PLANNER = { username: 'e2e-people', password: 'e2e-people-password' };
const LAYER = '合成人口（测试）';

function cli(script: string, args: string[], env: Record<string, string>) {
  execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', script), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, WARM_POSTS_PASSWORD: PLANNER.password, LOG_LEVEL: 'warn' },
    stdio: 'pipe',
  });
}

/** 0.01° cells over central Beijing: people peak at 天安门, more at noon on a workday than at night. */
function writeRasters(dir: string): string[] {
  const hours: Array<[string, number, number]> = [
    ['2026-03-04', 8, 0.8],
    ['2026-03-04', 12, 1],
    ['2026-03-04', 20, 0.6],
    ['2026-03-08', 12, 0.7],
  ];
  return hours.map(([date, hour, scale]) => {
    const values = Array.from({ length: 40 }, (_, r) =>
      Array.from({ length: 50 }, (_, c) => {
        const lng = 116.15 + (c + 0.5) * 0.01;
        const lat = 40.1 - (r + 0.5) * 0.01;
        const d2 = ((lng - 116.3975) / 0.12) ** 2 + ((lat - 39.9087) / 0.1) ** 2;
        return Math.round(scale * 20_000 * Math.exp(-d2));
      }),
    );
    const file = path.join(dir, `${date}_h${String(hour).padStart(2, '0')}.tif`);
    fs.writeFileSync(file, Buffer.from(syntheticWgs84Raster({ west: 116.15, north: 40.1, cellDeg: 0.01, values })));
    return file;
  });
}

beforeAll(async () => {
  rasters = fs.mkdtempSync(path.join(os.tmpdir(), 'warm-posts-e2e-rasters-'));
  const files = writeRasters(rasters);
  const adminUrl = process.env.TEST_DATABASE_URL;
  let env: Record<string, string>;
  if (adminUrl) {
    scratch = await createScratchDatabase(adminUrl, 'wp_e2e');
    env = { DATABASE_URL: scratch.url };
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warm-posts-e2e-people-'));
    env = { PGLITE_DATA_DIR: dataDir, DATABASE_URL: '' };
  }
  cli('user-create.ts', ['--username', PLANNER.username, '--role', 'planner'], env);
  cli('import-population.ts', [...files, '--name', LAYER, '--citation', 'Synthetic test raster (e2e)'], env);
  server = await startE2eServer({}, scratch ? { databaseUrl: scratch.url } : { dataDir });
  browser = await launchBrowser();
}, 360_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await scratch?.drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  if (rasters) fs.rmSync(rasters, { recursive: true, force: true });
});

async function openSignedIn(query = ''): Promise<{ page: Page; errors: string[] }> {
  const res = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(PLANNER),
  });
  const cookie = /wp_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: 'wp_session', value: cookie, url: server.baseUrl }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.baseUrl}/${query}#/plan`);
  await page.fill('[data-testid="date"]', '2026-03-04');
  await page.locator('[data-testid="hour"]').evaluate((el) => {
    (el as HTMLInputElement).value = '12';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  // The population layer is the default demand: people, not km².
  await expect.poll(() => page.locator('[data-testid="people-covered"]').count(), { timeout: 60_000 }).toBe(1);
  return { page, errors };
}

describe('planner page with people', () => {
  it('charts people covered by the hour (table too), draws the layer with its legend, numbers suggestions, prints a report', async () => {
    const { page, errors } = await openSignedIn();
    await expect.poll(() => page.locator('[data-testid="totals"]').innerText(), { timeout: 60_000 }).toContain('2026-03-04 12:00');

    // 1. The 24-hour chart counts people (万), says they are modelled, and has a table alternative.
    const chart = page.locator('[data-testid="hour-chart"]');
    await expect.poll(() => chart.getAttribute('data-unit')).toBe('people');
    await expect.poll(() => chart.locator('svg path').count(), { timeout: 60_000 }).toBe(3);
    expect(await chart.locator('figcaption').innerText()).toContain('24 小时覆盖人数');
    expect(await page.locator('[data-testid="hour-chart-note"]').innerText()).toMatch(/模型估计.*Synthetic test raster/);
    await chart.locator('summary').click();
    const noonRow = chart.locator('[data-testid="hour-chart-table"] tbody tr').nth(12);
    expect(await chart.locator('[data-testid="hour-chart-table"] tbody tr').count()).toBe(24);
    // Noon on the workday: people covered in 万 with the covered share, e.g. "12.3 (4.5%)".
    await expect.poll(() => noonRow.locator('td').first().innerText(), { timeout: 60_000 }).toMatch(/^\d+\.\d \(\d+(\.\d+)?%\)$/);

    // 2. The population layer on the map, for the hour, with legend and citation.
    const squares: Response[] = [];
    page.on('response', (r) => r.url().includes('/squares?') && squares.push(r));
    await page.check('[data-testid="demand-map-toggle"]');
    const legend = page.locator('[data-testid="demand-legend"]');
    await expect.poll(() => legend.innerText(), { timeout: 30_000 }).toMatch(/人口密度.*时段：工作日 12:00/s);
    expect(await legend.innerText()).toContain('模型估计值');
    expect(await page.locator('[data-testid="demand-legend-citation"]').innerText()).toContain('Synthetic test raster');
    expect(squares.at(-1)!.status()).toBe(200);
    const answer = await squares.at(-1)!.json();
    expect(answer.squares.length).toBeGreaterThan(10);
    expect(answer.squares.length).toBeLessThanOrEqual(6000);
    await page.screenshot({ path: screenshotPath('planner-people-map') });

    // 3. Numbered suggestions for the selected area: markers 1..3 on the map match the list.
    await page.locator('[data-testid="coverage-table"] button.link', { hasText: '东城区' }).click();
    await page.fill('[data-testid="suggest-panel"] input[type="number"]', '3');
    await page.click('[data-testid="suggest-run"]');
    const markers = page.locator('.site-marker');
    await expect.poll(() => markers.count(), { timeout: 60_000 }).toBe(3);
    expect(await markers.allInnerTexts()).toEqual(['1', '2', '3']);
    const list = page.locator('[data-testid="suggested-sites"] li');
    expect(await list.first().innerText()).toMatch(/新增覆盖 [\d,]+ 人/);
    const dongcheng = await list.allInnerTexts();
    // A marker click selects its row; a row (by keyboard) selects its marker.
    await page.locator('.site-marker[data-rank="2"]').click();
    await expect.poll(() => page.locator('[data-testid="suggested-sites"] li.chosen').getAttribute('data-rank')).toBe('2');
    await page.locator('[data-testid="suggested-sites"] li[data-rank="3"] button').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.site-marker.chosen').innerText()).toBe('3');
    // Another area: the suggestions follow it (asked again, not the old area's list).
    await page.locator('[data-testid="coverage-table"] button.link', { hasText: '西城区' }).click();
    await expect.poll(async () => (await list.allInnerTexts()).join('|'), { timeout: 60_000 }).not.toBe(dongcheng.join('|'));
    await expect.poll(() => markers.count(), { timeout: 60_000 }).toBe(3);
    // The squares are asked again for the moved view (西城区, 116.37 E 39.91 N, inside it).
    await expect
      .poll(async () => {
        const box = (await squares.at(-1)!.json()).bbox as number[];
        return box[0]! < 116.37 && box[2]! > 116.37 && box[1]! < 39.91 && box[3]! > 39.91;
      }, { timeout: 30_000 })
      .toBe(true);
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshotPath('planner-suggest-numbered') });

    // 4. The printed report: scope, instant, people, table, suggestions with coordinates, sources, version.
    // (The area's three curves are asked again for 西城区 first.)
    await expect.poll(() => chart.locator('svg path').count(), { timeout: 60_000 }).toBe(3);
    await page.emulateMedia({ media: 'print' });
    const report = page.locator('[data-testid="print-report"]');
    expect(await report.isVisible()).toBe(true);
    expect(await page.locator('.plan').isVisible()).toBe(false);
    const text = await report.innerText();
    expect(text).toContain('驿站覆盖分析报告：西城区');
    expect(text).toContain('2026-03-04 12:00');
    expect(text).toMatch(/覆盖人数 [\d.]+ 万 \/ [\d.]+ 万.*未覆盖 [\d.]+ 万人/);
    expect(text).toContain('人口时段\n工作日 12:00');
    // The selected area's own figures, not the city's (西城区 holds fewer people than the city).
    const cityTotal = Number(/\/ ([\d.]+) 万/.exec(await page.locator('[data-testid="people-covered"]').innerText())![1]);
    const areaTotal = Number(/覆盖人数 [\d.]+ 万 \/ ([\d.]+) 万/.exec(text)![1]);
    expect(areaTotal).toBeGreaterThan(0);
    expect(areaTotal).toBeLessThan(cityTotal / 2);
    expect(text).toContain('24 小时覆盖人数');
    const firstSite = (await page.locator('[data-testid="print-suggestions"] tbody tr').first().innerText()).split('\t');
    expect(Number(firstSite[1])).toBeGreaterThan(116.2);
    expect(Number(firstSite[2])).toBeGreaterThan(39.8);
    expect(text).toContain('Synthetic test raster (e2e)');
    expect(text).toContain('模型估计值');
    expect(text).toMatch(/生成时间 .*数据版本 stations \d+/);
    await page.screenshot({ path: screenshotPath('planner-report'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    fs.writeFileSync(path.join(ARTIFACTS_DIR, 'planner-report.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Leaflet fallback: the demand squares are painted and the numbered markers are there', async () => {
    const { page, errors } = await openSignedIn('?lite=1');
    await page.check('[data-testid="demand-map-toggle"]');
    await expect.poll(() => page.locator('[data-testid="demand-legend"]').innerText(), { timeout: 30_000 }).toContain('人口密度');
    // Orange squares on the canvas (the choropleth steps back to a faint tint).
    const orange = async () =>
      page.locator('.leaflet-overlay-pane canvas').first().evaluate((canvas) => {
        const c = canvas as HTMLCanvasElement;
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i]! > 200 && data[i + 1]! > 80 && data[i + 1]! < 190 && data[i + 2]! < 120) n++;
        return n / (c.width * c.height);
      });
    await expect.poll(orange, { timeout: 30_000 }).toBeGreaterThan(0.02);
    await page.fill('[data-testid="suggest-panel"] input[type="number"]', '2');
    await page.click('[data-testid="suggest-run"]');
    await expect.poll(() => page.locator('.leaflet-marker-pane .site-marker').count(), { timeout: 60_000 }).toBe(2);
    await page.screenshot({ path: screenshotPath('planner-people-lite') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
