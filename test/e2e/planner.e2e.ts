import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../scripts/lib/scratch-database.js';
import { REPO_ROOT } from '../../server/config.js';
import sharp from 'sharp';
import { syntheticWgs84Raster } from '../setup/synthetic-raster.js';
import { ARTIFACTS_DIR, launchBrowser, screenshotPath, startE2eServer, type E2eServer } from './setup.js';

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

/**
 * With people (issue 14), after the tests above (which run without any layer): a planner uploads
 * a population GeoTIFF through the page (the raster job API, polled until loaded); then the
 * 24-hour chart counts people with its table, the layer is drawn on the map with its legend and
 * citation, suggestions are numbered on the map, follow the selected area and select their row
 * (and back), and the printed report carries the figures.
 */
describe('planner page with people', () => {
  /** 0.01° cells over central Beijing, people peaking at 天安门 (a workday at noon). */
  function noonRaster(): Buffer {
    const values = Array.from({ length: 40 }, (_, r) =>
      Array.from({ length: 50 }, (_, c) => {
        const lng = 116.15 + (c + 0.5) * 0.01;
        const lat = 40.1 - (r + 0.5) * 0.01;
        const d2 = ((lng - 116.3975) / 0.12) ** 2 + ((lat - 39.9087) / 0.1) ** 2;
        return Math.round(20_000 * Math.exp(-d2));
      }),
    );
    return Buffer.from(syntheticWgs84Raster({ west: 116.15, north: 40.1, cellDeg: 0.01, values }));
  }

  it('uploads a population raster; charts people by the hour (table too), draws the layer, numbers suggestions, prints a report', async () => {
    const { page, errors } = await openPlanner('', { signedIn: true });
    await page.click('.upload summary');
    await page.setInputFiles('.upload input[type="file"]', { name: 'people-noon.tif', mimeType: 'image/tiff', buffer: noonRaster() });
    await page.fill('[data-testid="upload-name"]', '合成人口（测试）');
    await page.selectOption('[data-testid="upload-day-type"]', 'workday');
    await page.selectOption('[data-testid="upload-hour"]', '12');
    await page.fill('[data-testid="upload-citation"]', 'Synthetic test raster (e2e)');
    await page.click('.upload button[type="submit"]');
    await expect
      .poll(() => page.locator('.upload [role="status"]').innerText(), { timeout: 60_000 })
      .toMatch(/已载入人口栅格“合成人口（测试）”：\d+ 个格网/);
    // The new layer is chosen: people, not km².
    await expect.poll(() => page.locator('[data-testid="people-covered"]').count(), { timeout: 60_000 }).toBe(1);

    // 1. The 24-hour chart counts people (万), says they are modelled, and has a table alternative.
    const chart = page.locator('[data-testid="hour-chart"]');
    await expect.poll(() => chart.getAttribute('data-unit')).toBe('people');
    await expect.poll(() => chart.locator('svg path').count(), { timeout: 60_000 }).toBe(3);
    expect(await chart.locator('figcaption').innerText()).toContain('24 小时覆盖人数');
    expect(await page.locator('[data-testid="hour-chart-note"]').innerText()).toMatch(/模型估计.*Synthetic test raster \(e2e\)/);
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
    // The layer's one slot is this instant's (workday 12:00): no stand-in said.
    expect(await legend.innerText()).not.toContain('最近时段');
    expect(await page.locator('[data-testid="demand-legend-citation"]').innerText()).toContain('Synthetic test raster (e2e)');
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
    // The what-if adds them: people newly covered, by area, as many as the gains add up to.
    const gains = (await list.allInnerTexts()).map((text) => Number(/新增覆盖 ([\d,]+) 人/.exec(text)![1]!.replace(/,/g, '')));
    // 西城区's covered km² in the table, to see the what-if reach the page's own figures.
    const xichengCoveredKm2 = async () =>
      Number(await page.locator('[data-testid="coverage-table"] tr[data-code="110102"] td').nth(2).innerText());
    const coveredBefore = await xichengCoveredKm2();
    await page.click('[data-testid="suggest-panel"] button:has-text("假设新增这些站点")');
    const whatIf = page.locator('[data-testid="what-if-delta"]');
    await expect.poll(() => whatIf.count(), { timeout: 60_000 }).toBe(1);
    const added = Number(/覆盖人数 \+([\d,]+) 人/.exec(await whatIf.innerText())![1]!.replace(/,/g, ''));
    const sum = gains.reduce((a, b) => a + b, 0);
    expect(Math.abs(added - sum)).toBeLessThanOrEqual(Math.max(3, sum * 0.01));
    expect(await whatIf.innerText()).toContain('西城区：+');
    // The table and the map follow, under a banner that says they show sites not built; then back.
    await expect.poll(() => page.locator('[data-testid="what-if-banner"]').innerText()).toContain('新增 3 处建议站点');
    await expect.poll(xichengCoveredKm2, { timeout: 60_000 }).toBeGreaterThan(coveredBefore);
    // The 24-hour curves are asked again with the sites (open all day), and say so.
    await expect.poll(() => page.locator('[data-testid="hour-chart"]').innerText(), { timeout: 60_000 }).toContain('新增 3 处（按全天开放计）');
    await page.screenshot({ path: screenshotPath('planner-what-if-redrawn') });
    await page.click('[data-testid="what-if-clear"]');
    await expect.poll(xichengCoveredKm2, { timeout: 60_000 }).toBe(coveredBefore);
    expect(await page.locator('[data-testid="what-if-banner"]').count()).toBe(0);
    // Closing a station (ticked in the area's list, as a keyboard user would): one fewer counts.
    const xichengStations = () => page.locator('[data-testid="coverage-table"] tr[data-code="110102"] td').nth(4).innerText();
    const [openBefore, total] = (await xichengStations()).split(' / ').map(Number);
    await page.locator('[data-testid="close-stations"] summary').click();
    await page.locator('[data-testid="close-stations"] input[type="checkbox"]').first().check();
    await expect.poll(() => page.locator('[data-testid="what-if-banner"]').innerText()).toContain('关闭 1 个驿站');
    await expect.poll(xichengStations, { timeout: 60_000 }).toBe(`${openBefore! - 1} / ${total}`);
    await page.click('[data-testid="what-if-clear"]');
    await expect.poll(xichengStations, { timeout: 60_000 }).toBe(`${openBefore} / ${total}`);
    expect(await page.locator('[data-testid="close-stations"] input:checked').count()).toBe(0);

    // 4. The printed report: scope, instant, people, table, suggestions with coordinates, sources, version.
    // (The area's three curves are asked again for 西城区 first.)
    await expect.poll(() => chart.locator('svg path').count(), { timeout: 60_000 }).toBe(3);
    // "地图 PNG": the map alone as drawn, a real PNG the size of the map's canvas, not blank.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="map-png"]')]);
    expect(download.suggestedFilename()).toMatch(/^coverage-西城区-2026-03-04-12-00\.png$/);
    const png = fs.readFileSync((await download.path())!);
    const pngMeta = await sharp(png).metadata();
    const canvasSize = await page.evaluate(() => {
      const canvas = document.querySelector('.maplibregl-canvas') as HTMLCanvasElement;
      return [canvas.width, canvas.height];
    });
    expect([pngMeta.format, pngMeta.width, pngMeta.height]).toEqual(['png', ...canvasSize]);
    const { channels } = await sharp(png).stats();
    expect(channels[0]!.stdev).toBeGreaterThan(5); // colours, outlines and sites, not one flat fill
    fs.copyFileSync((await download.path())!, path.join(ARTIFACTS_DIR, 'planner-map.png'));
    // "打印报告" puts that picture in the report (the browser's print dialog is stubbed here).
    await page.evaluate(() => {
      window.print = () => {};
    });
    await page.click('[data-testid="print"]');
    await expect
      .poll(() => page.locator('[data-testid="print-map"] img').evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBe(canvasSize[0]);
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
    const { page, errors } = await openPlanner('?lite=1', { signedIn: true });
    await expect.poll(() => page.locator('[data-testid="people-covered"]').count(), { timeout: 60_000 }).toBe(1);
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
