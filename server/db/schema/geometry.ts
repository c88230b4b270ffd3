import { customType } from 'drizzle-orm/pg-core';

/**
 * A PostGIS geometry column with a declared type and SRID 4326 (WGS-84 only: other datums are
 * converted at the edges). Values are read and written through SQL (ST_AsGeoJSON / ST_GeomFromGeoJSON),
 * so the TypeScript side only sees the hex EWKB string PostGIS returns by default.
 */
export function geometry(name: string, type: 'Point' | 'LineString' | 'MultiPolygon' | 'Polygon') {
  return customType<{ data: string; driverData: string }>({
    dataType: () => `geometry(${type},4326)`,
  })(name);
}

/** Raw bytes: written as given; read back as a Buffer from pg and a Uint8Array from PGlite. */
export const bytea = (name: string) =>
  customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' })(name);
