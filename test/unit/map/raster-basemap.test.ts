import { describe, expect, it } from 'vitest';
import { expandTemplate, rasterStyle } from '../../../client/src/lib/map/raster-basemap.js';
import {
  basemapSpec,
  resolveBasemap,
  type BasemapConfig,
} from '../../../server/modules/basemap/basemap.config.js';

const spec = (env: Record<string, string>) => basemapSpec(resolveBasemap(env) as BasemapConfig);

describe('rasterStyle (tile presets in MapLibre)', () => {
  it('tianditu: the vector layer under the annotation layer, each over t0–t7 with the key', () => {
    const style = rasterStyle(spec({ BASEMAP: 'tianditu', BASEMAP_KEY: 'k-1' }));
    expect(style.layers.map((l) => l.id)).toEqual(['background', 'basemap-0', 'basemap-1']);
    const vec = style.sources['basemap-0'] as { tiles: string[]; attribution?: string };
    const cva = style.sources['basemap-1'] as { tiles: string[] };
    expect(vec.tiles).toHaveLength(8);
    expect(vec.tiles[3]).toBe(
      'https://t3.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default' +
        '&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=k-1',
    );
    expect(cva.tiles.every((t) => t.includes('/cva_w/wmts?') && t.includes('LAYER=cva') && t.endsWith('&tk=k-1'))).toBe(true);
    expect(vec.attribution).toMatch(/天地图/);
  });

  it('amap: webrd01–04, tiles of 256 px', () => {
    const style = rasterStyle(spec({ BASEMAP: 'amap' }));
    const source = style.sources['basemap-0'] as { tiles: string[]; tileSize: number };
    expect(source.tiles.map((t) => new URL(t.replace(/[{}]/g, '')).hostname)).toEqual([
      'webrd01.is.autonavi.com',
      'webrd02.is.autonavi.com',
      'webrd03.is.autonavi.com',
      'webrd04.is.autonavi.com',
    ]);
    expect(source.tileSize).toBe(256);
  });

  it('a template without {s} stays one URL', () => {
    expect(expandTemplate('https://t.example.com/{z}/{x}/{y}.png', [])).toEqual(['https://t.example.com/{z}/{x}/{y}.png']);
  });
});
