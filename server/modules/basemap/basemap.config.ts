/**
 * The deployer's basemap, chosen with one setting (BASEMAP) and parsed once at start: which tiles
 * the maps draw under our layers, in which datum, with which attribution, and which outside hosts
 * the page may therefore load from (the CSP names exactly those). Nothing here is fetched.
 *
 *   none      our own layers only (default; works offline)
 *   tianditu  天地图 vector + annotation (vec_w + cva_w), CGCS2000 ≈ WGS-84; BASEMAP_KEY = the `tk`
 *   amap      高德 raster tiles, GCJ-02
 *   osm       OpenStreetMap's raster tiles, WGS-84
 *   xyz       any {z}/{x}/{y} template (BASEMAP_URL) in a declared datum (BASEMAP_DATUM)
 *   style     a full MapLibre style (BASEMAP_URL, or the older BASEMAP_STYLE_URL)
 *   pmtiles   a self-hosted PMTiles archive (BASEMAP_PMTILES) served by this process
 */
import fs from 'node:fs';
import { z } from 'zod';

export const BASEMAP_KINDS = ['none', 'tianditu', 'amap', 'osm', 'xyz', 'style', 'pmtiles'] as const;
export type BasemapKind = (typeof BASEMAP_KINDS)[number];
export const BASEMAP_DATUMS = ['WGS84', 'GCJ02', 'BD09'] as const;
export type BasemapDatum = (typeof BASEMAP_DATUMS)[number];

/** One raster (or vector-as-raster) tile layer: a template with {x} {y} {z} and optional {s}. */
export interface TileLayerSpec {
  url: string;
  /** Values for `{s}` (e.g. 1–4 for Amap's webrd01–04); empty when the template has none. */
  subdomains: string[];
  /** Pixel size of one tile at its zoom (256 for every preset here). */
  tileSize: number;
  maxZoom: number;
}

/** What /api/meta tells the client about the basemap (`basemap`). */
export interface BasemapSpec {
  kind: BasemapKind;
  datum: BasemapDatum;
  /** Raster layers drawn bottom first (tianditu: vector then annotation); empty unless a tile preset. */
  tiles: TileLayerSpec[];
  /** A full MapLibre style (kind `style`). */
  style_url: string | null;
  /** Where this process serves the PMTiles archive (kind `pmtiles`). */
  pmtiles_url: string | null;
  /** Shown in the map's attribution control; HTML-free text. */
  attribution: string | null;
}

export interface BasemapConfig extends BasemapSpec {
  /** Origins (https://host) the page loads tiles/styles from; the CSP allows exactly these. */
  origins: string[];
  /** File of the archive (kind `pmtiles`). */
  pmtiles_path: string | null;
}

/** Where the archive is served (api/basemap.routes.ts). */
export const PMTILES_PATH = '/api/basemap.pmtiles';

const TIANDITU_SUBDOMAINS = ['0', '1', '2', '3', '4', '5', '6', '7'];
const tianditu = (layer: 'vec' | 'cva', key: string): TileLayerSpec => ({
  // Web Mercator ("_w") tiles through the WMTS KVP interface, as Tianditu documents it.
  url:
    `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0` +
    `&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}` +
    `&tk=${encodeURIComponent(key)}`,
  subdomains: TIANDITU_SUBDOMAINS,
  tileSize: 256,
  maxZoom: 18,
});

export const AMAP_TEMPLATE =
  'https://webrd0{1-4}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}';
export const OSM_TEMPLATE = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

const BasemapEnvSchema = z.object({
  BASEMAP: z.enum(BASEMAP_KINDS).optional(),
  BASEMAP_KEY: z.string().min(1).max(200).optional(),
  BASEMAP_URL: z.string().url().max(2000).optional(),
  BASEMAP_STYLE_URL: z.string().url().max(2000).optional(),
  BASEMAP_DATUM: z.enum(BASEMAP_DATUMS).optional(),
  BASEMAP_ATTRIBUTION: z.string().min(1).max(300).optional(),
  BASEMAP_PMTILES: z.string().min(1).optional(),
});
export type BasemapEnv = z.input<typeof BasemapEnvSchema>;

/** A template's `{s}` values from `{a-c}` / `{1-4}` written in it, as Leaflet and OpenLayers allow. */
function expandSubdomains(template: string): { url: string; subdomains: string[] } {
  const range = /\{([a-z0-9])-([a-z0-9])\}/.exec(template);
  if (!range) return { url: template, subdomains: template.includes('{s}') ? ['a', 'b', 'c'] : [] };
  const [from, to] = [range[1]!.charCodeAt(0), range[2]!.charCodeAt(0)];
  const subdomains: string[] = [];
  for (let c = from; c <= to; c++) subdomains.push(String.fromCharCode(c));
  return { url: template.replace(range[0], '{s}'), subdomains };
}

/** `https://webrd0{s}.x.com/…` → every origin it can expand to, for the CSP. */
function originsOf(template: string, subdomains: string[]): string[] {
  const hosts = new Set<string>();
  for (const s of subdomains.length ? subdomains : ['']) {
    const url = new URL(template.replaceAll('{s}', s).replace(/\{[a-z]+\}/gi, '0'));
    hosts.add(url.origin);
  }
  return [...hosts];
}

type Problem = { variable: string; message: string };

/**
 * Turns the BASEMAP_* variables into what the client and the CSP need, or the list of problems
 * (each naming its variable), so start-up can fail saying what to fix.
 */
export function resolveBasemap(env: BasemapEnv): BasemapConfig | Problem[] {
  const parsed = BasemapEnvSchema.safeParse(env);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => ({ variable: String(i.path[0]), message: i.message }));
  }
  const e = parsed.data;
  // Before BASEMAP existed, a style URL alone chose an outside style: keep that meaning.
  const kind: BasemapKind = e.BASEMAP ?? (e.BASEMAP_STYLE_URL ? 'style' : 'none');
  const base: BasemapConfig = {
    kind,
    datum: e.BASEMAP_DATUM ?? 'WGS84',
    tiles: [],
    style_url: null,
    pmtiles_url: null,
    attribution: e.BASEMAP_ATTRIBUTION ?? null,
    origins: [],
    pmtiles_path: null,
  };
  const need = (variable: string, why: string): Problem[] => [{ variable, message: why }];
  switch (kind) {
    case 'none':
      return base;
    case 'tianditu': {
      if (!e.BASEMAP_KEY) return need('BASEMAP_KEY', 'BASEMAP=tianditu needs your 天地图 key (tk)');
      const tiles = [tianditu('vec', e.BASEMAP_KEY), tianditu('cva', e.BASEMAP_KEY)];
      return {
        ...base,
        // CGCS2000 and WGS-84 differ by centimetres: no shift.
        datum: e.BASEMAP_DATUM ?? 'WGS84',
        tiles,
        attribution: base.attribution ?? '© 天地图 Tianditu (国家地理信息公共服务平台)',
        origins: originsOf(tiles[0]!.url, TIANDITU_SUBDOMAINS),
      };
    }
    case 'amap': {
      const { url, subdomains } = expandSubdomains(AMAP_TEMPLATE);
      return {
        ...base,
        datum: e.BASEMAP_DATUM ?? 'GCJ02',
        tiles: [{ url, subdomains, tileSize: 256, maxZoom: 18 }],
        attribution: base.attribution ?? '© 高德地图 AutoNavi',
        origins: originsOf(url, subdomains),
      };
    }
    case 'osm':
      return {
        ...base,
        tiles: [{ url: OSM_TEMPLATE, subdomains: [], tileSize: 256, maxZoom: 19 }],
        attribution: base.attribution ?? '© OpenStreetMap contributors',
        origins: originsOf(OSM_TEMPLATE, []),
      };
    case 'xyz': {
      if (!e.BASEMAP_URL) {
        return need('BASEMAP_URL', 'BASEMAP=xyz needs a tile template such as https://tiles.example.com/{z}/{x}/{y}.png');
      }
      const problems: Problem[] = [];
      const template = decodeURI(e.BASEMAP_URL);
      if (!['{x}', '{y}', '{z}'].every((p) => template.includes(p))) {
        problems.push({ variable: 'BASEMAP_URL', message: 'a tile template must hold {x}, {y} and {z}' });
      }
      if (!e.BASEMAP_DATUM) {
        problems.push({ variable: 'BASEMAP_DATUM', message: 'BASEMAP=xyz needs the tiles\' datum declared: WGS84, GCJ02 or BD09' });
      }
      if (!e.BASEMAP_ATTRIBUTION) {
        problems.push({ variable: 'BASEMAP_ATTRIBUTION', message: 'BASEMAP=xyz needs the attribution its tiles require' });
      }
      if (problems.length) return problems;
      const { url, subdomains } = expandSubdomains(template);
      return { ...base, tiles: [{ url, subdomains, tileSize: 256, maxZoom: 19 }], origins: originsOf(url, subdomains) };
    }
    case 'style': {
      const url = e.BASEMAP_URL ?? e.BASEMAP_STYLE_URL;
      if (!url) return need('BASEMAP_URL', 'BASEMAP=style needs the style\'s URL');
      // A style names its tile, glyph and sprite hosts inside itself: allow any https host.
      return { ...base, style_url: url, origins: ['https:'] };
    }
    case 'pmtiles': {
      const file = e.BASEMAP_PMTILES;
      if (!file) return need('BASEMAP_PMTILES', 'BASEMAP=pmtiles needs the archive\'s path (npm run build:basemap makes one)');
      let stat: fs.Stats;
      try {
        stat = fs.statSync(file);
      } catch (error) {
        return need('BASEMAP_PMTILES', `cannot read ${file}: ${(error as Error).message}`);
      }
      if (!stat.isFile()) return need('BASEMAP_PMTILES', `${file} is not a file`);
      return {
        ...base,
        pmtiles_url: PMTILES_PATH,
        pmtiles_path: file,
        attribution: base.attribution ?? '© OpenStreetMap contributors',
      };
    }
  }
}

/** The part of the config the client gets. */
export function basemapSpec(config: BasemapConfig): BasemapSpec {
  const { kind, datum, tiles, style_url, pmtiles_url, attribution } = config;
  return { kind, datum, tiles, style_url, pmtiles_url, attribution };
}
