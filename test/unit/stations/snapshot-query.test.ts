import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../scripts/lib/sample-stations.js';
import { StationSnapshot } from '../../../server/modules/stations/station-mirror.js';
import { countMatches, filteredStations, firstMatches } from '../../../server/modules/stations/snapshot-query.js';
import { stationRecord } from '../../setup/station-record.js';
import type {
  StationFilter,
  StationRecord,
} from '../../../server/modules/stations/stations.repository.js';

const KINDS = ['warm_post', 'smart_24h', 'rider_home'] as const;

function station(id: number, lng: number, lat: number, random: () => number): StationRecord {
  const district = random() < 0.5 ? '110101' : '110105';
  return stationRecord({
    id,
    name: `s${id}`,
    kind: KINDS[Math.floor(random() * KINDS.length)]!,
    lng,
    lat,
    district_code: district,
    area_codes: ['110000', district],
    // The filter asks only whether a status is 'available'; anything else (here 'unavailable') is not.
    amenities: { hot_water: random() < 0.7 ? 'available' : 'unavailable' } as StationRecord['amenities'],
  });
}

/** Stations over a country-sized box, some near the antimeridian, ids not in spatial order. */
function snapshotOf(n: number): StationSnapshot {
  const random = mulberry32(11);
  const byId = new Map<number, StationRecord>();
  for (let i = 0; i < n; i++) {
    const id = 1 + Math.floor(random() * n * 10);
    const nearDateLine = random() < 0.05;
    const lng = nearDateLine
      ? random() < 0.5
        ? 179 + random()
        : -180 + random()
      : 73 + random() * 62;
    byId.set(id, station(id, lng, 18 + random() * 35, random));
  }
  return new StationSnapshot(1, byId);
}

describe('firstMatches: a page of the listing at a cost in proportion to the page', () => {
  const snapshot = snapshotOf(20_000);
  const random = mulberry32(5);
  const filters: StationFilter[] = [
    {},
    { bbox: [73, 18, 135, 53] }, // the whole country: the id-order scan answers
    { bbox: [116.2, 39.8, 116.5, 40.0] }, // a city block: the index answers
    { bbox: [178.5, 20, -179.5, 50] }, // across the antimeridian
    { bbox: [100, 30, 100.0001, 30.0001] }, // empty
    { bbox: [73, 18, 135, 53], kind: 'smart_24h', amenities: ['hot_water'] },
    { districtCode: '110105' },
  ];
  for (let k = 0; k < 20; k++) {
    const lng = 73 + random() * 55;
    const lat = 18 + random() * 30;
    const size = random() * 10;
    filters.push({
      bbox: [lng, lat, lng + size, lat + size * 0.7],
      kind: random() < 0.3 ? 'warm_post' : undefined,
    });
  }

  it.each(filters.map((f, i) => [i, f] as const))(
    'filter %i equals the full sort, sliced',
    (_i, filter) => {
      const full = filteredStations(snapshot, filter);
      for (const count of [1, 11, 101, 1001, 30_000]) {
        expect(firstMatches(snapshot, filter, count).map((s) => s.id)).toEqual(
          full.slice(0, count).map((s) => s.id),
        );
      }
    },
  );

  it.each(filters.map((f, i) => [i, f] as const))(
    'filter %i: numberMatched counts the same set, without sorting it, and again from its cache',
    (_i, filter) => {
      const expected = filteredStations(snapshot, filter).length;
      expect(countMatches(snapshot, filter)).toBe(expected);
      expect(countMatches(snapshot, filter)).toBe(expected);
    },
  );

  it('counts a box holding every station without a walk, and the same as the full filter', () => {
    const world: StationFilter = { bbox: [-180, -90, 180, 90] };
    expect(countMatches(snapshot, world)).toBe(snapshot.stations.length);
    expect(countMatches(snapshot, world)).toBe(filteredStations(snapshot, world).length);
    // A box just inside the extent's edge misses the station on it: walked, not assumed whole.
    const lats = snapshot.stations.map((s) => s.lat);
    const almost: StationFilter = { bbox: [-180, Math.min(...lats) + 1e-9, 180, 90] };
    expect(countMatches(snapshot, almost)).toBe(filteredStations(snapshot, almost).length);
    expect(countMatches(snapshot, almost)).toBe(snapshot.stations.length - 1);
  });

  it('counts afresh for a new snapshot (a change never leaves a stale count)', () => {
    const filter: StationFilter = { bbox: [73, 18, 135, 53] };
    const before = countMatches(snapshot, filter);
    const fewer = new Map([...snapshot.byId].slice(0, 100));
    const changed = new StationSnapshot(2, fewer);
    expect(countMatches(changed, filter)).toBe(filteredStations(changed, filter).length);
    expect(countMatches(changed, filter)).toBeLessThan(before);
  });

  it('asks for nothing when nothing is wanted', () => {
    expect(firstMatches(snapshot, {}, 0)).toEqual([]);
  });
});
