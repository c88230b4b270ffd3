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
import type { BenchRow } from './lib.js';

const DIST = path.join(REPO_ROOT, 'dist', 'client', 'assets');

const gzipKb = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length / 1024;

function assets(prefix: string, ext: RegExp): string[] {
  return fs
    .readdirSync(DIST)
    .filter((f) => f.startsWith(prefix) && ext.test(f))
    .map((f) => path.join(DIST, f));
}

const sum = (files: string[]) => files.reduce((total, f) => total + gzipKb(f), 0);

export async function run(): Promise<BenchRow[]> {
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  // The shell and the worker view: everything before a map engine is chosen.
  const shell = sum([
    ...assets('index-', /\.(js|css)$/),
    ...assets('http-', /\.js$/),
    ...assets('WorkerView-', /\.(js|css)$/),
    ...assets('MapView-', /\.(js|css)$/),
  ]);
  const maplibre = sum([...assets('maplibre-adapter-', /\.(js|css)$/), ...assets('maplibre-gl-worker-', /\.m?js$/)]);
  const leaflet = sum(assets('leaflet-adapter-', /\.(js|css)$/));
  // maplibre-gl 6 ships as ES modules: the main file, shared code and the worker, plus its CSS.
  const maplibreDist = path.join(REPO_ROOT, 'node_modules', 'maplibre-gl', 'dist');
  const maplibreAlone = sum(
    ['maplibre-gl.mjs', 'maplibre-gl-shared.mjs', 'maplibre-gl-worker.mjs', 'maplibre-gl.css']
      .map((f) => path.join(maplibreDist, f))
      .filter((f) => fs.existsSync(f)),
  );
  const leafletAlone = gzipKb(path.join(REPO_ROOT, 'node_modules', 'leaflet', 'dist', 'leaflet.js'));
  return [
    { name: 'worker page before the map library (gzip)', value: shell, unit: 'KB', goal: '≤ 100 KB' },
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
