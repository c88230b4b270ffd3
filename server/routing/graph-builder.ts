/**
 * Turns OSM ways into routing edges: each way is split at intersections (nodes shared with another
 * way, or used twice by the same way) and at its ends, and every piece gets its geometry, length,
 * name and per-profile travel times.
 *
 * The output is plain rows, the same shape as the `road_edges` / `road_nodes` tables, so one
 * representation feeds both the in-memory `RoadGraph` and the database import.
 */
import { haversineMetres, type LngLat } from './geo.js';
import type { OsmRoadData, OsmWay } from './osm-reader.js';
import { PROFILES, waySpeeds, type DirectionalSpeeds, type ProfileName } from './profiles.js';

export interface RoadNodeRow {
  /** Dense id, 0‥n-1. */
  id: number;
  osmId: number;
  lng: number;
  lat: number;
}

export interface RoadEdgeRow {
  /** Dense id, 0‥n-1. */
  id: number;
  source: number;
  target: number;
  /** `[lng, lat]` from the source node to the target node, both included. */
  coordinates: LngLat[];
  lengthM: number;
  /** Street name, or the road's ref ("CG-2") when it has no name. */
  name: string | null;
  highway: string;
  osmWayId: number;
  /** Seconds source→target (fwd) and target→source (bwd); `null` means no access. */
  walkFwdS: number | null;
  walkBwdS: number | null;
  bikeFwdS: number | null;
  bikeBwdS: number | null;
  driveFwdS: number | null;
  driveBwdS: number | null;
}

export interface RoadNetworkRows {
  nodes: RoadNodeRow[];
  edges: RoadEdgeRow[];
}

/** Which row fields hold a profile's forward and backward seconds. */
export const PROFILE_TIME_FIELDS = {
  walk: ['walkFwdS', 'walkBwdS'],
  bike: ['bikeFwdS', 'bikeBwdS'],
  drive: ['driveFwdS', 'driveBwdS'],
} as const satisfies Record<ProfileName, readonly [keyof RoadEdgeRow, keyof RoadEdgeRow]>;

interface UsableWay {
  way: OsmWay;
  /** Runs of consecutive nodes whose coordinates are known; a missing node cuts the way. */
  runs: number[][];
  speeds: Record<ProfileName, DirectionalSpeeds>;
}

export function buildRoadNetwork(data: OsmRoadData): RoadNetworkRows {
  const usable = collectUsableWays(data);

  const useCount = new Map<number, number>();
  for (const { runs } of usable) {
    for (const run of runs) for (const id of run) useCount.set(id, (useCount.get(id) ?? 0) + 1);
  }

  const nodes: RoadNodeRow[] = [];
  const nodeIndex = new Map<number, number>();
  const nodeIdFor = (osmId: number): number => {
    let index = nodeIndex.get(osmId);
    if (index === undefined) {
      const [lng, lat] = data.nodeCoords.get(osmId)!;
      index = nodes.length;
      nodes.push({ id: index, osmId, lng, lat });
      nodeIndex.set(osmId, index);
    }
    return index;
  };

  const edges: RoadEdgeRow[] = [];
  for (const { way, runs, speeds } of usable) {
    for (const run of runs) {
      let start = 0;
      for (let i = 1; i < run.length; i++) {
        const isLast = i === run.length - 1;
        if (!isLast && useCount.get(run[i])! < 2) continue;
        const coordinates = run.slice(start, i + 1).map((id) => data.nodeCoords.get(id)!);
        edges.push(
          makeEdge(
            edges.length,
            nodeIdFor(run[start]),
            nodeIdFor(run[i]),
            coordinates,
            way,
            speeds,
          ),
        );
        start = i;
      }
    }
  }
  return { nodes, edges };
}

function collectUsableWays(data: OsmRoadData): UsableWay[] {
  const usable: UsableWay[] = [];
  for (const way of data.ways) {
    const speeds = {} as Record<ProfileName, DirectionalSpeeds>;
    let anyAccess = false;
    for (const profile of PROFILES) {
      speeds[profile] = waySpeeds(profile, way.tags);
      anyAccess ||= speeds[profile].forwardKmh !== null || speeds[profile].backwardKmh !== null;
    }
    if (!anyAccess) continue;
    const runs = splitAtMissingNodes(way.nodeIds, data.nodeCoords);
    if (runs.length > 0) usable.push({ way, runs, speeds });
  }
  return usable;
}

function splitAtMissingNodes(nodeIds: number[], coords: Map<number, LngLat>): number[][] {
  const runs: number[][] = [];
  let current: number[] = [];
  for (const id of nodeIds) {
    if (!coords.has(id)) {
      if (current.length >= 2) runs.push(current);
      current = [];
      continue;
    }
    // Repeated consecutive ids (a mapping error) would make zero-length edges.
    if (current[current.length - 1] !== id) current.push(id);
  }
  if (current.length >= 2) runs.push(current);
  return runs;
}

function makeEdge(
  id: number,
  source: number,
  target: number,
  coordinates: LngLat[],
  way: OsmWay,
  speeds: Record<ProfileName, DirectionalSpeeds>,
): RoadEdgeRow {
  let lengthM = 0;
  for (let i = 1; i < coordinates.length; i++) {
    const [lng1, lat1] = coordinates[i - 1];
    const [lng2, lat2] = coordinates[i];
    lengthM += haversineMetres(lng1, lat1, lng2, lat2);
  }
  // Lengths and times are rounded to float32 here, once: the in-memory graph stores float32 and the
  // database stores `real`, so every consumer sees exactly the same numbers.
  lengthM = Math.fround(lengthM);
  const seconds = (kmh: number | null) =>
    kmh === null ? null : Math.fround(lengthM / (kmh / 3.6));
  return {
    id,
    source,
    target,
    coordinates,
    lengthM,
    name: way.tags.name ?? way.tags.ref ?? null,
    highway: way.tags.highway,
    osmWayId: way.id,
    walkFwdS: seconds(speeds.walk.forwardKmh),
    walkBwdS: seconds(speeds.walk.backwardKmh),
    bikeFwdS: seconds(speeds.bike.forwardKmh),
    bikeBwdS: seconds(speeds.bike.backwardKmh),
    driveFwdS: seconds(speeds.drive.forwardKmh),
    driveBwdS: seconds(speeds.drive.backwardKmh),
  };
}
