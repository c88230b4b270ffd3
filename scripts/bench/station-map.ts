/**
 * A country's stations (China has over 180,000): what the listing and the map cost at 200,000
 * stations, built in memory (no database) from copies of the sample stations over eastern China.
 * - the bbox listing's first page of a country-wide box (limit=1000): in proportion to the page
 *   (firstMatches) vs the former way, every match found and sorted, then sliced (interleaved);
 * - the map's stations by viewport (/api/map/stations' service): the cluster build in its worker,
 *   the answer for a country view and a city view, and the bytes a phone downloads for them.
 * Goals (issue 13): country bbox limit=1000 ≤ 10 ms p50; the worker page's first map ≤ 300 KB.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { stationItemsJson } from '../../server/modules/collections/collections.service.js';
import { StationClusters } from '../../server/modules/stations/station-clusters.js';
import {
  StationSnapshot,
  type StationMirror,
} from '../../server/modules/stations/station-mirror.js';
import {
  filteredStations,
  stationFeatureJson,
} from '../../server/modules/stations/snapshot-query.js';
import type { StationRecord } from '../../server/modules/stations/stations.repository.js';
import {
  openBenchDatabase,
  percentile,
  seededRandom,
  timeInterleaved,
  timeRuns,
  type BenchRow,
} from './lib.js';

const COUNTRY: [number, number, number, number] = [73, 18, 135, 54];

async function nationalSnapshot(count: number): Promise<StationSnapshot> {
  const db = await openBenchDatabase('pglite');
  const { StationMirror } = await import('../../server/modules/stations/station-mirror.js');
  const { snapshot: sample } = await new StationMirror(db.db).current();
  await db.close();
  const random = seededRandom(5);
  const byId = new Map<number, StationRecord>();
  for (let id = 1; id <= count; id++) {
    const record = JSON.parse(
      JSON.stringify(sample.stations[id % sample.stations.length]!),
    ) as StationRecord;
    record.id = id;
    record.lng = 100 + random() * 22;
    record.lat = 22 + random() * 20;
    byId.set(id, record);
  }
  return new StationSnapshot(1, byId);
}

/** The former listing: every match in the box found, sorted by id, then one page taken. */
function formerPage(snapshot: StationSnapshot, limit: number, bbox = COUNTRY): string {
  const matching = filteredStations(snapshot, { bbox });
  return matching.slice(0, limit).map(stationFeatureJson).join(',');
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  for (const count of [1_500, 200_000]) {
    const snapshot = await nationalSnapshot(count);
    const mirror = {
      current: async () => ({ snapshot, roadNetworkId: null }),
    } as unknown as StationMirror;
    const selfUrl = new URL('http://localhost/api/collections/stations/items?limit=1000');
    // A slightly different box each time, so no count cached for an earlier page is reused: what
    // a client pays for a new query (its later pages reuse the count). The country box holds every
    // station (counted without a walk); half the country has to be walked.
    const label = count.toLocaleString('en');
    const boxes: Array<[string, [number, number, number, number]]> = [
      ['country', COUNTRY],
      ['half-country', [100, 22, 111, 42]],
    ];
    for (const [boxName, base] of boxes) {
      const box = (i: number): [number, number, number, number] => [base[0] + i * 1e-7, base[1], base[2], base[3]];
      const { a: now, b: before } = await timeInterleaved(
        100,
        (i) => stationItemsJson(mirror, { bbox: box(i) }, { limit: 1000, offset: 0, selfUrl }),
        (i) => formerPage(snapshot, 1000, box(i)),
        5,
      );
      rows.push({
        name: `${boxName} bbox limit=1000, ${label} stations, p50 (in proportion to the page vs sort every match)`,
        value: percentile(now, 50),
        unit: 'ms',
        baseline: percentile(before, 50),
        ratio: percentile(now, 50) / percentile(before, 50),
        goal: '≤ 10 ms at 200k',
      });
    }

    const clusters = new StationClusters(mirror);
    gc();
    let t0 = performance.now();
    const first = await clusters.view(COUNTRY, 4);
    rows.push({
      name: `map clusters: first answer incl. build in the worker, ${label} stations`,
      value: performance.now() - t0,
      unit: 'ms',
    });
    const views: Array<[string, [number, number, number, number], number]> = [
      ['country view z4', COUNTRY, 4],
      // What a 390×844 phone shows of a city at the worker page's opening zoom.
      ['city view z10', [113.0, 28.0, 113.6, 28.9], 10],
      ['street view z14', [113.3, 28.4, 113.4, 28.6], 14],
    ];
    for (const [name, bbox, zoom] of views) {
      const samples = await timeRuns(200, () => clusters.view(bbox, zoom), 10);
      const view = await clusters.view(bbox, zoom);
      const body = JSON.stringify(
        view.items.map((i) => [i.lng, i.lat, i.count, i.station?.name ?? null]),
      );
      rows.push({
        name: `map ${name}, ${label} stations, p50 (${view.items.length} items)`,
        value: percentile(samples, 50),
        unit: 'ms',
      });
      rows.push({
        name: `map ${name}, ${label} stations, answer gzip (approx.)`,
        value: zlib.gzipSync(body).length / 1024,
        unit: 'KB',
      });
    }
    // While the worker rebuilds for a new version the event loop stays free: the longest gap
    // between 5-ms timer ticks during a rebuild, against the same ticker left alone as long.
    const longestGap = async (during: Promise<unknown>) => {
      let longest = 0;
      let last = performance.now();
      const ticker = setInterval(() => {
        const t = performance.now();
        longest = Math.max(longest, t - last);
        last = t;
      }, 5);
      await during;
      clearInterval(ticker);
      return longest;
    };
    const next = new StationSnapshot(2, new Map(snapshot.byId));
    const rebuilding = new StationClusters({
      current: async () => ({ snapshot: next, roadNetworkId: null }),
    } as unknown as StationMirror);
    t0 = performance.now();
    const during = await longestGap(rebuilding.view(COUNTRY, 4));
    const idle = await longestGap(new Promise((r) => setTimeout(r, performance.now() - t0)));
    rows.push({
      name: `map cluster rebuild, ${label} stations: longest event-loop gap vs idle`,
      value: during,
      unit: 'ms',
      baseline: idle,
      ratio: during / idle,
    });
    await clusters.close();
    await rebuilding.close();
    void first;
  }
  return rows;
}
