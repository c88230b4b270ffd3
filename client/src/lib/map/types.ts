import type { Feature, FeatureCollection } from 'geojson';
import type { BasemapSpec } from '../../../../server/modules/basemap/basemap.config.js';

export type { BasemapSpec };

/** Coordinates are always [lng, lat] (GeoJSON order), WGS-84. */
export type LngLat = [number, number];
export type Bbox = [number, number, number, number];

/** Colour by a numeric property: the first stop whose threshold ≤ value wins (ascending stops). */
export interface ColorStops {
  property: string;
  stops: Array<[number, string]>;
  /** Colour when the property is missing. */
  fallback?: string;
}
/** Colour by a categorical property. */
export interface ColorMatch {
  property: string;
  values: Record<string, string>;
  fallback: string;
}

/**
 * Text drawn from a feature property. Zooms count 512-px tiles (MapLibre's); the Leaflet side adds
 * one. Glyphs are drawn on the phone (MapLibre without a `glyphs` URL, Leaflet as HTML), so labels
 * need nothing from outside.
 */
export interface LabelStyle {
  property: string;
  /** Shown from this zoom (inclusive). */
  minZoom?: number;
  /** Hidden from this zoom on. */
  maxZoom?: number;
  /** Font size in px (default 12). */
  size?: number;
  color?: string;
  haloColor?: string;
}

export type LayerStyle =
  | {
      type: 'circle';
      color: string;
      colorBy?: ColorMatch;
      radius?: number;
      strokeColor?: string;
      strokeWidth?: number;
      /**
       * Counted bubbles when zoomed out: `true` groups the points on the phone; `'server'` means
       * the data already holds clusters (features with `point_count` and `expansion_zoom`), as
       * /api/map/stations sends them, so a country's stations never reach the phone one by one.
       */
      cluster?: boolean | 'server';
      /** Each point's name beside it (e.g. station names at close zoom); clusters show their counts. */
      label?: LabelStyle;
      /**
       * Points whose property equals this value are drawn as a ring (white inside, their colour as
       * a thick outline) instead of a disc: a difference of shape, not only of shade.
       */
      hollowWhen?: { property: string; value: string };
    }
  | {
      type: 'fill';
      color: string;
      colorBy?: ColorStops;
      opacity?: number;
      outlineColor?: string;
      outlineWidth?: number;
    }
  | {
      type: 'line';
      color: string;
      width?: number;
      dash?: number[];
      opacity?: number;
      /** Text along each line (street names). */
      label?: LabelStyle;
    }
  /** Text only, at each point feature (area names at their label points). */
  | ({ type: 'label' } & LabelStyle);

/** An HTML marker (e.g. a numbered button) the view builds; the map only places it. */
export interface MapMarker {
  at: LngLat;
  element: HTMLElement;
  /** Makes the marker draggable: called with where it was dropped (WGS-84, as every position here). */
  onDragEnd?: (at: LngLat) => void;
}

/**
 * What views need from a map, implemented once with MapLibre (WebGL) and once with Leaflet (the
 * fallback for old phones and WebViews without WebGL), so every view works on both.
 */
export interface MapAdapter {
  readonly engine: 'maplibre' | 'leaflet';
  /** Adds or replaces a GeoJSON layer; later layers draw above earlier ones. */
  setGeoJsonLayer(id: string, data: FeatureCollection, style: LayerStyle): void;
  removeLayer(id: string): void;
  /**
   * Replaces the set of HTML markers under `id` (an empty list removes them). Markers sit above
   * every layer and keep their own focus and click handling (buttons work with the keyboard).
   */
  setMarkers(id: string, markers: MapMarker[]): void;
  /** Click on a feature of a layer (clusters zoom in by themselves). Returns an unsubscribe. */
  onFeatureClick(layerId: string, handler: (feature: Feature, at: LngLat) => void): () => void;
  /** Click on the map where no feature of a clickable layer is. */
  onMapClick(handler: (at: LngLat) => void): () => void;
  onMoveEnd(handler: () => void): () => void;
  getBounds(): Bbox;
  getZoom(): number;
  fitBounds(bbox: Bbox, padding?: number): void;
  flyTo(center: LngLat, zoom?: number): void;
  resize(): void;
  /** The map as drawn now, markers included; null where the engine cannot (Leaflet's DOM tiles). */
  snapshot(): Promise<HTMLCanvasElement | null>;
  destroy(): void;
}

export interface CreateMapOptions {
  center: LngLat;
  zoom: number;
  /**
   * Fit this box instead of `zoom` (each engine in its own tile size: MapLibre's zoom counts
   * 512-px tiles, Leaflet's 256-px ones, so one zoom number is not one view on both).
   */
  bounds?: Bbox;
  /** An outside basemap style URL a view insists on; overrides `basemap`. */
  basemapStyleUrl?: string | null;
  /** The deployer's basemap (/api/meta `basemap`); absent = none (our own layers only). */
  basemap?: BasemapSpec;
  /** Force the Leaflet fallback (e.g. `?lite=1`). */
  lite?: boolean;
  /** Accessible name of the map region. */
  label?: string;
}

/** Resolves a style colour for one feature (the Leaflet side needs it per feature). */
export function colorFor(
  style: { color: string; colorBy?: ColorStops | ColorMatch },
  properties: Record<string, unknown> | null,
): string {
  const by = style.colorBy;
  if (!by) return style.color;
  const value = properties?.[by.property];
  if ('values' in by) return by.values[String(value)] ?? by.fallback;
  if (typeof value !== 'number') return by.fallback ?? style.color;
  let color = by.fallback ?? style.color;
  for (const [threshold, c] of by.stops) if (value >= threshold) color = c;
  return color;
}
