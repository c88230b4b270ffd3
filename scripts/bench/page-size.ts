/**
 * What a worker's phone downloads (gzip), from the production build: the page before any map
 * library, then with MapLibre (WebGL) or with the Leaflet fallback. The baseline is the map library
 * alone, so the ratio says how much our own page adds on top of the map it cannot do without.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { REPO_ROOT } from '../../server/config.js';
import { chromium } from 'playwright-core';
import { openBenchDatabase, startBenchServer, type BenchRow } from './lib.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Everything a phone downloads (as sent: gzip where accepted) from opening the worker page until
 * its first map is drawn with stations — scripts, styles, boundaries, the stations of the view —
 * in Debian's Chromium at 390×844, on the sample data. Null without Chromium.
 */
async function firstMapBytes(): Promise<{ total: number; data: number } | null> {
  if (!fs.existsSync(CHROMIUM)) return null;
  const db = await openBenchDatabase('pglite');
  const server = await startBenchServer(db, { clientDistDir: CLIENT });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--enable-unsafe-swiftshader',
      '--use-angle=swiftshader',
    ],
  });
  try {
    const page = await (
      await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: 'block' })
    ).newPage();
    const responses: Array<Promise<{ url: string; bytes: number }>> = [];
    page.on('requestfinished', (request) =>
      responses.push(
        request
          .sizes()
          .then((s) => ({ url: request.url(), bytes: s.responseBodySize + s.responseHeadersSize })),
      ),
    );
    await page.goto(`${server.baseUrl}/#/`);
    await page.waitForFunction(
      () =>
        Number(
          document.querySelector('[data-testid="worker-map"]')?.getAttribute('data-stations'),
        ) > 0,
      null,
      { timeout: 60_000 },
    );
    await page.waitForTimeout(1_000);
    const all = await Promise.all(responses);
    const data = all.filter((r) => new URL(r.url).pathname.startsWith('/api/'));
    return {
      total: all.reduce((n, r) => n + r.bytes, 0) / 1024,
      data: data.reduce((n, r) => n + r.bytes, 0) / 1024,
    };
  } finally {
    await browser.close();
    await server.close();
    await db.close();
  }
}

const CLIENT = path.join(REPO_ROOT, 'dist', 'client');

const gzipKb = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length / 1024;
const sum = (files: Iterable<string>) => [...files].reduce((total, f) => total + gzipKb(f), 0);

interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
}

/**
 * Every file a chunk brings with it: its own, its CSS, and everything it imports statically,
 * recursively (Vite's manifest), so no shared chunk — gcoord, coords, … — is left out.
 */
function closure(manifest: Record<string, ManifestChunk>, keys: string[]): Set<string> {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`not in the build manifest: ${key}`);
    files.add(path.join(CLIENT, chunk.file));
    for (const css of chunk.css ?? []) files.add(path.join(CLIENT, css));
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return files;
}

export async function run(): Promise<BenchRow[]> {
  execFileSync(
    process.execPath,
    [
      path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--manifest',
      '--logLevel',
      'error',
    ],
    { cwd: REPO_ROOT, stdio: 'inherit' },
  );
  const manifest = JSON.parse(
    fs.readFileSync(path.join(CLIENT, '.vite', 'manifest.json'), 'utf8'),
  ) as Record<string, ManifestChunk>;
  // The worker route: the entry, then the worker view (loaded at once for '/'), with all they import.
  const shellFiles = closure(manifest, ['index.html', 'src/views/worker/WorkerView.svelte']);
  const shell = sum(shellFiles);
  const without = (files: Set<string>) => [...files].filter((f) => !shellFiles.has(f));
  const workerScript = Object.values(manifest).find((c) => /maplibre-gl-worker/.test(c.file));
  const maplibre = sum([
    ...without(closure(manifest, ['src/lib/map/maplibre-adapter.ts'])),
    ...(workerScript ? [path.join(CLIENT, workerScript.file)] : []),
  ]);
  const leaflet = sum(without(closure(manifest, ['src/lib/map/leaflet-adapter.ts'])));
  // maplibre-gl 6 ships as ES modules: the main file, shared code and the worker, plus its CSS.
  const maplibreDist = path.join(REPO_ROOT, 'node_modules', 'maplibre-gl', 'dist');
  const maplibreAlone = sum(
    ['maplibre-gl.mjs', 'maplibre-gl-shared.mjs', 'maplibre-gl-worker.mjs', 'maplibre-gl.css']
      .map((f) => path.join(maplibreDist, f))
      .filter((f) => fs.existsSync(f)),
  );
  const leafletAlone = gzipKb(
    path.join(REPO_ROOT, 'node_modules', 'leaflet', 'dist', 'leaflet.js'),
  );
  const firstMap = await firstMapBytes();
  return [
    {
      name: 'worker page before the map library (gzip, every chunk it imports)',
      value: shell,
      unit: 'KB',
      goal: '≤ 100 KB',
    },
    ...(firstMap
      ? [
          {
            name: 'worker page first full map in Chromium: API data (boundaries + stations of the view; map library excluded)',
            value: firstMap.data,
            unit: 'KB',
            goal: '≤ 300 KB (at any station count: bench station-map gives the view at 200k)',
          },
          {
            name: '· everything downloaded, MapLibre included, as sent',
            value: firstMap.total,
            unit: 'KB',
          },
        ]
      : []),
    {
      name: 'worker page with MapLibre vs MapLibre alone (gzip)',
      value: shell + maplibre,
      unit: 'KB',
      baseline: maplibreAlone,
      ratio: (shell + maplibre) / maplibreAlone,
    },
    {
      name: 'worker page with Leaflet fallback vs Leaflet alone (gzip)',
      value: shell + leaflet,
      unit: 'KB',
      baseline: leafletAlone,
      ratio: (shell + leaflet) / leafletAlone,
    },
  ];
}
