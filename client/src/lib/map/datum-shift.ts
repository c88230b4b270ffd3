import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { fromWgs84, toWgs84 } from '../../../../server/geo/coords.js';
import type { Bbox, LngLat, MapAdapter } from './types.js';

export type BasemapDatum = 'WGS84' | 'GCJ02' | 'BD09';

/** Converts between WGS-84 and the basemap's datum (one side is always WGS-84 here). */
function convert(position: Position, from: BasemapDatum, to: BasemapDatum): Position {
  const lngLat: [number, number] = [position[0]!, position[1]!];
  const [lng, lat] = from === 'WGS84' ? fromWgs84(lngLat, to) : toWgs84(lngLat, from);
  return [lng, lat, ...position.slice(2)];
}

function shiftGeometry(geometry: Geometry | null, to: BasemapDatum): Geometry | null {
  if (!geometry) return geometry;
  const c = (p: Position) => convert(p, 'WGS84', to);
  switch (geometry.type) {
    case 'Point':
      return { ...geometry, coordinates: c(geometry.coordinates) };
    case 'MultiPoint':
    case 'LineString':
      return { ...geometry, coordinates: geometry.coordinates.map(c) };
    case 'MultiLineString':
    case 'Polygon':
      return { ...geometry, coordinates: geometry.coordinates.map((ring) => ring.map(c)) };
    case 'MultiPolygon':
      return {
        ...geometry,
        coordinates: geometry.coordinates.map((poly) => poly.map((ring) => ring.map(c))),
      };
    case 'GeometryCollection':
      return { ...geometry, geometries: geometry.geometries.map((g) => shiftGeometry(g, to)!) };
  }
}

const toWgs = (at: LngLat, from: BasemapDatum) => convert(at, from, 'WGS84') as LngLat;

/**
 * Our data is WGS-84; Amap/Tencent tiles are drawn in GCJ-02 (Baidu's in BD-09), ~500 m apart in
 * Beijing. On such a basemap every layer is shifted into the basemap's datum on the way in, and every
 * position the map reports (clicks, bounds) is converted back, so views keep working in WGS-84 only.
 */
export function shiftToDatum(inner: MapAdapter, datum: BasemapDatum): MapAdapter {
  if (datum === 'WGS84') return inner;
  const shiftCollection = (data: FeatureCollection): FeatureCollection => ({
    ...data,
    features: data.features.map((f: Feature) => ({ ...f, geometry: shiftGeometry(f.geometry, datum)! })),
  });
  return {
    ...inner,
    engine: inner.engine,
    setGeoJsonLayer: (id, data, style) => inner.setGeoJsonLayer(id, shiftCollection(data), style),
    setMarkers: (id, markers) =>
      inner.setMarkers(
        id,
        markers.map((m) => ({
          ...m,
          at: convert(m.at, 'WGS84', datum) as LngLat,
          ...(m.onDragEnd ? { onDragEnd: (at: LngLat) => m.onDragEnd!(toWgs(at, datum)) } : {}),
        })),
      ),
    onFeatureClick: (layerId, handler) =>
      inner.onFeatureClick(layerId, (feature, at) => handler(feature, toWgs(at, datum))),
    onMapClick: (handler) => inner.onMapClick((at) => handler(toWgs(at, datum))),
    getBounds: () => {
      const [w, s, e, n] = inner.getBounds();
      const [w2, s2] = toWgs([w, s], datum);
      const [e2, n2] = toWgs([e, n], datum);
      return [w2, s2, e2, n2] as Bbox;
    },
    fitBounds: (bbox, padding) => {
      const [w, s] = convert([bbox[0], bbox[1]], 'WGS84', datum);
      const [e, n] = convert([bbox[2], bbox[3]], 'WGS84', datum);
      inner.fitBounds([w!, s!, e!, n!], padding);
    },
    flyTo: (center, zoom) => inner.flyTo(convert(center, 'WGS84', datum) as LngLat, zoom),
  };
}
