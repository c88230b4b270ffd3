/**
 * How long it takes to get from the origin to each candidate station. The nearest search depends
 * only on this seam: a straight-line estimate today, network travel times from the road graph
 * (server/routing) when a road network is loaded.
 */
export type TravelMode = 'walk' | 'bike' | 'drive';
export type DistanceKind = 'network' | 'straight_line';

export interface TravelTarget {
  id: number;
  lng: number;
  lat: number;
  /** Geodesic metres from the origin. */
  straightLineM: number;
}

export interface TravelEstimate {
  durationS: number;
  /** Metres travelled: along the roads for `network`, the straight line for `straight_line`. */
  distanceM: number;
}

/** What an ETA rests on, returned to clients so they can say it ("about, at 4.5 km/h"). */
export interface EtaBasis {
  distance_kind: DistanceKind;
  speed_kmh: number;
  /** Straight-line metres are multiplied by this before dividing by the speed. */
  detour_factor: number | null;
  description: string;
}

export interface TravelTimeProvider {
  readonly kind: DistanceKind;
  basis(mode: TravelMode): EtaBasis;
  /**
   * A lower bound on the seconds to reach any place `straightLineM` away. The search widens its
   * candidate pool until every unseen station is certainly slower than the k it holds.
   */
  minSeconds(straightLineM: number, mode: TravelMode): number;
  /** Estimates per target id; a target missing from the map cannot be reached. */
  estimate(
    origin: [number, number],
    targets: readonly TravelTarget[],
    mode: TravelMode,
  ): Promise<Map<number, TravelEstimate>>;
}

/** What the caller already read from the database in this request, to save a round trip. */
export interface KnownDatabaseState {
  /** The current road network's id, null when none is imported. */
  roadNetworkId: number | null;
}

/** Chooses the provider per request (a road network may be imported while the service runs). */
export interface TravelTimeSource {
  providerFor(
    mode: TravelMode,
    origin: [number, number],
    known?: KnownDatabaseState,
  ): Promise<TravelTimeProvider>;
}

/**
 * Speeds for straight-line ETAs: walking 4.5 km/h (a worker carrying gear, below the 5 km/h
 * routing profile), e-bike 15 km/h (the routing profile's e-bike speed), car 25 km/h (Beijing's
 * urban average with lights and congestion).
 */
export const STRAIGHT_LINE_SPEED_KMH: Record<TravelMode, number> = {
  walk: 4.5,
  bike: 15,
  drive: 25,
};
/** Streets are not straight: urban route distance is typically 1.2–1.4× the straight line. */
export const DETOUR_FACTOR = 1.3;

const MODE_NAMES: Record<TravelMode, string> = {
  walk: 'walking',
  bike: 'e-bike',
  drive: 'driving',
};

function straightLineSeconds(metres: number, mode: TravelMode): number {
  return (metres * DETOUR_FACTOR) / ((STRAIGHT_LINE_SPEED_KMH[mode] * 1000) / 3600);
}

export const straightLineProvider: TravelTimeProvider = {
  kind: 'straight_line',
  basis: (mode) => ({
    distance_kind: 'straight_line',
    speed_kmh: STRAIGHT_LINE_SPEED_KMH[mode],
    detour_factor: DETOUR_FACTOR,
    description:
      `straight-line distance × ${DETOUR_FACTOR} at ${STRAIGHT_LINE_SPEED_KMH[mode]} km/h ` +
      `(${MODE_NAMES[mode]}); no road network loaded`,
  }),
  minSeconds: straightLineSeconds,
  estimate: async (_origin, targets, mode) =>
    new Map(
      targets.map((t) => [
        t.id,
        {
          durationS: straightLineSeconds(t.straightLineM, mode),
          distanceM: t.straightLineM,
        },
      ]),
    ),
};

export const straightLineSource: TravelTimeSource = {
  providerFor: async () => straightLineProvider,
};
