/** GeoJSON in and out: a FeatureCollection of Points whose properties are the columns. */
import { badRequest } from '../../http/errors.js';
import { assertJsonDepth } from '../../http/validate.js';
import { decodeText } from './csv-format.js';
import {
  MAX_IMPORT_ROWS,
  type CellProblem,
  type SourceRow,
  type SourceTable,
} from './source-table.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a FeatureCollection (or a bare array of Features); throws a 400 on anything else. */
export function readGeoJson(bytes: Buffer): SourceTable {
  let document: unknown;
  const text = decodeText(bytes).text;
  // Before parsing: a property nested 20k deep would overflow every walk after JSON.parse.
  assertJsonDepth(text, 'The GeoJSON file');
  try {
    document = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw badRequest(`The GeoJSON file is not valid JSON: ${reason.slice(0, 200)}`);
  }
  const features = Array.isArray(document)
    ? document
    : isObject(document) &&
        document.type === 'FeatureCollection' &&
        Array.isArray(document.features)
      ? document.features
      : null;
  if (!features) {
    throw badRequest(
      'The GeoJSON file must be a FeatureCollection: { "type": "FeatureCollection", "features": [...] }',
    );
  }
  if (features.length > MAX_IMPORT_ROWS) {
    throw badRequest(
      `The file has more than ${MAX_IMPORT_ROWS} features; split it into smaller files`,
    );
  }
  const columns: string[] = [];
  const seen = new Set<string>();
  const rows = features.map((feature: unknown, index): SourceRow => {
    const row = index + 1;
    if (!isObject(feature) || feature.type !== 'Feature') {
      return {
        row,
        cells: {},
        problems: [{ field: '(feature)', problem: 'not a GeoJSON Feature' }],
      };
    }
    const cells = isObject(feature.properties) ? { ...feature.properties } : {};
    // A feature id is the natural external id when the properties do not carry one.
    if (feature.id !== undefined && feature.id !== null && cells.external_id === undefined) {
      cells.external_id = feature.id;
    }
    for (const key of Object.keys(cells)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
    const problems: CellProblem[] = [];
    const position = pointOf(feature.geometry, problems);
    return { row, cells, problems, ...(position ? { position } : {}) };
  });
  return { columns, rows, notes: [] };
}

function pointOf(geometry: unknown, problems: CellProblem[]): [number, number] | undefined {
  if (geometry === null || geometry === undefined) return undefined; // may come from lng/lat properties
  if (!isObject(geometry) || geometry.type !== 'Point') {
    const type = isObject(geometry) ? String(geometry.type) : typeof geometry;
    problems.push({
      field: 'geometry',
      problem: `expected a Point, got ${type.slice(0, 30)}`,
    });
    return undefined;
  }
  const c = geometry.coordinates;
  if (!Array.isArray(c) || c.length < 2 || typeof c[0] !== 'number' || typeof c[1] !== 'number') {
    problems.push({
      field: 'geometry',
      problem: 'Point coordinates must be [lng, lat] numbers',
    });
    return undefined;
  }
  return [c[0], c[1]];
}

export interface ExportFeature {
  id: string | number;
  position: [number, number];
  properties: Record<string, unknown>;
}

export function writeGeoJson(features: ExportFeature[], crsName: string): Buffer {
  const collection = {
    type: 'FeatureCollection',
    // RFC 7946 has no crs member; we still say which datum the coordinates are in when not WGS-84.
    ...(crsName === 'WGS84' ? {} : { warm_posts_datum: crsName }),
    features: features.map((f) => ({
      type: 'Feature',
      id: f.id,
      geometry: { type: 'Point', coordinates: f.position },
      properties: f.properties,
    })),
  };
  return Buffer.from(JSON.stringify(collection), 'utf8');
}
