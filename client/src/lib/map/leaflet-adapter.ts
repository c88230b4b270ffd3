import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { Feature, FeatureCollection, Point } from 'geojson';
import {
  colorFor,
  type Bbox,
  type CreateMapOptions,
  type LayerStyle,
  type MapAdapter,
} from './types.js';

interface LayerEntry {
  style: LayerStyle;
  data: FeatureCollection;
  group: L.LayerGroup;
}

// Clusters dissolve at this zoom, as in the MapLibre view (clusterMaxZoom 13).
const CLUSTER_MAX_ZOOM = 13;
const CLUSTER_CELL_PX = 48;

/**
 * Grid clustering in screen space: cheap enough for a few thousand points on an old phone, and
 * needs no plugin. Returns single features and cluster pseudo-features with a count.
 */
function clusterPoints(map: L.Map, features: Feature[]) {
  const cells = new Map<string, Feature[]>();
  for (const f of features) {
    if (f.geometry?.type !== 'Point') continue;
    const [lng, lat] = (f.geometry as Point).coordinates as [number, number];
    const p = map.project([lat, lng], map.getZoom());
    const key = `${Math.floor(p.x / CLUSTER_CELL_PX)}:${Math.floor(p.y / CLUSTER_CELL_PX)}`;
    const list = cells.get(key);
    if (list) list.push(f);
    else cells.set(key, [f]);
  }
  return [...cells.values()];
}

export async function createLeafletAdapter(
  container: HTMLElement,
  options: CreateMapOptions,
): Promise<MapAdapter> {
  const map = L.map(container, {
    center: [options.center[1], options.center[0]],
    zoom: options.zoom,
    preferCanvas: true, // canvas draws thousands of circle markers far faster than SVG
    zoomControl: true,
  });
  if (options.bounds) {
    const [w, s, e, n] = options.bounds;
    map.fitBounds([[s, w], [n, e]], { padding: [16, 16], animate: false });
  }
  container.setAttribute('role', 'region');
  if (options.label) container.setAttribute('aria-label', options.label);
  container.style.background = '#eef0ea';
  const layers = new Map<string, LayerEntry>();
  const clickHandlers = new Map<string, Set<(f: Feature, at: [number, number]) => void>>();
  let featureClickAt = 0;

  function render(id: string) {
    const entry = layers.get(id);
    if (!entry) return;
    entry.group.clearLayers();
    const { style, data } = entry;
    const emitClick = (feature: Feature, latlng: L.LatLng) => {
      featureClickAt = Date.now();
      for (const handler of clickHandlers.get(id) ?? []) handler(feature, [latlng.lng, latlng.lat]);
    };
    if (style.type === 'circle') {
      const groups =
        style.cluster === true && map.getZoom() <= CLUSTER_MAX_ZOOM
          ? clusterPoints(map, data.features)
          : data.features.map((f) => [f]);
      const bubble = (lat: number, lng: number, count: number, zoomTo: number) =>
        L.circleMarker([lat, lng], {
          radius: count < 10 ? 12 : count < 50 ? 16 : count < 200 ? 22 : 28,
          color: '#fff',
          weight: 2,
          fillColor: style.color,
          fillOpacity: 0.75,
        })
          .on('click', () => {
            featureClickAt = Date.now();
            map.setView([lat, lng], zoomTo);
          })
          .addTo(entry.group);
      for (const group of groups) {
        const first = group[0]!;
        if (first.geometry?.type !== 'Point') continue;
        const made = first.properties?.point_count;
        if (typeof made === 'number') {
          // A cluster the server made (style.cluster 'server'): drawn as sent, split where it says.
          const [lng, lat] = (first.geometry as Point).coordinates as [number, number];
          // Its zoom counts 512-px tiles (MapLibre's); Leaflet's count 256-px tiles: one more.
          const zoomTo = Number(first.properties?.expansion_zoom ?? map.getZoom() + 1) + 1;
          bubble(lat, lng, made, zoomTo);
          continue;
        }
        if (group.length > 1) {
          const lat =
            group.reduce((s, f) => s + (f.geometry as Point).coordinates[1]!, 0) / group.length;
          const lng =
            group.reduce((s, f) => s + (f.geometry as Point).coordinates[0]!, 0) / group.length;
          bubble(lat, lng, group.length, Math.min(map.getZoom() + 2, CLUSTER_MAX_ZOOM + 1));
          continue;
        }
        const [lng, lat] = (first.geometry as Point).coordinates as [number, number];
        L.circleMarker([lat, lng], {
          radius: style.radius ?? 7,
          color: style.strokeColor ?? '#fff',
          weight: style.strokeWidth ?? 2,
          fillColor: colorFor(style, first.properties as Record<string, unknown>),
          fillOpacity: 1,
        })
          .on('click', (e) => emitClick(first, e.latlng))
          .addTo(entry.group);
      }
      return;
    }
    L.geoJSON(data, {
      style: (feature) =>
        style.type === 'fill'
          ? {
              fillColor: colorFor(style, (feature?.properties ?? null) as Record<string, unknown>),
              fillOpacity: style.opacity ?? 0.5,
              color: style.outlineColor ?? '#555',
              weight: style.outlineWidth ?? 1,
            }
          : {
              color: style.color,
              weight: style.width ?? 2,
              opacity: style.opacity ?? 1,
              dashArray: style.dash?.join(' '),
            },
      onEachFeature: (feature, layer) =>
        layer.on('click', (e: L.LeafletMouseEvent) => {
          if (clickHandlers.get(id)?.size) emitClick(feature, e.latlng);
        }),
    }).addTo(entry.group);
  }

  map.on('zoomend', () => {
    for (const [id, entry] of layers)
      if (entry.style.type === 'circle' && entry.style.cluster === true) render(id);
  });

  const adapter: MapAdapter = {
    engine: 'leaflet',
    setGeoJsonLayer(id, data, style) {
      let entry = layers.get(id);
      if (!entry) {
        entry = { style, data, group: L.layerGroup().addTo(map) };
        layers.set(id, entry);
      }
      entry.style = style;
      entry.data = data;
      render(id);
    },
    removeLayer(id) {
      const entry = layers.get(id);
      if (!entry) return;
      entry.group.remove();
      layers.delete(id);
    },
    onFeatureClick(layerId, handler) {
      const set = clickHandlers.get(layerId) ?? new Set();
      set.add(handler);
      clickHandlers.set(layerId, set);
      return () => set.delete(handler);
    },
    onMapClick(handler) {
      const listener = (e: L.LeafletMouseEvent) => {
        // A marker click also reaches the map; ignore it so tapping a station does not move "me".
        if (Date.now() - featureClickAt < 50) return;
        handler([e.latlng.lng, e.latlng.lat]);
      };
      map.on('click', listener);
      return () => map.off('click', listener);
    },
    onMoveEnd(handler) {
      map.on('moveend', handler);
      return () => map.off('moveend', handler);
    },
    getBounds() {
      const b = map.getBounds();
      return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] as Bbox;
    },
    getZoom: () => map.getZoom(),
    fitBounds(bbox, padding = 40) {
      map.fitBounds(
        [
          [bbox[1], bbox[0]],
          [bbox[3], bbox[2]],
        ],
        { padding: [padding, padding] },
      );
    },
    flyTo(center, zoom) {
      map.setView([center[1], center[0]], zoom ?? map.getZoom());
    },
    resize: () => map.invalidateSize(),
    destroy: () => map.remove(),
  };
  return adapter;
}
