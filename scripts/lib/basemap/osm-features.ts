/**
 * The features of a basemap from an OpenStreetMap extract, in the layers and properties of the
 * Protomaps basemap schema that `@protomaps/basemaps` draws (https://docs.protomaps.com/basemaps/layers):
 * `roads` (kind highway | major_road | minor_road | path, kind_detail, is_link/is_bridge/is_tunnel,
 * name), `water` (lake/water polygons, river/stream lines), `landuse` (park, forest, school…),
 * `places` (locality / neighbourhood points with a name) and `earth` (the extract's land).
 *
 * Two streaming passes, as the road import reads its file (server/routing/osm-reader.ts): ways and
 * place nodes first, keeping the ids of the nodes those ways use; then just those nodes'
 * positions, kept in sorted typed arrays (24 bytes a node). Memory follows what is drawn in the
 * extract, never the file's every node. Multipolygon relations (large lakes, forests drawn as
 * relations) and coastlines are not read: an inland city draws right; a coastal one shows land
 * where the sea is (its water areas drawn as closed ways still show).
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { forEachBlock } from '../../../server/routing/osm-reader.js';

export const BASEMAP_LAYERS = ['earth', 'landuse', 'water', 'roads', 'places'] as const;
export type BasemapLayer = (typeof BASEMAP_LAYERS)[number];

type Props = Record<string, string | number | boolean>;
type Tags = Record<string, string>;

/** What one way becomes: its layer, properties and the zoom it first shows at. */
interface Kind {
  layer: BasemapLayer;
  props: Props;
  minZoom: number;
  /** Drawn as an area (closed way) rather than a line. */
  area: boolean;
}

const WAY_TAGS = [
  'highway', 'name', 'name:en', 'bridge', 'tunnel', 'waterway', 'natural', 'water', 'landuse',
  'leisure', 'amenity', 'aeroway', 'area', 'layer',
];
const NODE_TAGS = ['place', 'name', 'name:en', 'capital'];

const ROADS: Record<string, { kind: string; minZoom: number }> = {
  motorway: { kind: 'highway', minZoom: 6 },
  trunk: { kind: 'highway', minZoom: 6 },
  primary: { kind: 'major_road', minZoom: 7 },
  secondary: { kind: 'major_road', minZoom: 9 },
  tertiary: { kind: 'major_road', minZoom: 10 },
  residential: { kind: 'minor_road', minZoom: 12 },
  unclassified: { kind: 'minor_road', minZoom: 12 },
  living_street: { kind: 'minor_road', minZoom: 12 },
  road: { kind: 'minor_road', minZoom: 12 },
  service: { kind: 'minor_road', minZoom: 13 },
  pedestrian: { kind: 'path', minZoom: 13 },
  footway: { kind: 'path', minZoom: 14 },
  path: { kind: 'path', minZoom: 14 },
  cycleway: { kind: 'path', minZoom: 14 },
  steps: { kind: 'path', minZoom: 14 },
  track: { kind: 'path', minZoom: 13 },
  bridleway: { kind: 'path', minZoom: 14 },
};

/** landuse/leisure/natural/amenity values → the schema's landuse kinds. */
const LANDUSE: Record<string, string> = {
  park: 'park', garden: 'park', forest: 'forest', wood: 'wood', grass: 'grass', meadow: 'grass',
  scrub: 'scrub', grassland: 'grassland', heath: 'scrub', cemetery: 'cemetery', hospital: 'hospital',
  school: 'school', university: 'university', college: 'college', industrial: 'industrial',
  aerodrome: 'aerodrome', glacier: 'glacier', allotments: 'allotments', playground: 'playground',
  village_green: 'village_green', beach: 'beach', sand: 'sand', pitch: 'playground', zoo: 'zoo',
};

const PLACES: Record<string, { kind: string; minZoom: number }> = {
  city: { kind: 'locality', minZoom: 4 },
  town: { kind: 'locality', minZoom: 7 },
  village: { kind: 'locality', minZoom: 10 },
  hamlet: { kind: 'locality', minZoom: 12 },
  suburb: { kind: 'macrohood', minZoom: 11 },
  quarter: { kind: 'neighbourhood', minZoom: 13 },
  neighbourhood: { kind: 'neighbourhood', minZoom: 13 },
};

function named(tags: Tags): Props {
  const props: Props = {};
  if (tags.name) props.name = tags.name;
  if (tags['name:en']) props['name:en'] = tags['name:en'];
  return props;
}

export function kindOfWay(tags: Tags, closed: boolean): Kind | null {
  const highway = tags.highway;
  if (highway) {
    const link = highway.endsWith('_link');
    const road = ROADS[link ? highway.slice(0, -5) : highway];
    if (!road || tags.area === 'yes') return null;
    const props: Props = { kind: road.kind, kind_detail: highway, ...named(tags), min_zoom: road.minZoom };
    if (link) props.is_link = true;
    if (tags.bridge && tags.bridge !== 'no') props.is_bridge = true;
    if (tags.tunnel && tags.tunnel !== 'no') props.is_tunnel = true;
    return { layer: 'roads', props, minZoom: link ? Math.max(road.minZoom, 11) : road.minZoom, area: false };
  }
  const waterway = tags.waterway;
  if (waterway === 'riverbank' && closed) return { layer: 'water', props: { kind: 'water', ...named(tags), min_zoom: 9 }, minZoom: 9, area: true };
  if (waterway === 'river') return { layer: 'water', props: { kind: 'river', ...named(tags), min_zoom: 9 }, minZoom: 9, area: false };
  if (waterway === 'stream' || waterway === 'canal' || waterway === 'ditch') {
    return { layer: 'water', props: { kind: 'stream', ...named(tags), min_zoom: 13 }, minZoom: 13, area: false };
  }
  if (!closed) return null;
  if (tags.natural === 'water' || tags.landuse === 'reservoir' || tags.landuse === 'basin') {
    const kind = tags.water === 'lake' || tags.water === 'reservoir' ? 'lake' : 'water';
    return { layer: 'water', props: { kind, ...named(tags), min_zoom: 8 }, minZoom: 8, area: true };
  }
  const landuse =
    LANDUSE[tags.leisure ?? ''] ?? LANDUSE[tags.landuse ?? ''] ?? LANDUSE[tags.natural ?? ''] ??
    LANDUSE[tags.amenity ?? ''] ?? LANDUSE[tags.aeroway ?? ''];
  if (landuse) return { layer: 'landuse', props: { kind: landuse, min_zoom: 9 }, minZoom: 9, area: true };
  return null;
}

/** Sorted node ids and their positions; a lookup is a binary search. */
class NodePositions {
  private filled = 0;
  private readonly lng: Float64Array;
  private readonly lat: Float64Array;
  constructor(private readonly ids: Float64Array) {
    this.lng = new Float64Array(ids.length).fill(NaN);
    this.lat = new Float64Array(ids.length).fill(NaN);
  }
  private indexOf(id: number): number {
    let lo = 0;
    let hi = this.ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.ids[mid]!;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
  set(id: number, lng: number, lat: number): void {
    const i = this.indexOf(id);
    if (i < 0) return;
    this.lng[i] = lng;
    this.lat[i] = lat;
    this.filled++;
  }
  get(id: number): [number, number] | null {
    const i = this.indexOf(id);
    return i < 0 || Number.isNaN(this.lng[i]!) ? null : [this.lng[i]!, this.lat[i]!];
  }
  get count() {
    return this.filled;
  }
}

export interface BasemapFeatures {
  layers: Record<BasemapLayer, FeatureCollection>;
  /** [minLng, minLat, maxLng, maxLat] of everything read. */
  bounds: [number, number, number, number];
  counts: Record<BasemapLayer, number> & { nodesKept: number };
}

export async function readBasemapFeatures(
  path: string,
  onProgress: (text: string) => void = () => {},
): Promise<BasemapFeatures> {
  const ways: Array<{ refs: number[]; kind: Kind }> = [];
  const places: Feature[] = [];
  let needed: number[] = [];
  let sortedNeeded: Float64Array | null = null;
  const bounds: [number, number, number, number] = [180, 90, -180, -90];
  const grow = (lng: number, lat: number) => {
    if (lng < bounds[0]) bounds[0] = lng;
    if (lat < bounds[1]) bounds[1] = lat;
    if (lng > bounds[2]) bounds[2] = lng;
    if (lat > bounds[3]) bounds[3] = lat;
  };
  // Pass 1: the ways drawn, the place nodes (their own positions), the ids of the ways' nodes.
  await forEachBlock(path, { node: NODE_TAGS, way: WAY_TAGS, relation: false }, (items) => {
    for (const item of items) {
      if (item.type === 'node' && item.tags?.place && item.tags.name) {
        const place = PLACES[item.tags.place];
        if (!place) continue;
        grow(item.lon!, item.lat!);
        places.push({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [item.lon!, item.lat!] },
          properties: {
            kind: place.kind,
            kind_detail: item.tags.place,
            ...named(item.tags),
            min_zoom: place.minZoom,
            ...(item.tags.capital === 'yes' ? { capital: 'yes' } : {}),
          },
        });
      } else if (item.type === 'way' && item.tags && item.refs && item.refs.length >= 2) {
        const closed = item.refs.length >= 4 && item.refs[0] === item.refs.at(-1);
        const kind = kindOfWay(item.tags, closed);
        if (!kind) continue;
        ways.push({ refs: item.refs, kind });
        for (const id of item.refs) needed.push(id);
      }
    }
    // Keep the id list compact as it grows: sorted, without repeats.
    if (needed.length > 4_000_000) {
      sortedNeeded = mergeUnique(sortedNeeded, needed);
      needed = [];
    }
    onProgress(`pass 1: ${ways.length} ways, ${places.length} places`);
  });
  sortedNeeded = mergeUnique(sortedNeeded, needed);
  needed = [];
  const positions = new NodePositions(sortedNeeded);
  // Pass 2: positions of just those nodes.
  await forEachBlock(path, { node: false, way: false, relation: false }, (items) => {
    for (const item of items) if (item.type === 'node') positions.set(item.id!, item.lon!, item.lat!);
    onProgress(`pass 2: ${positions.count} node positions`);
  });

  const layers = Object.fromEntries(
    BASEMAP_LAYERS.map((l) => [l, { type: 'FeatureCollection', features: [] as Feature[] }]),
  ) as Record<BasemapLayer, FeatureCollection>;
  layers.places.features.push(...places);
  for (const { refs, kind } of ways) {
    const coords: [number, number][] = [];
    for (const id of refs) {
      const at = positions.get(id);
      // A node outside the extract: the way is cut there (its drawn part stays).
      if (at) {
        coords.push(at);
        grow(at[0], at[1]);
      }
    }
    if (coords.length < (kind.area ? 4 : 2)) continue;
    const geometry: Geometry = kind.area
      ? { type: 'Polygon', coordinates: [closeRing(coords)] }
      : { type: 'LineString', coordinates: coords };
    layers[kind.layer].features.push({ type: 'Feature', geometry, properties: kind.props });
  }
  if (bounds[0] > bounds[2]) throw new Error(`${path}: nothing to draw (no roads, water, land use or places)`);
  // The land: the extract's box (no coastline processing; see the module comment).
  const [w, s, e, n] = bounds;
  layers.earth.features.push({
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
    properties: { kind: 'earth', min_zoom: 0 },
  });
  const counts = Object.fromEntries(BASEMAP_LAYERS.map((l) => [l, layers[l].features.length])) as Record<BasemapLayer, number>;
  return { layers, bounds, counts: { ...counts, nodesKept: positions.count } };
}

function closeRing(coords: [number, number][]): [number, number][] {
  const first = coords[0]!;
  const last = coords.at(-1)!;
  return first[0] === last[0] && first[1] === last[1] ? coords : [...coords, first];
}

function mergeUnique(sorted: Float64Array | null, more: number[]): Float64Array {
  const all = new Float64Array((sorted?.length ?? 0) + more.length);
  if (sorted) all.set(sorted);
  all.set(more, sorted?.length ?? 0);
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i]!;
  return all.slice(0, n);
}
