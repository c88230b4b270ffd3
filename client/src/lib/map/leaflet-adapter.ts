import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { PointClusters } from './point-clusters.js';
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
  /** For `cluster: true`: built once per data, asked per zoom. */
  clusters?: PointClusters;
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
      // Leaflet's zoom counts 256-px tiles, the clusters' (MapLibre's) 512-px ones: one less.
      const features =
        style.cluster === true && entry.clusters
          ? entry.clusters.at(map.getZoom() - 1)
          : data.features;
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
      for (const first of features) {
        if (first.geometry?.type !== 'Point') continue;
        const made = first.properties?.point_count;
        if (typeof made === 'number') {
          // A cluster (the server's, or supercluster's here): drawn as sent, split where it says.
          const [lng, lat] = (first.geometry as Point).coordinates as [number, number];
          // Its zoom counts 512-px tiles (MapLibre's); Leaflet's count 256-px tiles: one more.
          const zoomTo = Number(first.properties?.expansion_zoom ?? map.getZoom() + 1) + 1;
          bubble(lat, lng, made, zoomTo);
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

  const markerSets = new Map<string, L.Marker[]>();
  const adapter: MapAdapter = {
    engine: 'leaflet',
    setMarkers(id, markers) {
      for (const m of markerSets.get(id) ?? []) m.remove();
      markerSets.set(
        id,
        markers.map((m) => {
          // The element handles its own clicks and focus; the map must not also take them.
          L.DomEvent.disableClickPropagation(m.element);
          const icon = L.divIcon({ html: m.element, className: 'wp-marker', iconSize: [0, 0] });
          return L.marker([m.at[1], m.at[0]], { icon, keyboard: false, zIndexOffset: 1000 }).addTo(map);
        }),
      );
    },
    setGeoJsonLayer(id, data, style) {
      let entry = layers.get(id);
      if (!entry) {
        entry = { style, data, group: L.layerGroup().addTo(map) };
        layers.set(id, entry);
      }
      entry.style = style;
      entry.data = data;
      entry.clusters = undefined;
      render(id);
      if (style.type === 'circle' && style.cluster === true) {
        // supercluster loads only for a layer that clusters on the phone (none does today: the
        // stations come clustered from the server); until then the points are drawn as they are.
        const current = entry;
        void import('./point-clusters.js').then(({ pointClusters }) => {
          if (layers.get(id) !== current || current.data !== data) return;
          current.clusters = pointClusters(data);
          render(id);
        });
      }
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
