import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { resolveBasemap, type BasemapConfig } from '../../../server/modules/basemap/basemap.config.js';

const ok = (env: Record<string, string>): BasemapConfig => {
  const resolved = resolveBasemap(env);
  if (Array.isArray(resolved)) throw new Error(JSON.stringify(resolved));
  return resolved;
};

describe('BASEMAP presets', () => {
  it('defaults to none: our own layers, no outside host allowed', () => {
    expect(ok({})).toMatchObject({ kind: 'none', datum: 'WGS84', tiles: [], origins: [] });
  });

  it('keeps BASEMAP_STYLE_URL alone meaning an outside style (as before BASEMAP)', () => {
    const b = ok({ BASEMAP_STYLE_URL: 'https://tiles.example.com/style.json', BASEMAP_DATUM: 'GCJ02' });
    expect(b).toMatchObject({ kind: 'style', style_url: 'https://tiles.example.com/style.json', datum: 'GCJ02' });
    expect(b.origins).toEqual(['https:']);
  });

  it('tianditu: vec_w under cva_w, the key in both, eight hosts, WGS-84', () => {
    const b = ok({ BASEMAP: 'tianditu', BASEMAP_KEY: 'abc123' });
    expect(b.datum).toBe('WGS84');
    expect(b.tiles.map((t) => /\/(\w+)_w\/wmts/.exec(t.url)?.[1])).toEqual(['vec', 'cva']);
    for (const t of b.tiles) {
      expect(t.url).toContain('tk=abc123');
      expect(t.url).toContain('TILEMATRIX={z}&TILEROW={y}&TILECOL={x}');
    }
    expect(b.origins).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => `https://t${i}.tianditu.gov.cn`));
    expect(b.attribution).toMatch(/天地图/);
  });

  it('tianditu without a key fails naming BASEMAP_KEY', () => {
    expect(resolveBasemap({ BASEMAP: 'tianditu' })).toEqual([
      { variable: 'BASEMAP_KEY', message: expect.stringMatching(/tk/) },
    ]);
  });

  it('amap: GCJ-02, webrd01–04, the template as Amap serves it', () => {
    const b = ok({ BASEMAP: 'amap' });
    expect(b.datum).toBe('GCJ02');
    expect(b.tiles[0]!.subdomains).toEqual(['1', '2', '3', '4']);
    expect(b.tiles[0]!.url).toBe(
      'https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}',
    );
    expect(b.origins).toEqual([1, 2, 3, 4].map((i) => `https://webrd0${i}.is.autonavi.com`));
  });

  it('osm: one host, WGS-84, attribution to the contributors', () => {
    const b = ok({ BASEMAP: 'osm' });
    expect(b).toMatchObject({ datum: 'WGS84', origins: ['https://tile.openstreetmap.org'] });
    expect(b.attribution).toMatch(/OpenStreetMap contributors/);
  });

  it('xyz: needs a template with x/y/z, a declared datum and an attribution', () => {
    expect(resolveBasemap({ BASEMAP: 'xyz' })).toEqual([
      { variable: 'BASEMAP_URL', message: expect.any(String) },
    ]);
    const missing = resolveBasemap({ BASEMAP: 'xyz', BASEMAP_URL: 'https://t.example.com/{z}/{x}.png' });
    expect((missing as { variable: string }[]).map((p) => p.variable)).toEqual([
      'BASEMAP_URL',
      'BASEMAP_DATUM',
      'BASEMAP_ATTRIBUTION',
    ]);
    const b = ok({
      BASEMAP: 'xyz',
      BASEMAP_URL: 'https://{a-c}.tiles.example.com/{z}/{x}/{y}.png',
      BASEMAP_DATUM: 'GCJ02',
      BASEMAP_ATTRIBUTION: '© Example',
    });
    expect(b.tiles[0]).toMatchObject({ url: 'https://{s}.tiles.example.com/{z}/{x}/{y}.png', subdomains: ['a', 'b', 'c'] });
    expect(b.origins).toHaveLength(3);
  });

  it('pmtiles: needs a readable file; served here, so no outside host', () => {
    expect(resolveBasemap({ BASEMAP: 'pmtiles' })).toEqual([
      { variable: 'BASEMAP_PMTILES', message: expect.any(String) },
    ]);
    expect(resolveBasemap({ BASEMAP: 'pmtiles', BASEMAP_PMTILES: '/nonexistent/x.pmtiles' })).toEqual([
      { variable: 'BASEMAP_PMTILES', message: expect.stringMatching(/cannot read/) },
    ]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bm-')), 'a.pmtiles');
    fs.writeFileSync(file, 'x');
    expect(ok({ BASEMAP: 'pmtiles', BASEMAP_PMTILES: file })).toMatchObject({
      pmtiles_url: '/api/basemap.pmtiles',
      pmtiles_path: file,
      origins: [],
    });
  });

  it('an unknown preset stops start-up naming BASEMAP', () => {
    expect(() => loadConfig({ BASEMAP: 'google' })).toThrow(/BASEMAP: /);
    expect(() => loadConfig({ BASEMAP: 'amap', BASEMAP_DATUM: 'ITRF' })).toThrow(/BASEMAP_DATUM/);
    expect(loadConfig({ BASEMAP: 'amap' }).basemap.kind).toBe('amap');
  });
});
