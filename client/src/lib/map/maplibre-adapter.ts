// maplibre-gl 6 ships ESM without a default export: take the namespace.
import * as maplibregl from 'maplibre-gl';
import type { ExpressionSpecification, GeoJSONSource, MapLayerMouseEvent } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre 6 starts its worker from a separate, self-contained file; ship it as a hashed asset.
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { FeatureCollection } from 'geojson';
import { basemapStyle } from './maplibre-basemap.js';
import { snapshotMapLibre } from './map-snapshot.js';
import type {
  Bbox,
  ColorMatch,
  ColorStops,
  CreateMapOptions,
  LabelStyle,
  LayerStyle,
  LngLat,
  MapAdapter,
} from './types.js';

/**
 * Our labels' font: no `glyphs` URL is set, so MapLibre draws them with the phone's fonts; the
 * stack names Noto Sans (what the Protomaps style asks for too) before the generic fallback.
 */
const LABEL_FONT = ['Noto Sans Regular'];

/** A symbol layer's text settings for one label style (halo so it reads on tiles and on blank). */
function labelLayout(label: LabelStyle) {
  return {
    'text-field': ['to-string', ['coalesce', ['get', label.property], '']] as ExpressionSpecification,
    'text-font': LABEL_FONT,
    'text-size': label.size ?? 12,
    'text-max-width': 8,
  };
}

function labelPaint(label: LabelStyle) {
  return {
    'text-color': label.color ?? '#333',
    'text-halo-color': label.haloColor ?? 'rgba(255,255,255,0.9)',
    'text-halo-width': 1.5,
  };
}

function zoomRange(label: LabelStyle) {
  return {
    ...(label.minZoom !== undefined ? { minzoom: label.minZoom } : {}),
    ...(label.maxZoom !== undefined ? { maxzoom: label.maxZoom } : {}),
  };
}

function colorExpression(
  color: string,
  by?: ColorStops | ColorMatch,
): string | ExpressionSpecification {
  if (!by) return color;
  if ('values' in by) {
    const pairs = Object.entries(by.values).flat();
    return [
      'match',
      ['to-string', ['get', by.property]],
      ...pairs,
      by.fallback,
    ] as ExpressionSpecification;
  }
  const steps = by.stops.slice(1).flatMap(([threshold, c]) => [threshold, c]);
  return [
    'case',
    ['!=', ['typeof', ['get', by.property]], 'number'],
    by.fallback ?? color,
    ['step', ['get', by.property], by.stops[0]?.[1] ?? color, ...steps],
  ] as ExpressionSpecification;
}

/** Sub-layer ids drawn for one logical layer (a fill has an outline, a cluster a bubble layer). */
function subLayers(id: string, style: LayerStyle): string[] {
  if (style.type === 'fill') return [id, `${id}-outline`];
  const labels = 'label' in style && style.label ? [`${id}-labels`] : [];
  if (style.type === 'circle' && style.cluster) return [`${id}-clusters`, `${id}-cluster-counts`, id, ...labels];
  return [id, ...labels];
}

export async function createMapLibreAdapter(
  container: HTMLElement,
  options: CreateMapOptions,
): Promise<MapAdapter> {
  maplibregl.setWorkerUrl(maplibreWorkerUrl);
  const style = options.basemapStyleUrl ?? (await basemapStyle(options.basemap));
  const map = new maplibregl.Map({
    container,
    style,
    // CJK names are drawn from the phone's own fonts (the default, said here because labels rely on it).
    localIdeographFontFamily: 'sans-serif',
    center: options.center,
    zoom: options.zoom,
    ...(options.bounds ? { bounds: options.bounds, fitBoundsOptions: { padding: 16 } } : {}),
    attributionControl: { compact: true },
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  container.setAttribute('role', 'region');
  if (options.label) container.setAttribute('aria-label', options.label);
  // The map object for devtools and the browser tests (project, queryRenderedFeatures); not an API.
  Object.defineProperty(container, 'maplibreMap', { value: map, configurable: true });
  await new Promise<void>((resolve, reject) => {
    map.once('load', () => resolve());
    map.once('error', (e) => reject(e.error ?? new Error('map failed to load')));
  });

  const styles = new Map<string, LayerStyle>();
  const clickableLayers = new Set<string>();

  function addLayers(id: string, style: LayerStyle) {
    if (style.type === 'fill') {
      map.addLayer({
        id,
        type: 'fill',
        source: id,
        paint: {
          'fill-color': colorExpression(style.color, style.colorBy),
          'fill-opacity': style.opacity ?? 0.5,
        },
      });
      map.addLayer({
        id: `${id}-outline`,
        type: 'line',
        source: id,
        paint: {
          'line-color': style.outlineColor ?? '#555',
          'line-width': style.outlineWidth ?? 1,
        },
      });
    } else if (style.type === 'line') {
      map.addLayer({
        id,
        type: 'line',
        source: id,
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: {
          'line-color': style.color,
          'line-width': style.width ?? 2,
          'line-opacity': style.opacity ?? 1,
          ...(style.dash ? { 'line-dasharray': style.dash } : {}),
        },
      });
      if (style.label) {
        map.addLayer({
          id: `${id}-labels`,
          type: 'symbol',
          source: id,
          ...zoomRange(style.label),
          layout: { ...labelLayout(style.label), 'symbol-placement': 'line', 'text-rotation-alignment': 'map' },
          paint: labelPaint(style.label),
        });
      }
    } else if (style.type === 'label') {
      map.addLayer({
        id,
        type: 'symbol',
        source: id,
        ...zoomRange(style),
        layout: { ...labelLayout(style), 'text-padding': 4 },
        paint: labelPaint(style),
      });
    } else {
      if (style.cluster) {
        // Bubbles sized by count, with the count written on them (drawn on the phone: no glyph server).
        map.addLayer({
          id: `${id}-clusters`,
          type: 'circle',
          source: id,
          filter: ['has', 'point_count'],
          paint: {
            'circle-color': style.color,
            'circle-opacity': 0.75,
            'circle-radius': ['step', ['get', 'point_count'], 12, 10, 16, 50, 22, 200, 28],
            'circle-stroke-color': '#fff',
            'circle-stroke-width': 2,
          },
        });
      }
      if (style.cluster) {
        map.addLayer({
          id: `${id}-cluster-counts`,
          type: 'symbol',
          source: id,
          filter: ['has', 'point_count'],
          layout: {
            'text-field': ['to-string', ['get', 'point_count']],
            'text-font': LABEL_FONT,
            'text-size': 12,
            // A count belongs to its bubble: never hidden by a street or area name.
            'text-allow-overlap': true,
            'text-ignore-placement': true,
          },
          paint: { 'text-color': '#fff', 'text-halo-color': 'rgba(0,0,0,0.35)', 'text-halo-width': 1 },
        });
      }
      map.addLayer({
        id,
        type: 'circle',
        source: id,
        ...(style.cluster ? { filter: ['!', ['has', 'point_count']] } : {}),
        paint: style.hollowWhen
          ? (() => {
              // A ring: white inside, the feature's colour as a thick outline.
              const hollow = ['==', ['to-string', ['get', style.hollowWhen.property]], style.hollowWhen.value];
              const colour = colorExpression(style.color, style.colorBy);
              return {
                'circle-color': ['case', hollow, '#fff', colour] as ExpressionSpecification,
                'circle-radius': style.radius ?? 7,
                'circle-stroke-color': ['case', hollow, colour, style.strokeColor ?? '#fff'] as ExpressionSpecification,
                'circle-stroke-width': ['case', hollow, 4, style.strokeWidth ?? 2] as ExpressionSpecification,
              };
            })()
          : {
              'circle-color': colorExpression(style.color, style.colorBy),
              'circle-radius': style.radius ?? 7,
              'circle-stroke-color': style.strokeColor ?? '#fff',
              'circle-stroke-width': style.strokeWidth ?? 2,
            },
      });
      if (style.label) {
        map.addLayer({
          id: `${id}-labels`,
          type: 'symbol',
          source: id,
          ...(style.cluster ? { filter: ['!', ['has', 'point_count']] } : {}),
          ...zoomRange(style.label),
          layout: {
            ...labelLayout(style.label),
            'text-anchor': 'top',
            'text-offset': [0, 0.9],
            // The point matters more than its name: a name that does not fit is left out.
            'text-optional': true,
          },
          paint: labelPaint(style.label),
        });
      }
      if (style.cluster) {
        map.on('click', `${id}-clusters`, async (e) => {
          const feature = e.features?.[0];
          const clusterId = feature?.properties?.cluster_id;
          const given = feature?.properties?.expansion_zoom;
          if (clusterId === undefined && given === undefined) return;
          const zoom =
            given !== undefined
              ? Number(given)
              : await (map.getSource(id) as GeoJSONSource).getClusterExpansionZoom(clusterId);
          map.easeTo({
            center: (feature!.geometry as GeoJSON.Point).coordinates as [number, number],
            zoom,
          });
        });
      }
    }
  }

  const markerSets = new Map<string, maplibregl.Marker[]>();
  const adapter: MapAdapter = {
    engine: 'maplibre',
    setMarkers(id, markers) {
      for (const m of markerSets.get(id) ?? []) m.remove();
      markerSets.set(
        id,
        markers.map((m) => {
          const marker = new maplibregl.Marker({ element: m.element, draggable: Boolean(m.onDragEnd) }).setLngLat(m.at).addTo(map);
          if (m.onDragEnd) marker.on('dragend', () => m.onDragEnd!(marker.getLngLat().toArray() as LngLat));
          return marker;
        }),
      );
    },
    setGeoJsonLayer(id, data: FeatureCollection, style) {
      const previous = styles.get(id);
      const source = map.getSource(id) as GeoJSONSource | undefined;
      const sameShape = previous && JSON.stringify(previous) === JSON.stringify(style);
      if (source && sameShape) {
        source.setData(data);
        return;
      }
      if (previous) adapter.removeLayer(id);
      // Server-made clusters arrive ready: the source must not cluster them again.
      const clustered = style.type === 'circle' && style.cluster === true;
      map.addSource(id, {
        type: 'geojson',
        data,
        ...(clustered ? { cluster: true, clusterMaxZoom: 13, clusterRadius: 40 } : {}),
      });
      addLayers(id, style);
      styles.set(id, style);
    },
    removeLayer(id) {
      const style = styles.get(id);
      if (!style) return;
      for (const layer of subLayers(id, style)) if (map.getLayer(layer)) map.removeLayer(layer);
      if (map.getSource(id)) map.removeSource(id);
      styles.delete(id);
    },
    onFeatureClick(layerId, handler) {
      const listener = (e: MapLayerMouseEvent) => {
        const feature = e.features?.[0];
        if (feature) handler(feature as unknown as GeoJSON.Feature, [e.lngLat.lng, e.lngLat.lat]);
      };
      const enter = () => (map.getCanvas().style.cursor = 'pointer');
      const leave = () => (map.getCanvas().style.cursor = '');
      clickableLayers.add(layerId);
      map.on('click', layerId, listener);
      map.on('mouseenter', layerId, enter);
      map.on('mouseleave', layerId, leave);
      return () => {
        clickableLayers.delete(layerId);
        map.off('click', layerId, listener);
        map.off('mouseenter', layerId, enter);
        map.off('mouseleave', layerId, leave);
      };
    },
    onMapClick(handler) {
      const listener = (e: maplibregl.MapMouseEvent) => {
        const layers = [...clickableLayers].flatMap((id) => {
          const style = styles.get(id);
          return style ? subLayers(id, style).filter((l) => map.getLayer(l)) : [];
        });
        if (layers.length && map.queryRenderedFeatures(e.point, { layers }).length) return;
        handler([e.lngLat.lng, e.lngLat.lat]);
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
      map.fitBounds([bbox[0], bbox[1], bbox[2], bbox[3]], { padding, duration: 500 });
    },
    flyTo(center, zoom) {
      map.flyTo({ center, zoom: zoom ?? map.getZoom(), duration: 600 });
    },
    resize: () => map.resize(),
    snapshot: () => snapshotMapLibre(map, [...markerSets.values()].flat()),
    destroy: () => map.remove(),
  };
  return adapter;
}
