import type { AppDatabase } from '../../db/client.js';
import { notFound } from '../../http/errors.js';
import { stationToFeature } from '../stations/station-feature.js';
import {
  countMatches,
  firstMatches,
  stationFeatureJson,
  stationsExtent,
} from '../stations/snapshot-query.js';
import type { StationMirror } from '../stations/station-mirror.js';
import { findStationById, type StationFilter } from '../stations/stations.repository.js';
import { describeStationHours } from '../stations/station-hours.js';
import { countBoundaries, listBoundaries } from './collections.repository.js';
import { levelExists } from '../areas/areas.repository.js';
import { describeRegion } from '../areas/areas.service.js';
import { collectionIdOfLevel, LEGACY_LEVEL_COLLECTIONS } from './collections.schemas.js';

export interface Link {
  href: string;
  rel: string;
  type: string;
  title?: string;
}

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

export interface CollectionDescription {
  id: string;
  title: string;
  description: string;
  extent?: { spatial: { bbox: number[][]; crs: string } };
  itemType: 'feature';
  /** Everything is stored and served in WGS-84 longitude/latitude. */
  crs: string[];
  storageCrs: string;
  links: Link[];
}

/**
 * Every collection with titles and extents from the loaded data and the deployment's name:
 * `stations` (extent: the stations', else the region's), `areas`, then one per level from the top.
 */
export async function describeCollections(
  db: AppDatabase,
  deploymentName: string | undefined,
  baseUrl: string,
  stations?: StationMirror,
): Promise<CollectionDescription[]> {
  const [region, current] = await Promise.all([
    describeRegion(db, { deploymentName }),
    stations?.current(),
  ]);
  const place = region.name ? `${region.name}: ` : '';
  const stationsBox = current ? stationsExtent(current.snapshot) : null;
  const entry = (id: string, title: string, description: string, bbox: number[] | null) => ({
    id,
    title,
    description,
    ...(bbox ? { extent: { spatial: { bbox: [bbox], crs: CRS84 } } } : {}),
    itemType: 'feature' as const,
    crs: [CRS84],
    storageCrs: CRS84,
    links: [
      { href: `${baseUrl}/api/collections/${id}`, rel: 'self', type: 'application/json' },
      { href: `${baseUrl}/api/collections/${id}/items`, rel: 'items', type: GEOJSON },
    ],
  });
  const total = region.levels.reduce((n, l) => n + l.count, 0);
  return [
    entry(
      'stations',
      `${place}rest stations for outdoor workers (暖心驿站)`,
      'Stations with amenities, opening hours and closures. Items flagged is_sample are generated samples, not real stations.',
      stationsBox ?? region.extent,
    ),
    entry(
      'areas',
      `${place}areas of every level`,
      `${total} areas in ${region.levels.length} levels (${region.levels.map((l) => l.name).join(', ') || 'none loaded'}), WGS-84; level= selects one`,
      region.extent,
    ),
    ...region.levels.map((level) =>
      entry(
        collectionIdOfLevel(level.name),
        `${place}${level.label_en ?? level.name} (${level.label})`,
        `${level.count} areas of the level "${level.name}", WGS-84`,
        level.extent,
      ),
    ),
  ];
}

/** The level a collection id stands for; null for stations, undefined when unknown. */
export async function levelOfCollection(
  db: AppDatabase,
  id: string,
): Promise<string | null | undefined> {
  if (id === 'stations' || id === 'areas') return null;
  const level = LEGACY_LEVEL_COLLECTIONS[id] ?? id;
  return (await levelExists(db, level)) ? level : undefined;
}

const GEOJSON = 'application/geo+json';

export interface PageRequest {
  limit: number;
  offset: number;
  /** The request's own URL without limit/offset, used to build next/prev links. */
  selfUrl: URL;
}

function pageLinkList(hasMore: boolean, page: PageRequest): Link[] {
  const link = (rel: string, offset: number): Link => {
    const url = new URL(page.selfUrl);
    url.searchParams.set('limit', String(page.limit));
    url.searchParams.set('offset', String(offset));
    return { href: url.toString(), rel, type: 'application/geo+json' };
  };
  const links = [link('self', page.offset)];
  if (hasMore) links.push(link('next', page.offset + page.limit));
  if (page.offset > 0) links.push(link('prev', Math.max(0, page.offset - page.limit)));
  return links;
}

/** Fetches one extra row to know whether a next page exists without counting the whole table. */
function pageLinks<T>(rows: T[], page: PageRequest): { items: T[]; links: Link[] } {
  return { items: rows.slice(0, page.limit), links: pageLinkList(rows.length > page.limit, page) };
}

/**
 * A page of station Features as GeoJSON text, from the station mirror (synced first, so it is the
 * database's content as of this request): filters as in `stationConditions`, id order, one extra
 * match looked at to know whether a next page exists.
 */
export async function stationItemsJson(
  mirror: StationMirror,
  filter: StationFilter,
  page: PageRequest,
): Promise<string> {
  const { snapshot } = await mirror.current();
  // One more than the page, to know whether a next page exists without finding every match.
  const matching = firstMatches(snapshot, filter, page.offset + page.limit + 1);
  const items = matching.slice(page.offset, page.offset + page.limit);
  const hasMore = matching.length > page.offset + page.limit;
  const links = JSON.stringify(pageLinkList(hasMore, page));
  const features = items.map(stationFeatureJson).join(',');
  const matched = countMatches(snapshot, filter);
  return `{"type":"FeatureCollection","features":[${features}],"numberMatched":${matched},"numberReturned":${items.length},"timeStamp":"${new Date().toISOString()}","links":${links}}`;
}

/** A single feature's links (OGC /req/core/f-links): itself and its collection. */
export function featureLinks(baseUrl: string, collectionId: string, featureId: string | number): Link[] {
  const collection = `${baseUrl}/api/collections/${encodeURIComponent(collectionId)}`;
  return [
    { href: `${collection}/items/${encodeURIComponent(String(featureId))}`, rel: 'self', type: GEOJSON },
    { href: collection, rel: 'collection', type: 'application/json' },
  ];
}

export async function stationItem(db: AppDatabase, id: number, baseUrl: string, now = new Date()) {
  const station = await findStationById(db, id);
  if (!station) throw notFound(`Station not found: ${id}`);
  return {
    ...stationToFeature(station, { hours: describeStationHours(station, now) }),
    links: featureLinks(baseUrl, 'stations', id),
  };
}

export async function boundaryItems(
  db: AppDatabase,
  level: string | undefined,
  query: {
    bbox?: [number, number, number, number];
    parent?: string;
    district?: string;
    simplify: number;
  },
  page: PageRequest,
) {
  const filter = { level, bbox: query.bbox, parentCode: query.parent ?? query.district };
  const [rows, matched] = await Promise.all([
    listBoundaries(db, {
      ...filter,
      simplifyMetres: query.simplify,
      limit: page.limit + 1,
      offset: page.offset,
    }),
    countBoundaries(db, filter),
  ]);
  const { items, links } = pageLinks(rows, page);
  return {
    type: 'FeatureCollection' as const,
    features: items.map(({ geometry, ...properties }) => ({
      type: 'Feature' as const,
      id: properties.code,
      geometry,
      properties,
    })),
    numberMatched: matched,
    numberReturned: items.length,
    timeStamp: new Date().toISOString(),
    links,
  };
}

export async function boundaryItem(
  db: AppDatabase,
  collectionId: string,
  level: string | undefined,
  code: string,
  baseUrl: string,
) {
  const [row] = await listBoundaries(db, { level, code, simplifyMetres: 0, limit: 1, offset: 0 });
  if (!row) throw notFound(`Area not found${level ? ` at the level "${level}"` : ''}: ${code}`);
  const { geometry, ...properties } = row;
  return {
    type: 'Feature' as const,
    id: row.code,
    geometry,
    properties,
    links: featureLinks(baseUrl, collectionId, row.code),
  };
}
