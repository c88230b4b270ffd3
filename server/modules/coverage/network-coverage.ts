/**
 * Coverage under a network rule, from one multi-source search: the reached street pieces
 * (network-reach.ts) give each area's covered km² (a band of `radiusM` either side, measured by the
 * row sweep in network-area.ts), its gaps and largest gap, the street km reached and in total, and
 * the demand points within the band. PostGIS only supplies the areas (outline, spheroid area,
 * station counts) and the demand points in them, so the cost is linear in the network reached and
 * the same code runs on PGlite and PostgreSQL.
 *
 * Any failure is a 503 with Retry-After (never a 500 or an empty answer), and so is running past
 * the time budget.
 */
import type { AppDatabase } from '../../db/client.js';
import { HttpError } from '../../http/errors.js';
import type { ProfileName } from '../../routing/profiles.js';
import type { RoadGraph } from '../../routing/road-graph.js';
import type {
  AreaCoverageRow,
  AreaScope,
  GapRow,
  ScopeCoverageRow,
} from './coverage.repository.js';
import { pointsNearSegments } from './points-near-segments.js';
import { SweepTimeout } from './network-area.js';
import { runCpuTask } from '../../work/cpu-pool.js';
import {
  demandPointsByArea,
  networkAreaRows,
  unionGapStrips,
} from './network-coverage.repository.js';
import type { ReachResult } from './network-reach.js';
import { shapeRings } from '../../geo/shape-rings.js';

// Kept importable from here (they moved so worker threads can use them without the database modules).
export { pointsNearSegments };
export { reachedSegments } from './network-sweep-task.js';

/** What a network rule hands to the coverage queries instead of sites to buffer. */
export interface NetworkCoverageInput {
  graph: RoadGraph;
  profile: ProfileName;
  reach: ReachResult;
  /** Half-width of the band around reached streets, metres. */
  radiusM: number;
}

/** Row height of the sweep: covered km² within ~0.1 % of PostGIS buffers (tested on Andorra). */
export const SWEEP_ROW_M = 5;
/** Time budget for one network coverage computation (the statement timeout's order). */
export const NETWORK_COVERAGE_BUDGET_MS = 15_000;

export function coverageUnavailable(reason: string): HttpError {
  return new HttpError(
    503,
    `Network coverage could not be computed (${reason}); retry shortly, or narrow the scope (area=, district=) or the rule's minutes`,
    undefined,
    { 'Retry-After': '30' },
  );
}

/** Runs a network computation; any failure becomes a 503 with Retry-After. */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (error instanceof SweepTimeout) throw coverageUnavailable('it ran out of time');
    throw coverageUnavailable(error instanceof Error ? error.message.slice(0, 200) : 'failure');
  }
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

interface Measured {
  rows: Array<AreaCoverageRow & { gapPolygons?: Array<Array<Array<[number, number]>>> }>;
}

async function measure(
  db: AppDatabase,
  scope: AreaScope,
  stationIds: number[],
  input: NetworkCoverageInput,
  options: {
    demandLayerId?: number;
    outlineSimplifyMetres?: number;
    streets?: boolean;
    traceGapsM?: number;
  },
): Promise<Measured> {
  const deadline = performance.now() + NETWORK_COVERAGE_BUDGET_MS;
  const areaRows = await networkAreaRows(db, scope, stationIds, options);
  const points =
    options.demandLayerId !== undefined ? await demandPointsByArea(db, scope, options.demandLayerId) : null;
  // Seconds of work on a city's network: in the CPU pool, reading the graph from shared memory.
  const answer = await runCpuTask('networkSweep', {
    geometry: input.graph.geometryArrays(),
    reach: input.reach,
    areas: areaRows.map((r) => ({ rings: shapeRings(r.shape) })),
    radiusM: input.radiusM,
    rowM: SWEEP_ROW_M,
    streetCosts: options.streets ? input.graph.profile(input.profile).costs : undefined,
    traceGapsM: options.traceGapsM,
    demandPoints: points?.map(({ lng, lat }) => ({ lng, lat })),
    budgetMs: Math.max(0, deadline - performance.now()),
  });
  if ('refused' in answer) throw new SweepTimeout();
  const swept = answer.swept;
  let demandCovered: Map<string, number> | null = null;
  if (points && answer.demandNear) {
    demandCovered = new Map();
    points.forEach((p, i) => {
      if (answer.demandNear![i]) demandCovered!.set(p.code, (demandCovered!.get(p.code) ?? 0) + p.weight);
    });
  }
  const rows = areaRows.map((r, i) => {
    const s = swept[i]!;
    const coveredKm2 = Math.min(r.area_km2, s.coveredM2 / 1e6);
    return {
      code: r.code,
      name: r.name,
      district_code: r.district_code,
      area_km2: r.area_km2,
      covered_km2: coveredKm2,
      stations_total: r.stations_total,
      stations_open: r.stations_open,
      largest_gap_km2: Math.min(s.largestGapM2 / 1e6, r.area_km2 - coveredKm2),
      largest_gap_point: s.largestGapPoint
        ? ([round6(s.largestGapPoint[0]), round6(s.largestGapPoint[1])] as [number, number])
        : null,
      demand_total: r.demand_total,
      demand_covered: demandCovered ? (demandCovered.get(r.code) ?? 0) : null,
      ...(r.geometry !== undefined ? { geometry: r.geometry } : {}),
      ...(options.streets
        ? { street_km_reached: s.lengthsM[0]! / 1000, street_km_total: s.lengthsM[1]! / 1000 }
        : {}),
      gapPolygons: s.gapPolygons,
    };
  });
  return { rows };
}

/** The coverage table's rows for a network rule. */
export async function networkCoverageByArea(
  db: AppDatabase,
  scope: AreaScope,
  stationIds: number[],
  input: NetworkCoverageInput,
  options: { demandLayerId?: number; outlineSimplifyMetres?: number },
): Promise<AreaCoverageRow[]> {
  return guarded(async () => {
    const { rows } = await measure(db, scope, stationIds, input, { ...options, streets: true });
    return rows.map(({ gapPolygons: _, ...row }) => row);
  });
}

/** The uncovered part of each area (traced from the sweep); fully covered areas are left out. */
export async function networkGaps(
  db: AppDatabase,
  scope: AreaScope,
  stationIds: number[],
  input: NetworkCoverageInput,
  simplifyMetres: number,
): Promise<GapRow[]> {
  return guarded(async () => {
    // Strips at full precision and lightly simplified; the requested simplification is applied
    // once they are joined.
    const { rows } = await measure(db, scope, stationIds, input, { traceGapsM: 0.5 });
    const withGaps = rows.filter((r) => r.area_km2 - r.covered_km2 > 0 && r.gapPolygons?.length);
    const outlines = await unionGapStrips(
      db,
      withGaps.map((r) => ({
        code: r.code,
        geojson: JSON.stringify({
          type: 'GeometryCollection',
          geometries: r.gapPolygons!.map((coordinates) => ({ type: 'Polygon', coordinates })),
        }),
      })),
      simplifyMetres,
    );
    const outlineOf = new Map(outlines.map((o) => [o.code, o.geometry]));
    if (outlines.length !== withGaps.length || withGaps.some((r) => !outlineOf.has(r.code))) {
      throw new Error(`gap outlines returned ${outlines.length} of ${withGaps.length} areas`);
    }
    return withGaps.map((r) => ({
      code: r.code,
      name: r.name,
      district_code: r.district_code,
      area_km2: r.area_km2,
      gap_km2: r.area_km2 - r.covered_km2,
      geometry: outlineOf.get(r.code),
    }));
  });
}

/** Covered area of the whole scope for one set of stations (a point of the 24-hour curve). */
export async function networkScopeCoverage(
  db: AppDatabase,
  scope: AreaScope,
  stationIds: number[],
  input: NetworkCoverageInput,
  demandLayerId?: number,
): Promise<ScopeCoverageRow> {
  return guarded(async () => {
    const { rows } = await measure(db, scope, stationIds, input, { demandLayerId });
    const sum = (f: (r: AreaCoverageRow) => number) => rows.reduce((s, r) => s + f(r), 0);
    return {
      area_km2: sum((r) => r.area_km2),
      covered_km2: sum((r) => r.covered_km2),
      stations_open: sum((r) => r.stations_open),
      demand_total: demandLayerId === undefined ? null : sum((r) => r.demand_total ?? 0),
      demand_covered: demandLayerId === undefined ? null : sum((r) => r.demand_covered ?? 0),
    };
  });
}
