import type { AppDatabase } from '../../db/client.js';
import { notFound } from '../../http/errors.js';
import { stationToFeature } from '../stations/station-feature.js';
import { firstMatches, stationFeatureJson } from '../stations/snapshot-query.js';
import type { StationMirror } from '../stations/station-mirror.js';
import { findStationById, type StationFilter } from '../stations/stations.repository.js';
import { describeStationHours } from '../stations/station-hours.js';
import { listBoundaries } from './collections.repository.js';
import { levelExists } from '../areas/areas.repository.js';
import { describeRegion } from '../areas/areas.service.js';
import { collectionIdOfLevel, LEGACY_LEVEL_COLLECTIONS } from './collections.schemas.js';

export interface Link {
  href: string;
  rel: string;
  type: string;
  title?: string;
}

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

export interface CollectionDescription {
  id: string;
  title: string;
  description: string;
  extent: { spatial: { bbox: number[][]; crs: string } } | null;
  itemType: 'feature';
  links: Link[];
}

/**
 * Every collection with titles and extents from the loaded areas and the deployment's name:
 * `stations`, `areas`, then one per level from the top.
 */
export async function describeCollections(
  db: AppDatabase,
  deploymentName: string | undefined,
  baseUrl: string,
): Promise<CollectionDescription[]> {
  const region = await describeRegion(db, { deploymentName });
  const place = region.name ? `${region.name}: ` : '';
  const spatial = (bbox: number[] | null) => (bbox ? { spatial: { bbox: [bbox], crs: CRS84 } } : null);
  const entry = (id: string, title: string, description: string, bbox: number[] | null) => ({
    id,
    title,
    description,
    extent: spatial(bbox),
    itemType: 'feature' as const,
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
      region.extent,
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

/** The FeatureCollection as text: features come serialised from PostGIS and are not re-parsed. */
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
  return `{"type":"FeatureCollection","features":[${features}],"numberReturned":${items.length},"timeStamp":"${new Date().toISOString()}","links":${links}}`;
}

export async function stationItem(db: AppDatabase, id: number, now = new Date()) {
  const station = await findStationById(db, id);
  if (!station) throw notFound(`Station not found: ${id}`);
  return stationToFeature(station, { hours: describeStationHours(station, now) });
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
  const rows = await listBoundaries(db, {
    level,
    bbox: query.bbox,
    parentCode: query.parent ?? query.district,
    simplifyMetres: query.simplify,
    limit: page.limit + 1,
    offset: page.offset,
  });
  const { items, links } = pageLinks(rows, page);
  return {
    type: 'FeatureCollection' as const,
    features: items.map(({ geometry, ...properties }) => ({
      type: 'Feature' as const,
      id: properties.code,
      geometry,
      properties,
    })),
    numberReturned: items.length,
    links,
  };
}

export async function boundaryItem(db: AppDatabase, level: string | undefined, code: string) {
  const [row] = await listBoundaries(db, { level, code, simplifyMetres: 0, limit: 1, offset: 0 });
  if (!row) throw notFound(`Area not found${level ? ` at the level "${level}"` : ''}: ${code}`);
  const { geometry, ...properties } = row;
  return { type: 'Feature' as const, id: row.code, geometry, properties };
}
