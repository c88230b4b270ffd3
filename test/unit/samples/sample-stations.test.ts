import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { area } from '@turf/area';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import OpeningHours from 'opening_hours';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AMENITY_KEYS,
  AMENITY_STATUSES,
  STATION_KIND_KEYS,
} from '../../../server/modules/stations/amenities.js';
import {
  allocate,
  generateSampleStations,
  mulberry32,
  type DistrictCollection,
  type SampleStation,
  type SubdistrictCollection,
} from '../../../scripts/lib/sample-stations.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SHARED_BEIJING = resolve(
  REPO_ROOT,
  process.env.SHARED_DATA_DIR ?? '../shared/data',
  'beijing',
);
const useShared = existsSync(resolve(SHARED_BEIJING, 'subdistricts.geojson'));
const load = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;

// The shared boundaries when this machine has them, else the committed fallback (no sub-districts).
const districts = load<DistrictCollection>(
  useShared
    ? resolve(SHARED_BEIJING, 'districts.geojson')
    : resolve(REPO_ROOT, 'data/beijing/districts-fallback.geojson'),
);
const subdistricts = useShared
  ? load<SubdistrictCollection>(resolve(SHARED_BEIJING, 'subdistricts.geojson'))
  : null;

/** Holidays (PH) are looked up by country: Beijing. */
const BEIJING_NOMINATIM = {
  lat: 39.9,
  lon: 116.4,
  address: { country_code: 'cn', state: '北京市' },
};
const CORE = ['110101', '110102'];
const INNER = ['110105', '110108', '110106', '110107'];
const SAMPLE_NAME = /（示例）$/;

describe('mulberry32 and allocate', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, mulberry32(8))).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });

  it('splits a total exactly in proportion to weights', () => {
    expect(allocate(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(allocate(7, [0, 2, 5])).toEqual([0, 2, 5]);
    expect(allocate(5, [0, 0])).toEqual([5, 0]);
    expect(allocate(1500, [3.3, 1.1, 7.7, 0.01, 2.2]).reduce((a, b) => a + b)).toBe(1500);
  });
});

describe(`generateSampleStations (${useShared ? 'shared sub-districts' : 'fallback districts only'})`, () => {
  let stations: SampleStation[];
  let samples: SampleStation[];
  beforeAll(() => {
    stations = generateSampleStations({ districts, subdistricts });
    samples = stations.filter((s) => s.is_sample);
  });

  it('makes `count` samples plus the three approximate real stations', () => {
    expect(samples).toHaveLength(1500);
    expect(stations).toHaveLength(1503);
    expect(generateSampleStations({ districts, subdistricts, count: 40 })).toHaveLength(43);
  });

  it('is deterministic for a seed, and a different seed gives different stations', () => {
    expect(generateSampleStations({ districts, subdistricts })).toEqual(stations);
    const other = generateSampleStations({ districts, subdistricts, seed: 43 });
    expect(other.map((s) => [s.lng, s.lat])).not.toEqual(stations.map((s) => [s.lng, s.lat]));
  });

  it('puts every sample inside its district and, when given, its sub-district', () => {
    for (const station of samples) {
      const point = [station.lng, station.lat];
      const district = districts.features.find((d) =>
        station.address.startsWith(d.properties.name),
      );
      expect(district, station.address).toBeDefined();
      expect(booleanPointInPolygon(point, district!), station.name).toBe(true);
      if (subdistricts) {
        const zoneName = station.name.split('·')[0]!;
        const zone = subdistricts.features.find(
          (s) =>
            s.properties.name === zoneName &&
            s.properties.district_code === district!.properties.code,
        );
        expect(zone, station.name).toBeDefined();
        expect(booleanPointInPolygon(point, zone!), station.name).toBe(true);
      }
    }
  });

  it('is densest in 东城/西城, then the inner districts, sparsest outside', () => {
    const perKm2 = (codes: string[]) => {
      const features = districts.features.filter((d) => codes.includes(d.properties.code));
      const km2 = features.reduce((sum, d) => sum + area(d) / 1e6, 0);
      const names = features.map((d) => d.properties.name);
      return samples.filter((s) => names.some((n) => s.address.startsWith(n))).length / km2;
    };
    const outer = districts.features
      .map((d) => d.properties.code)
      .filter((code) => !CORE.includes(code) && !INNER.includes(code));
    expect(perKm2(CORE)).toBeGreaterThan(2 * perKm2(INNER));
    expect(perKm2(INNER)).toBeGreaterThan(5 * perKm2(outer));
    expect(perKm2(outer)).toBeGreaterThan(0);
  });

  it('marks every generated station as a sample in its name and address', () => {
    for (const s of samples) {
      expect(s.name).toMatch(SAMPLE_NAME);
      expect(s.address).toMatch(/（示例地址）$/);
      expect(s.external_id).toMatch(/^sample-\d{4}$/);
      expect(s.location_note).toBeNull();
    }
    expect(new Set(samples.map((s) => s.name)).size).toBe(samples.length);
    expect(new Set(stations.map((s) => s.external_id)).size).toBe(stations.length);
  });

  it('flags the three real stations as approximate, not samples, inside 东城区', () => {
    const real = stations.filter((s) => !s.is_sample);
    expect(real.map((s) => s.name)).toEqual([
      '中轴·成贤暖心驿站',
      '隆福大厦暖心驿站',
      '东四工人文化宫暖心驿站',
    ]);
    const dongcheng = districts.features.find((d) => d.properties.code === '110101')!;
    for (const s of real) {
      expect(s.name).not.toMatch(SAMPLE_NAME);
      expect(s.location_note).toBe(
        '位置为近似（据工会报道）/ approximate location from union reports',
      );
      expect(booleanPointInPolygon([s.lng, s.lat], dongcheng)).toBe(true);
    }
  });

  it('uses only known kinds and amenities, with a realistic mix', () => {
    const share = (test: (s: SampleStation) => boolean) =>
      samples.filter(test).length / samples.length;
    for (const s of stations) {
      expect(STATION_KIND_KEYS).toContain(s.kind);
      for (const [key, status] of Object.entries(s.amenities)) {
        expect(AMENITY_KEYS).toContain(key);
        expect(AMENITY_STATUSES).toContain(status);
      }
    }
    expect(share((s) => s.kind === 'warm_post')).toBeGreaterThan(0.6);
    for (const kind of ['smart_24h', 'rider_home', 'mother_baby'] as const) {
      expect(share((s) => s.kind === kind)).toBeGreaterThan(0.01);
    }
    expect(share((s) => s.amenities.hot_water !== undefined)).toBeGreaterThan(0.9);
    const riderHomes = samples.filter((s) => s.kind === 'rider_home');
    expect(
      riderHomes.filter((s) => s.amenities.ebike_charging).length / riderHomes.length,
    ).toBeGreaterThan(0.7);
    const statuses = samples.flatMap((s) => Object.values(s.amenities));
    expect(statuses).toContain('out_of_order');
    expect(statuses).toContain('out_of_stock');
    expect(statuses.filter((x) => x !== 'available').length / statuses.length).toBeLessThan(0.1);
  });

  it('gives valid opening_hours everywhere, 24/7 for smart stations, ~10% closed on holidays', () => {
    const strings = new Set(
      stations.flatMap((s) => [s.opening_hours, ...s.hours_overrides.map((o) => o.opening_hours)]),
    );
    for (const value of strings)
      expect(() => new OpeningHours(value, BEIJING_NOMINATIM), value).not.toThrow();
    expect(
      samples.filter((s) => s.kind === 'smart_24h').every((s) => s.opening_hours === '24/7'),
    ).toBe(true);
    const phOff =
      samples.filter((s) => s.opening_hours.endsWith('; PH off')).length / samples.length;
    expect(phOff).toBeGreaterThan(0.06);
    expect(phOff).toBeLessThan(0.14);
    const festival = samples.filter((s) =>
      s.hours_overrides.some((o) => o.note === '春节期间24小时开放'),
    );
    expect(festival.length).toBeGreaterThan(10);
    expect(festival[0]!.hours_overrides[0]).toEqual({
      from: '2026-02-15',
      to: '2026-02-23',
      opening_hours: '24/7',
      note: '春节期间24小时开放',
    });
  });

  it('has a handful of temporary closures with ordered ISO dates', () => {
    const closures = samples.flatMap((s) => s.closures);
    expect(closures.length).toBeGreaterThanOrEqual(3);
    expect(closures.length).toBeLessThan(50);
    for (const c of closures) {
      expect(c.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(c.to >= c.from).toBe(true);
      expect(c.reason).toMatch(/（示例）$/);
    }
  });

  it('spreads verified_at over the 120 days before 2026-11-01', () => {
    const times = samples.map((s) => Date.parse(s.verified_at));
    const end = Date.UTC(2026, 10, 1);
    for (const t of times) {
      expect(t).toBeLessThan(end);
      expect(t).toBeGreaterThanOrEqual(end - 120 * 86_400_000);
    }
    const days = times.map((t) => Math.floor((end - t) / (30 * 86_400_000)));
    for (const month of [0, 1, 2, 3])
      expect(days.filter((d) => d === month).length).toBeGreaterThan(200);
  });

  it('keeps phone numbers undiallable and seats plausible', () => {
    for (const s of samples) {
      if (s.phone !== null) expect(s.phone).toMatch(/^010-0\d{7}$/);
      if (s.seats !== null) expect(s.seats >= 1 && s.seats <= 20).toBe(true);
    }
  });
});
