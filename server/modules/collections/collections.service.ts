import type { AppDatabase } from '../../db/client.js';
import { notFound } from '../../http/errors.js';
import { stationToFeature } from '../stations/station-feature.js';
import { firstMatches, stationFeatureJson } from '../stations/snapshot-query.js';
import type { StationMirror } from '../stations/station-mirror.js';
import { findStationById, type StationFilter } from '../stations/stations.repository.js';
import { describeStationHours } from '../stations/station-hours.js';
import { listBoundaries } from './collections.repository.js';
import type { CollectionId } from './collections.schemas.js';

export interface Link {
  href: string;
  rel: string;
  type: string;
  title?: string;
}

export const COLLECTION_METADATA: Record<CollectionId, { title: string; description: string }> = {
  stations: {
    title: 'Rest stations for outdoor workers (暖心驿站)',
    description:
      'Stations with amenities, opening hours and closures. Items flagged is_sample are generated samples, not real stations.',
  },
  districts: { title: 'Beijing districts (区)', description: '16 districts, WGS-84' },
  subdistricts: {
    title: 'Beijing sub-districts (街道/乡/镇)',
    description: 'Sub-districts, WGS-84; empty when only the coarse fallback boundaries are loaded',
  },
};

export function collectionDescription(id: CollectionId, baseUrl: string) {
  return {
    id,
    ...COLLECTION_METADATA[id],
    extent: { spatial: { bbox: [[115.4, 39.4, 117.5, 41.1]], crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84' } },
    itemType: 'feature',
    links: [
      { href: `${baseUrl}/api/collections/${id}`, rel: 'self', type: 'application/json' },
      { href: `${baseUrl}/api/collections/${id}/items`, rel: 'items', type: 'application/geo+json' },
    ],
  };
}

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
  level: 'districts' | 'subdistricts',
  query: { bbox?: [number, number, number, number]; district?: string; simplify: number },
  page: PageRequest,
) {
  const rows = await listBoundaries(db, level, {
    bbox: query.bbox,
    districtCode: query.district,
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

export async function boundaryItem(
  db: AppDatabase,
  level: 'districts' | 'subdistricts',
  code: string,
) {
  const [row] = await listBoundaries(db, level, { code, simplifyMetres: 0, limit: 1, offset: 0 });
  if (!row) throw notFound(`${level === 'districts' ? 'District' : 'Sub-district'} not found: ${code}`);
  const { geometry, ...properties } = row;
  return { type: 'Feature' as const, id: row.code, geometry, properties };
}
