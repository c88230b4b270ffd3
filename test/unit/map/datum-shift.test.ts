import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { shiftToDatum } from '../../../client/src/lib/map/datum-shift.js';
import type { LngLat, MapAdapter } from '../../../client/src/lib/map/types.js';
import { fromWgs84 } from '../../../server/geo/coords.js';

/** Records what reaches the map and lets the test play the map's side (clicks, bounds). */
function recordingAdapter() {
  const layers = new Map<string, FeatureCollection>();
  let mapClick: ((at: LngLat) => void) | undefined;
  const adapter: MapAdapter = {
    engine: 'maplibre',
    setGeoJsonLayer: (id, data) => void layers.set(id, data),
    removeLayer: () => {},
    setMarkers: () => {},
    onFeatureClick: () => () => {},
    onMapClick: (handler) => ((mapClick = handler), () => {}),
    onMoveEnd: () => () => {},
    getBounds: () => [116.4, 39.9, 116.5, 40.0],
    getZoom: () => 12,
    fitBounds: () => {},
    flyTo: () => {},
    resize: () => {},
    snapshot: async () => null,
    destroy: () => {},
  };
  return { adapter, layers, click: (at: LngLat) => mapClick?.(at) };
}

// 天安门, WGS-84.
const TIANANMEN: LngLat = [116.3975, 39.9087];

describe('shiftToDatum', () => {
  it('leaves WGS-84 basemaps alone', () => {
    const { adapter } = recordingAdapter();
    expect(shiftToDatum(adapter, 'WGS84')).toBe(adapter);
  });

  it('draws our WGS-84 layers where a GCJ-02 basemap has them (~300–700 m off in Beijing)', () => {
    const { adapter, layers } = recordingAdapter();
    const shifted = shiftToDatum(adapter, 'GCJ02');
    shifted.setGeoJsonLayer(
      'stations',
      {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { id: 1 }, geometry: { type: 'Point', coordinates: TIANANMEN } },
          {
            type: 'Feature',
            properties: {},
            geometry: { type: 'Polygon', coordinates: [[TIANANMEN, [116.4, 39.91], [116.41, 39.9], TIANANMEN]] },
          },
        ],
      },
      { type: 'circle', color: '#000' },
    );
    const drawn = layers.get('stations')!;
    const point = (drawn.features[0]!.geometry as GeoJSON.Point).coordinates;
    const expected = fromWgs84(TIANANMEN, 'GCJ02');
    expect(point[0]).toBeCloseTo(expected[0], 6);
    expect(point[1]).toBeCloseTo(expected[1], 6);
    const offsetM = Math.hypot((point[0]! - TIANANMEN[0]) * 85_000, (point[1]! - TIANANMEN[1]) * 111_000);
    expect(offsetM).toBeGreaterThan(300);
    expect(offsetM).toBeLessThan(700);
    const ring = (drawn.features[1]!.geometry as GeoJSON.Polygon).coordinates[0]!;
    expect(ring[0]).toEqual(point);
    expect(drawn.features[0]!.properties).toEqual({ id: 1 });
  });

  it('reports clicks and bounds back in WGS-84', () => {
    const { adapter, click } = recordingAdapter();
    const shifted = shiftToDatum(adapter, 'BD09');
    let clicked: LngLat | undefined;
    shifted.onMapClick((at) => (clicked = at));
    click(fromWgs84(TIANANMEN, 'BD09') as LngLat);
    expect(clicked![0]).toBeCloseTo(TIANANMEN[0], 5);
    expect(clicked![1]).toBeCloseTo(TIANANMEN[1], 5);
    const [w, s] = shifted.getBounds();
    expect(w).toBeLessThan(116.4);
    expect(s).toBeLessThan(39.9);
  });
});
