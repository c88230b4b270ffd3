import { it } from 'vitest';
import { launchBrowser, screenshotPath, startE2eServer } from './setup.js';
it('debug', async () => {
  const server = await startE2eServer();
  const browser = await launchBrowser();
  const page = await browser.newPage();
  page.on('console', (m) => console.log('console', m.type(), m.text()));
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  page.on('requestfinished', async (r) => console.log('req', r.url().slice(0, 150), (await r.response())?.status()));
  await page.goto(`${server.baseUrl}/#/plan`);
  await new Promise((r) => setTimeout(r, 8000));
  console.log((await page.content()).slice(0, 1500));
  await page.screenshot({ path: screenshotPath('p7-debug') });
  await browser.close();
  await server.stop();
}, 120_000);
