/**
 * The raster icons browsers and phones ask for, drawn from client/public/icon.svg by Debian's
 * Chromium (playwright-core, a dev dependency): PNG 192 and 512, a maskable 512 (the mark inside
 * the 80 % safe zone on the brand colour), apple-touch-icon 180 and favicon.ico (one 32-px PNG in
 * an ICO container). Run after changing icon.svg: `npx tsx scripts/make-icons.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '../server/config.js';

const PUBLIC = path.join(REPO_ROOT, 'client', 'public');
const svg = fs.readFileSync(path.join(PUBLIC, 'icon.svg'), 'utf8');
const BRAND = '#b4232c';

/** An ICO file holding one PNG image (allowed since Windows Vista; every current browser reads it). */
function icoOf(png: Buffer, size: number): Buffer {
  const header = Buffer.alloc(22);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(size, 6);
  header.writeUInt8(size, 7);
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14);
  header.writeUInt32LE(22, 18); // image offset
  return Buffer.concat([header, png]);
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
const page = await browser.newPage();
async function render(size: number, padding = 0, background = 'transparent'): Promise<Buffer> {
  await page.setViewportSize({ width: size, height: size });
  const inner = size - 2 * padding;
  await page.setContent(
    `<html><body style="margin:0;background:${background}"><div style="padding:${padding}px">` +
      svg.replace('<svg ', `<svg width="${inner}" height="${inner}" style="display:block" `) +
      '</div></body></html>',
  );
  return page.screenshot({ omitBackground: background === 'transparent', type: 'png' });
}

const outputs: Array<[string, Buffer]> = [
  ['icon-192.png', await render(192)],
  ['icon-512.png', await render(512)],
  ['icon-maskable-512.png', await render(512, 51, BRAND)],
  ['apple-touch-icon.png', await render(180, 0, BRAND)],
  ['favicon.ico', icoOf(await render(32), 32)],
];
await browser.close();
for (const [name, bytes] of outputs) {
  fs.writeFileSync(path.join(PUBLIC, name), bytes);
  console.log(`${name}: ${bytes.length} bytes`);
}
