/**
 * Export in the import's own shape: the same headers (CSV/xlsx) or property names (GeoJSON), so a
 * file exported, edited in Excel and uploaded again updates the same stations and nothing else.
 */
import type { AppDatabase } from '../../db/client.js';
import { fromWgs84, type Datum } from '../../geo/coords.js';
import { AMENITIES, STATION_KINDS } from '../stations/amenities.js';
import { SCALAR_FIELDS, amenityHeader, exportHeader, type ScalarField } from './bulk-fields.js';
import { listStationsForExport, type ExportedStation } from './bulk.repository.js';
import { writeCsv } from './csv-format.js';
import { writeGeoJson } from './geojson-format.js';
import { STATUS_LABELS } from './amenity-cells.js';
import type { BulkFormat } from './source-table.js';
import { writeXlsx } from './xlsx-format.js';

export interface ExportRequest {
  format: BulkFormat;
  crs: Datum;
  districtCode?: string;
  /** Any level's area code. */
  areaCode?: string;
  includeSamples: boolean;
}

export interface ExportFile {
  body: Buffer;
  contentType: string;
  filename: string;
  count: number;
}

// The import's own fields, so an export always re-imports; amenities get one column each instead.
const TABLE_FIELDS: ScalarField[] = SCALAR_FIELDS.filter((field) => field !== 'amenities');
/** Read-only, for people reading the sheet; imports ignore it (the district follows the position). */
const DISTRICT_HEADER = '所属区';

/** 7 decimals ≈ 1 cm; trailing zeros dropped. */
const degrees = (value: number) => Number(value.toFixed(7));

function positionOf(s: ExportedStation, crs: Datum): [number, number] {
  const [lng, lat] = fromWgs84([Number(s.lng), Number(s.lat)], crs);
  return [degrees(lng), degrees(lat)];
}

function tableRow(s: ExportedStation, crs: Datum): (string | number)[] {
  const [lng, lat] = positionOf(s, crs);
  const values: Record<ScalarField, string | number> = {
    station_id: Number(s.id),
    external_id: s.external_id ?? '',
    name: s.name,
    name_en: s.name_en ?? '',
    kind: STATION_KINDS.find((k) => k.key === s.kind)?.zh ?? s.kind,
    address: s.address ?? '',
    lng,
    lat,
    opening_hours: s.opening_hours ?? '',
    phone: s.phone ?? '',
    seats: s.seats ?? '',
    location_note: s.location_note ?? '',
    version: Number(s.version),
    amenities: '',
  };
  return [
    ...TABLE_FIELDS.map((f) => values[f]),
    ...AMENITIES.map((a) => {
      const status = s.amenities[a.key];
      return status ? STATUS_LABELS[status] : '';
    }),
    s.district_name ?? '',
  ];
}

function geoJsonProperties(s: ExportedStation): Record<string, unknown> {
  return {
    station_id: Number(s.id),
    external_id: s.external_id,
    name: s.name,
    name_en: s.name_en,
    kind: s.kind,
    address: s.address,
    opening_hours: s.opening_hours,
    phone: s.phone,
    seats: s.seats,
    location_note: s.location_note,
    version: Number(s.version),
    amenities: s.amenities,
    district_code: s.district_code,
    district_name: s.district_name,
  };
}

export async function exportStations(db: AppDatabase, request: ExportRequest): Promise<ExportFile> {
  const stations = await listStationsForExport(db, request);
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const filename = `stations-${date}${request.districtCode ? `-${request.districtCode}` : ''}-${request.crs}`;
  if (request.format === 'geojson') {
    const features = stations.map((s) => ({
      id: Number(s.id),
      position: positionOf(s, request.crs),
      properties: geoJsonProperties(s),
    }));
    return {
      body: writeGeoJson(features, request.crs),
      contentType: 'application/geo+json',
      filename: `${filename}.geojson`,
      count: stations.length,
    };
  }
  const columns = [
    ...TABLE_FIELDS.map(exportHeader),
    ...AMENITIES.map((a) => amenityHeader(a.key)),
    DISTRICT_HEADER,
  ];
  const rows = stations.map((s) => tableRow(s, request.crs));
  if (request.format === 'csv') {
    return {
      body: writeCsv(columns, rows),
      contentType: 'text/csv; charset=utf-8',
      filename: `${filename}.csv`,
      count: stations.length,
    };
  }
  return {
    body: await writeXlsx(columns, rows),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    filename: `${filename}.xlsx`,
    count: stations.length,
  };
}
