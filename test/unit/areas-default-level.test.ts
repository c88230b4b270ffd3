import { describe, expect, it } from 'vitest';
import { chooseDefaultLevel } from '../../server/modules/areas/default-level.js';
import { loadConfig } from '../../server/config.js';

describe('chooseDefaultLevel', () => {
  it("takes Beijing's districts below its single city", () => {
    const beijing = [
      { name: 'city', count: 1 },
      { name: 'district', count: 16 },
      { name: 'subdistrict', count: 343 },
    ];
    expect(chooseDefaultLevel(beijing)).toBe('district');
  });

  it("takes the top level when it already has several areas (Andorra's parishes, a country's provinces)", () => {
    expect(chooseDefaultLevel([{ name: 'parish', count: 6 }])).toBe('parish');
    expect(chooseDefaultLevel([{ name: 'province', count: 31 }, { name: 'city', count: 333 }])).toBe('province');
  });

  it('skips levels without areas, and has none before boundaries are loaded', () => {
    expect(chooseDefaultLevel([{ name: 'city', count: 0 }, { name: 'parish', count: 6 }])).toBe('parish');
    expect(chooseDefaultLevel([{ name: 'city', count: 1 }])).toBe('city');
    expect(chooseDefaultLevel([])).toBeNull();
  });
});

describe('MAP_DEFAULT_CENTER / MAP_DEFAULT_ZOOM', () => {
  it('reads lng,lat and a zoom, and names a bad value', () => {
    const config = loadConfig({ MAP_DEFAULT_CENTER: '116.3975, 39.9087', MAP_DEFAULT_ZOOM: '10' });
    expect(config.MAP_DEFAULT_CENTER).toEqual([116.3975, 39.9087]);
    expect(config.MAP_DEFAULT_ZOOM).toBe(10);
    expect(() => loadConfig({ MAP_DEFAULT_CENTER: '39.9087' })).toThrow('MAP_DEFAULT_CENTER');
    expect(() => loadConfig({ MAP_DEFAULT_CENTER: '200,10' })).toThrow('MAP_DEFAULT_CENTER');
    expect(() => loadConfig({ MAP_DEFAULT_ZOOM: '30' })).toThrow('MAP_DEFAULT_ZOOM');
  });
});
