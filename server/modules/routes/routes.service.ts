/**
 * Plans a route between two points (or to a station) on the imported road network: snap both ends
 * to the nearest road the mode may use, search the in-memory graph (contraction hierarchy when
 * loaded), and answer with a GeoJSON LineString Feature carrying distance, duration and steps.
 *
 * Snapping runs on the loaded graph's `SnapIndex`, not in SQL: no round trip per end, and the snap
 * always belongs to the graph searched. It picks the edge and point the PostGIS KNN snap
 * (`findNearbyEdges`) picks: nearest usable edge, lowest id on a tie, the point located in planar
 * degrees like `ST_LineLocatePoint` (test/integration/routes-hierarchy.test.ts checks both agree).
 */
import type { Logger } from 'pino';
import type { AppDatabase } from '../../db/client.js';
import { geodesicDistanceM } from '../../geo/geodesic.js';
import { HttpError, notFound, type Bilingual } from '../../http/errors.js';
import {
  metreFractionFromPlanar,
  planarLocate,
  pointAtFraction,
  routeCoordinates,
} from '../../routing/edge-geometry.js';
import type { LngLat } from '../../routing/geo.js';
import type { ProfileName } from '../../routing/profiles.js';
import type { EdgeSnap, Route } from '../../routing/search.js';
import { routeSteps } from '../../routing/steps.js';
import { findStationById } from '../stations/stations.repository.js';
import { RoadNetworkCache, type LoadedRoadNetwork } from './road-network-cache.js';
import { MAX_SNAP_DISTANCE_M, type RouteQuery } from './routes.schemas.js';

type End = 'from' | 'to';

export interface SnappedEnd {
  snap: EdgeSnap;
  /** Where the route starts or ends on the road. */
  point: LngLat;
  /** Metres from the requested point to the road. */
  distanceM: number;
}

export interface RouteFeature {
  type: 'Feature';
  geometry: { type: 'LineString'; coordinates: LngLat[] };
  properties: {
    mode: ProfileName;
    distance_m: number;
    duration_s: number;
    steps: Array<{ name: string | null; highway: string; distance_m: number; duration_s: number }>;
    from: { requested: LngLat; snapped: LngLat; snap_distance_m: number };
    to: { requested: LngLat; snapped: LngLat; snap_distance_m: number; station_id?: number };
  };
}

/**
 * A route that cannot be made: `error` stays the English sentence API clients read; both
 * languages ride in `details` (as localized-errors.ts sends them), which the worker page shows.
 */
const unprocessable = (message: Bilingual) =>
  new HttpError(422, message.en, { message_zh: message.zh, message_en: message.en });
const MODE_ZH: Record<ProfileName, string> = { walk: '步行', bike: '骑行', drive: '驾车' };
const END_ZH: Record<End, string> = { from: '起点', to: '终点' };
const round1 = (value: number) => Math.round(value * 10) / 10;

export class RoutePlanner {
  private readonly networks: RoadNetworkCache;

  /** Pass the app's shared cache so the road graph is held in memory once. */
  constructor(
    private readonly db: AppDatabase,
    networks?: RoadNetworkCache,
    log?: Logger,
  ) {
    this.networks = networks ?? new RoadNetworkCache(db, log);
  }

  async plan(query: RouteQuery): Promise<RouteFeature> {
    const network = await this.currentNetwork();
    const destination = await this.destinationOf(query);
    const mode = query.mode;
    const ends: Record<End, SnappedEnd> = {
      from: snapEnd(network, 'from', query.from, mode),
      to: snapEnd(network, 'to', destination, mode),
    };
    const { from, to } = ends;
    const route = this.networks.routerFor(network, mode).route(from.snap, to.snap);
    if (!route) throw unprocessable(unreachableMessage(network, mode, from.snap, to.snap));
    return this.toFeature(network, route, mode, ends, query, destination);
  }

  private async currentNetwork(): Promise<LoadedRoadNetwork> {
    const network = await this.networks.current();
    if (!network) {
      throw new HttpError(503, 'No road network imported yet: run npm run import:osm -- FILE');
    }
    return network;
  }

  private async destinationOf(query: RouteQuery): Promise<LngLat> {
    if (query.to) return query.to;
    const station = await findStationById(this.db, query.station!);
    if (!station) throw notFound(`Station not found: ${query.station}`);
    return [Number(station.lng), Number(station.lat)];
  }

  private toFeature(
    { graph }: LoadedRoadNetwork,
    route: Route,
    mode: ProfileName,
    ends: Record<End, SnappedEnd>,
    query: RouteQuery,
    destination: LngLat,
  ): RouteFeature {
    const coordinates = routeCoordinates(graph, route);
    // Both ends on the same spot still make a valid LineString (GeoJSON needs two positions).
    if (coordinates.length === 0) coordinates.push(ends.from.point);
    if (coordinates.length === 1) coordinates.push(coordinates[0]);
    const steps = routeSteps(graph, route).map((step) => ({
      name: step.name,
      highway: step.highway,
      distance_m: round1(step.distanceM),
      duration_s: round1(step.durationS),
    }));
    return {
      type: 'Feature',
      geometry: { type: 'LineString', coordinates },
      properties: {
        mode,
        distance_m: round1(route.distanceM),
        duration_s: round1(route.durationS),
        steps,
        from: {
          requested: query.from,
          snapped: ends.from.point,
          snap_distance_m: round1(ends.from.distanceM),
        },
        to: {
          requested: destination,
          snapped: ends.to.point,
          snap_distance_m: round1(ends.to.distanceM),
          ...(query.station !== undefined ? { station_id: query.station } : {}),
        },
      },
    };
  }
}

/** The nearest point on a road `mode` may use, or 422 when none is within reach. */
function snapEnd(
  network: LoadedRoadNetwork,
  end: End,
  point: LngLat,
  mode: ProfileName,
): SnappedEnd {
  const snapped = snapToNetwork(network, point, mode);
  if (!snapped) {
    throw unprocessable({
      en: `${end} (${point.join(',')}) is more than ${MAX_SNAP_DISTANCE_M / 1000} km from any road usable by ${mode}`,
      zh: `${END_ZH[end]}（${point.join(',')}）距离可${MODE_ZH[mode]}的道路超过 ${MAX_SNAP_DISTANCE_M / 1000} km`,
    });
  }
  return snapped;
}

/** The in-memory snap: the edge, fraction and point the SQL snap gives, or null past 1 km. */
export function snapToNetwork(
  network: LoadedRoadNetwork,
  [lng, lat]: LngLat,
  mode: ProfileName,
): SnappedEnd | null {
  const nearest = network.snaps.nearest(lng, lat, {
    maxDistanceM: MAX_SNAP_DISTANCE_M,
    profile: mode,
  });
  if (!nearest) return null;
  const { graph } = network;
  const { edgeId } = nearest;
  // Located in planar degrees then converted, exactly as the SQL snap does.
  const fraction = metreFractionFromPlanar(graph, edgeId, planarLocate(graph, edgeId, lng, lat));
  return {
    snap: { edgeId, fraction },
    point: pointAtFraction(graph, edgeId, fraction),
    // Measured on the ellipsoid to the nearest point, as PostGIS measures geography.
    distanceM: geodesicDistanceM(lng, lat, nearest.point[0], nearest.point[1]),
  };
}

/**
 * Says which end is stranded: when the two ends lie on different islands of the mode's network,
 * the end on the smaller island; otherwise one-way streets leave no way from `from` to `to`.
 */
function unreachableMessage(
  { graph, islands }: LoadedRoadNetwork,
  mode: ProfileName,
  from: EdgeSnap,
  to: EdgeSnap,
): Bilingual {
  const { islandOf, islandSize } = islands[mode];
  const fromIsland = islandOf[graph.edgeSource[from.edgeId]];
  const toIsland = islandOf[graph.edgeSource[to.edgeId]];
  if (fromIsland === toIsland) {
    return {
      en: `to cannot be reached by ${mode} from from: one-way streets leave no way there`,
      zh: `按${MODE_ZH[mode]}无法从起点到达终点：单行道没有通往那里的路`,
    };
  }
  const stranded: End = islandSize[fromIsland] < islandSize[toIsland] ? 'from' : 'to';
  const roads = islandSize[islandOf[graph.edgeSource[(stranded === 'from' ? from : to).edgeId]]];
  return {
    en:
      `${stranded} cannot be reached by ${mode}: its nearest road belongs to a part of the ` +
      `network (${roads} junctions) that is not connected to the other end`,
    zh: `${END_ZH[stranded]}按${MODE_ZH[mode]}无法到达：它最近的道路属于与另一端不连通的一段路网（${roads} 个路口）`,
  };
}
