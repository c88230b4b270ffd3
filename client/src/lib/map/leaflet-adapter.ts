import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import './leaflet-labels.css';
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { PointClusters } from './point-clusters.js';
import {
  colorFor,
  type Bbox,
  type CreateMapOptions,
  type LabelStyle,
  type LayerStyle,
  type MapAdapter,
} from './types.js';

/** Labels per layer at most: Leaflet draws each as a DOM element. */
const MAX_LABELS = 150;

/** A label as plain HTML text (a non-interactive marker: taps go through to what is under it). */
function labelMarker(lat: number, lng: number, text: string, label: LabelStyle, className: string) {
  const span = document.createElement('span');
  span.textContent = text;
  span.style.fontSize = `${label.size ?? 12}px`;
  if (label.color) span.style.color = label.color;
  return L.marker([lat, lng], {
    interactive: false,
    keyboard: false,
    icon: L.divIcon({ className: `wp-map-label ${className}`, html: span, iconSize: undefined }),
  });
}

/** Whether a label shows at a Leaflet zoom (its zooms count MapLibre's 512-px tiles: one less). */
function labelShown(label: LabelStyle, leafletZoom: number): boolean {
  const zoom = leafletZoom - 1;
  return zoom >= (label.minZoom ?? 0) && zoom < (label.maxZoom ?? 99);
}

/** The middle vertex of a line's longest part: where its name goes. */
function lineLabelPoint(feature: Feature): [number, number] | null {
  const g = feature.geometry;
  const parts = g?.type === 'LineString' ? [g.coordinates] : g?.type === 'MultiLineString' ? g.coordinates : [];
  const longest = parts.reduce((a, b) => (b.length > a.length ? b : a), [] as number[][]);
  const mid = longest[Math.floor(longest.length / 2)];
  return mid ? [mid[0]!, mid[1]!] : null;
}

interface LayerEntry {
  style: LayerStyle;
  data: FeatureCollection;
  group: L.LayerGroup;
  /** For `cluster: true`: built once per data, asked per zoom. */
  clusters?: PointClusters;
}

const hasLabels = (style: LayerStyle) => style.type === 'label' || ('label' in style && Boolean(style.label));

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
  // The deployer's raster tiles under everything (Leaflet draws templates; a MapLibre style or
  // vector archive it cannot draw, and then our own layers stand alone).
  for (const tiles of options.basemapStyleUrl ? [] : (options.basemap?.tiles ?? [])) {
    L.tileLayer(tiles.url, {
      subdomains: tiles.subdomains.length ? tiles.subdomains : ['a'],
      maxZoom: 20,
      maxNativeZoom: tiles.maxZoom,
      tileSize: tiles.tileSize,
      attribution: tiles === options.basemap!.tiles[0] ? (options.basemap!.attribution ?? '') : '',
    }).addTo(map);
  }
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
    const zoom = map.getZoom();
    const view = map.getBounds().pad(0.2);
    if (style.type === 'label') {
      if (!labelShown(style, zoom)) return;
      let shown = 0;
      for (const f of data.features) {
        if (f.geometry?.type !== 'Point' || shown >= MAX_LABELS) continue;
        const [lng, lat] = f.geometry.coordinates as [number, number];
        const text = f.properties?.[style.property];
        if (text == null || text === '' || !view.contains([lat, lng])) continue;
        labelMarker(lat, lng, String(text), style, 'wp-map-label-area').addTo(entry.group);
        shown++;
      }
      return;
    }
    if (style.type === 'circle') {
      // Leaflet's zoom counts 256-px tiles, the clusters' (MapLibre's) 512-px ones: one less.
      let labels = 0;
      const features =
        style.cluster === true && entry.clusters
          ? entry.clusters.at(map.getZoom() - 1)
          : data.features;
      const bubble = (lat: number, lng: number, count: number, zoomTo: number) => {
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
        // The count on the bubble, as HTML over the canvas (not interactive: the tap reaches the bubble).
        L.marker([lat, lng], {
          interactive: false,
          keyboard: false,
          icon: L.divIcon({ className: 'wp-map-cluster-count', html: String(count), iconSize: [40, 16] }),
        }).addTo(entry.group);
      };
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
        const colour = colorFor(style, first.properties as Record<string, unknown>);
        const hollow =
          style.hollowWhen && String(first.properties?.[style.hollowWhen.property]) === style.hollowWhen.value;
        L.circleMarker([lat, lng], {
          radius: style.radius ?? 7,
          color: hollow ? colour : (style.strokeColor ?? '#fff'),
          weight: hollow ? 4 : (style.strokeWidth ?? 2),
          fillColor: hollow ? '#fff' : colour,
          fillOpacity: 1,
        })
          .on('click', (e) => emitClick(first, e.latlng))
          .addTo(entry.group);
        const text = style.label ? first.properties?.[style.label.property] : null;
        if (style.label && text && labelShown(style.label, zoom) && view.contains([lat, lng]) && labels++ < MAX_LABELS) {
          labelMarker(lat, lng, String(text), style.label, 'wp-map-label-point').addTo(entry.group);
        }
      }
      return;
    }
    if (style.type === 'line' && style.label && labelShown(style.label, zoom)) {
      // One name per street and view: a street is many ways, and Leaflet cannot write along a line.
      const named = new Set<string>();
      for (const f of data.features) {
        const text = f.properties?.[style.label.property];
        const at = text ? lineLabelPoint(f) : null;
        if (!at || named.has(String(text)) || named.size >= MAX_LABELS || !view.contains([at[1], at[0]])) continue;
        named.add(String(text));
        labelMarker(at[1], at[0], String(text), style.label, 'wp-map-label-line').addTo(entry.group);
      }
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
      if ((entry.style.type === 'circle' && entry.style.cluster === true) || hasLabels(entry.style)) render(id);
  });
  // Labels are drawn for the view only (a DOM element each): a pan brings the new ones.
  map.on('moveend', () => {
    for (const [id, entry] of layers) if (hasLabels(entry.style)) render(id);
  });

  const markerSets = new Map<string, L.Marker[]>();
  const adapter: MapAdapter = {
    engine: 'leaflet',
    setMarkers(id, markers) {
      for (const m of markerSets.get(id) ?? []) m.remove();
      markerSets.set(
        id,
        markers.map((m) => {
          // The element handles its own clicks and focus; the map must not also take them (a
          // draggable one needs its presses to reach Leaflet's drag handler on the icon).
          if (!m.onDragEnd) L.DomEvent.disableClickPropagation(m.element);
          const icon = L.divIcon({ html: m.element, className: 'wp-marker', iconSize: [0, 0] });
          const marker = L.marker([m.at[1], m.at[0]], { icon, keyboard: false, zIndexOffset: 1000, draggable: Boolean(m.onDragEnd) }).addTo(map);
          if (m.onDragEnd) {
            marker.on('dragend', () => {
              const { lng, lat } = marker.getLatLng();
              m.onDragEnd!([lng, lat]);
            });
          }
          return marker;
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
    // Tiles and vectors are DOM elements here, some from other hosts: no picture without a library.
    snapshot: async () => null,
    destroy: () => map.remove(),
  };
  return adapter;
}
