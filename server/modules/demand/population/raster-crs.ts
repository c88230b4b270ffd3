/**
 * A GeoTIFF's coordinate reference system, from its GeoKeys, as a proj4 definition. Covers what
 * population rasters come in: geographic WGS-84 (WorldPop), Web Mercator, UTM, and user-defined
 * projections (Albers, Lambert, transverse Mercator…) on a named or described ellipsoid, such as
 * the Beijing DynPop rasters (Albers equal-area on Krasovsky 1942). Anything else is refused with
 * the keys that were found, so a deployer can pass a definition of their own.
 */

/** GeoKeys as `geotiff`'s `image.getGeoKeys()` returns them. */
export type GeoKeys = Record<string, number | string | number[] | undefined>;

/** A CRS we cannot build a definition for; the message names the keys. */
export class UnsupportedCrsError extends Error {}

const USER_DEFINED = 32767;

/** EPSG ellipsoid codes → proj4 `+ellps=` names. */
const ELLIPSOIDS: Record<number, string> = {
  7030: 'WGS84',
  7019: 'GRS80',
  7024: 'krass',
  7022: 'intl',
  7004: 'bessel',
  7008: 'clrk66',
  7043: 'WGS72',
  1024: 'GRS80', // CGCS2000's ellipsoid: GRS80 to 0.1 mm
};

/** Geographic CRS codes → their ellipsoid (geodetic datums treated as WGS-84 at 100 m cells). */
const GEOGRAPHIC_ELLIPSOIDS: Record<number, string> = {
  4326: 'WGS84',
  4490: 'GRS80', // CGCS2000
  4269: 'GRS80', // NAD83
  4258: 'GRS80', // ETRS89
  4214: 'krass', // Beijing 1954
  4610: 'IAU76', // Xian 1980
};

function ellipsoidOf(keys: GeoKeys): string {
  const code = Number(keys.GeogEllipsoidGeoKey ?? 0);
  if (code && code !== USER_DEFINED) {
    const name = ELLIPSOIDS[code];
    if (!name) throw new UnsupportedCrsError(`ellipsoid EPSG:${code} is not known`);
    return `+ellps=${name}`;
  }
  const a = Number(keys.GeogSemiMajorAxisGeoKey ?? 0);
  const invF = Number(keys.GeogInvFlatteningGeoKey ?? 0);
  const b = Number(keys.GeogSemiMinorAxisGeoKey ?? 0);
  if (a > 0 && invF > 0) return `+a=${a} +rf=${invF}`;
  if (a > 0 && b > 0) return `+a=${a} +b=${b}`;
  const geographic = Number(keys.GeographicTypeGeoKey ?? 0);
  if (GEOGRAPHIC_ELLIPSOIDS[geographic]) return `+ellps=${GEOGRAPHIC_ELLIPSOIDS[geographic]}`;
  // No ellipsoid stated at all: WGS-84 is what such files almost always mean.
  return '+ellps=WGS84';
}

const num = (keys: GeoKeys, name: string, fallback = 0) =>
  keys[name] === undefined ? fallback : Number(keys[name]);

/** GeoTIFF ProjCoordTransGeoKey codes → proj4 projection parameters. */
function projectionOf(keys: GeoKeys): string {
  const method = num(keys, 'ProjCoordTransGeoKey');
  const lon0 = num(
    keys,
    'ProjNatOriginLongGeoKey',
    num(keys, 'ProjCenterLongGeoKey', num(keys, 'ProjFalseOriginLongGeoKey')),
  );
  const lat0 = num(
    keys,
    'ProjNatOriginLatGeoKey',
    num(keys, 'ProjCenterLatGeoKey', num(keys, 'ProjFalseOriginLatGeoKey')),
  );
  const x0 = num(keys, 'ProjFalseEastingGeoKey', num(keys, 'ProjFalseOriginEastingGeoKey'));
  const y0 = num(keys, 'ProjFalseNorthingGeoKey', num(keys, 'ProjFalseOriginNorthingGeoKey'));
  const k = num(keys, 'ProjScaleAtNatOriginGeoKey', num(keys, 'ProjScaleAtCenterGeoKey', 1));
  const lat1 = num(keys, 'ProjStdParallel1GeoKey');
  const lat2 = num(keys, 'ProjStdParallel2GeoKey', lat1);
  const falseOrigin = `+x_0=${x0} +y_0=${y0}`;
  switch (method) {
    case 1: // Transverse Mercator
      return `+proj=tmerc +lat_0=${lat0} +lon_0=${lon0} +k=${k} ${falseOrigin}`;
    case 7: // Mercator
      return `+proj=merc +lon_0=${lon0} +k=${k} ${falseOrigin}`;
    case 8: // Lambert conformal conic, two standard parallels
      return `+proj=lcc +lat_1=${lat1} +lat_2=${lat2} +lat_0=${lat0} +lon_0=${lon0} ${falseOrigin}`;
    case 9: // Lambert conformal conic, one standard parallel
      return `+proj=lcc +lat_1=${lat0} +lat_0=${lat0} +lon_0=${lon0} +k_0=${k} ${falseOrigin}`;
    case 10: // Lambert azimuthal equal-area
      return `+proj=laea +lat_0=${lat0} +lon_0=${lon0} ${falseOrigin}`;
    case 11: // Albers equal-area
      return `+proj=aea +lat_1=${lat1} +lat_2=${lat2} +lat_0=${lat0} +lon_0=${lon0} ${falseOrigin}`;
    case 28: // Equirectangular
      return `+proj=eqc +lat_ts=${lat1} +lon_0=${lon0} ${falseOrigin}`;
    default:
      throw new UnsupportedCrsError(
        `projection method ${method} (ProjCoordTransGeoKey) is not supported`,
      );
  }
}

function linearUnits(keys: GeoKeys): string {
  const unit = num(keys, 'ProjLinearUnitsGeoKey', 9001);
  if (unit === 9001) return '+units=m';
  if (unit === 9002) return '+units=ft';
  if (unit === 9003) return '+units=us-ft';
  throw new UnsupportedCrsError(`linear unit ${unit} (ProjLinearUnitsGeoKey) is not supported`);
}

/** Projected EPSG codes we know without a database of them. */
function knownProjected(code: number): string | null {
  if (code === 3857 || code === 900913) {
    return '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs';
  }
  if (code >= 32601 && code <= 32660)
    return `+proj=utm +zone=${code - 32600} +datum=WGS84 +units=m +no_defs`;
  if (code >= 32701 && code <= 32760)
    return `+proj=utm +zone=${code - 32700} +south +datum=WGS84 +units=m +no_defs`;
  // CGCS2000 / 3-degree Gauss-Kruger CM 75E…135E (EPSG:4534–4554), no zone prefix in eastings.
  if (code >= 4534 && code <= 4554) {
    return `+proj=tmerc +lat_0=0 +lon_0=${75 + (code - 4534) * 3} +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs`;
  }
  if (code === 6933)
    return '+proj=cea +lat_ts=30 +lon_0=0 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs';
  if (code === 54009) return '+proj=moll +lon_0=0 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs';
  return null;
}

/**
 * The proj4 definition of a GeoTIFF's CRS, or `'WGS84'` for geographic coordinates (used as they
 * are: at 100 m cells the datum shifts between geodetic datums of the ellipsoids above are below
 * a metre to a few metres, far under a cell).
 */
export function crsFromGeoKeys(keys: GeoKeys): string {
  const model = num(keys, 'GTModelTypeGeoKey');
  if (model === 2) {
    const geographic = num(keys, 'GeographicTypeGeoKey', 4326);
    if (geographic !== USER_DEFINED && !GEOGRAPHIC_ELLIPSOIDS[geographic]) {
      throw new UnsupportedCrsError(`geographic CRS EPSG:${geographic} is not known`);
    }
    const units = num(keys, 'GeogAngularUnitsGeoKey', 9102);
    if (units !== 9102) throw new UnsupportedCrsError(`angular unit ${units} is not degrees`);
    return 'WGS84';
  }
  if (model === 1) {
    const code = num(keys, 'ProjectedCSTypeGeoKey', USER_DEFINED);
    if (code !== USER_DEFINED) {
      const known = knownProjected(code);
      if (!known) throw new UnsupportedCrsError(`projected CRS EPSG:${code} is not known`);
      return known;
    }
    return `${projectionOf(keys)} ${ellipsoidOf(keys)} ${linearUnits(keys)} +no_defs`;
  }
  throw new UnsupportedCrsError(
    model === 3
      ? 'geocentric rasters are not supported'
      : 'the file states no CRS (GTModelTypeGeoKey)',
  );
}

/** The keys worth quoting in an error message. */
export function describeGeoKeys(keys: GeoKeys): string {
  return Object.entries(keys)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`)
    .join(' ');
}
