/**
 * Turns an uploaded CSV or GeoJSON into demand points, or explains exactly which row is wrong:
 * a planner fixing a spreadsheet needs the line number, not "invalid input".
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { badRequest } from '../../http/errors.js';
import { toWgs84, type Datum } from '../../geo/coords.js';
import type { NewDemandPoint } from './demand.repository.js';
import { MAX_DEMAND_POINTS } from './demand.schemas.js';

function checkPoint(lng: number, lat: number, weight: number, where: string) {
  if (!Number.isFinite(lng) || lng < -180 || lng > 180)
    throw badRequest(`${where}: lng must be a number -180..180`);
  if (!Number.isFinite(lat) || lat < -90 || lat > 90)
    throw badRequest(`${where}: lat must be a number -90..90`);
  if (!Number.isFinite(weight) || weight < 0 || weight > 1e9) {
    throw badRequest(`${where}: weight must be a number 0..1e9`);
  }
}

/** csv-parse's refusals (an unclosed quote…) as a 400 naming the line. */
function readCsv(text: string): Array<{ record: string[]; info: { lines: number } }> {
  try {
    // RFC 4180 with the usual spreadsheet leniencies: BOM, ragged rows, quoted commas and newlines.
    return parseCsv(text, {
      bom: true,
      info: true,
      trim: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>; // info: true's shape
  } catch (error) {
    const e = error as { lines?: number; message?: string };
    throw badRequest(`CSV line ${e.lines ?? '?'}: ${e.message ?? 'not readable as CSV'}`);
  }
}

export function parseDemandCsv(text: string): Array<NewDemandPoint> {
  const [first, ...rows] = readCsv(text);
  const header = (first?.record ?? []).map((h) => h.toLowerCase());
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  const lngAt = col(['lng', 'lon', 'longitude', 'x']);
  const latAt = col(['lat', 'latitude', 'y']);
  const weightAt = col(['weight', 'w', 'count']);
  const nameAt = col(['name']);
  if (lngAt < 0 || latAt < 0) {
    throw badRequest('CSV line 1 must be a header naming the columns lng,lat[,weight][,name]');
  }
  return rows.map(({ record: fields, info }) => {
    const where = `CSV line ${info.lines}`;
    const lng = Number(fields[lngAt]);
    const lat = Number(fields[latAt]);
    const weightText = weightAt >= 0 ? fields[weightAt] : '';
    const weight = weightText ? Number(weightText) : 1;
    if (!fields[lngAt] || !fields[latAt]) throw badRequest(`${where}: lng and lat are required`);
    checkPoint(lng, lat, weight, where);
    return { lng, lat, weight, name: nameAt >= 0 ? fields[nameAt]?.slice(0, 200) || null : null };
  });
}

export function parseDemandGeoJson(value: unknown): Array<NewDemandPoint> {
  const fc = value as { type?: unknown; features?: unknown };
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw badRequest('geojson must be a FeatureCollection');
  }
  return fc.features.map((feature, i) => {
    const f = feature as {
      geometry?: { type?: unknown; coordinates?: unknown };
      properties?: Record<string, unknown> | null;
    };
    const where = `feature ${i}`;
    if (f?.geometry?.type !== 'Point' || !Array.isArray(f.geometry.coordinates)) {
      throw badRequest(`${where}: geometry must be a Point`);
    }
    const [lng, lat] = f.geometry.coordinates as number[];
    const rawWeight = f.properties?.weight;
    const weight = rawWeight === undefined || rawWeight === null ? 1 : Number(rawWeight);
    checkPoint(Number(lng), Number(lat), weight, where);
    const name = f.properties?.name;
    return {
      lng: Number(lng),
      lat: Number(lat),
      weight,
      name: typeof name === 'string' ? name.slice(0, 200) : null,
    };
  });
}

/** Parses, checks size, and converts every point to WGS-84. */
export function parseDemandUpload(input: {
  csv?: string;
  geojson?: unknown;
  crs: Datum;
}): NewDemandPoint[] {
  const points =
    input.csv !== undefined ? parseDemandCsv(input.csv) : parseDemandGeoJson(input.geojson);
  if (points.length === 0) throw badRequest('the upload holds no points');
  if (points.length > MAX_DEMAND_POINTS) {
    throw badRequest(
      `a layer may hold at most ${MAX_DEMAND_POINTS} points; this one has ${points.length}`,
    );
  }
  if (input.crs === 'WGS84') return points;
  return points.map((p) => {
    const [lng, lat] = toWgs84([p.lng, p.lat], input.crs);
    return { ...p, lng, lat };
  });
}
