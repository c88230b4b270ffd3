/**
 * The stations as one immutable, indexed set: what the nearest search walks. Pure (no database, no
 * Node-only API) so the worker page's offline answer runs this very code on the stations it saved.
 */
import KDBush from 'kdbush';
import { nearestFirst } from '../../geo/nearest-first.js';
import type { StationRecord } from './stations.repository.js';

/** The stations as of one change-log version. Never modified: a change makes a new snapshot. */
export class StationSnapshot {
  readonly stations: readonly StationRecord[];
  private index: KDBush | null = null;

  constructor(
    readonly version: number,
    readonly byId: ReadonlyMap<number, StationRecord>,
  ) {
    // In id order: the listing pages by id, and index positions then come out in id order too.
    this.stations = [...byId.values()].sort((a, b) => a.id - b.id);
  }

  /** Stations inside [minLng, minLat, maxLng, maxLat] (edges included), in id order. */
  inBox([minLng, minLat, maxLng, maxLat]: [number, number, number, number]): StationRecord[] {
    if (this.stations.length === 0) return [];
    const index = this.spatialIndex();
    // minLng > maxLng: the box crosses the antimeridian.
    const positions =
      minLng <= maxLng
        ? index.range(minLng, minLat, maxLng, maxLat)
        : [...index.range(minLng, minLat, 180, maxLat), ...index.range(-180, minLat, maxLng, maxLat)];
    return positions.sort((a, b) => a - b).map((i) => this.stations[i]!);
  }

  /**
   * How many stations inside the box pass `keep` (all of them without one): the same set as `inBox`, without sorting or
   * materialising it (a count over a country's stations is a walk of their positions, no more).
   */
  countInBox(
    [minLng, minLat, maxLng, maxLat]: [number, number, number, number],
    keep?: (station: StationRecord) => boolean,
  ): number {
    if (this.stations.length === 0) return 0;
    const index = this.spatialIndex();
    const ranges =
      minLng <= maxLng
        ? [index.range(minLng, minLat, maxLng, maxLat)]
        : [index.range(minLng, minLat, 180, maxLat), index.range(-180, minLat, maxLng, maxLat)];
    let count = 0;
    for (const positions of ranges) {
      if (!keep) count += positions.length;
      else for (const i of positions) if (keep(this.stations[i]!)) count++;
    }
    return count;
  }

  /** Stations outwards from a point, each with a lower bound on its geodesic distance. */
  *nearestFirst(
    lng: number,
    lat: number,
  ): Generator<{ station: StationRecord; lowerBoundM: number }, void, undefined> {
    if (this.stations.length === 0) return;
    for (const item of nearestFirst(this.spatialIndex(), lng, lat)) {
      yield { station: this.stations[item.index]!, lowerBoundM: item.lowerBoundM };
    }
  }

  /** Built on first use: a snapshot replaced before anyone searches it never pays for one. */
  private spatialIndex(): KDBush {
    if (!this.index) {
      const index = new KDBush(this.stations.length, 64);
      for (const s of this.stations) index.add(s.lng, s.lat);
      this.index = index.finish();
    }
    return this.index;
  }
}
