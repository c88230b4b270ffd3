/**
 * The in-process station mirror against a real database: it must hold exactly what a fresh SELECT
 * would return after every kind of write (insert, update, delete, TRUNCATE, a restored log), from
 * any connection, including transactions that commit in another order than they began.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../server/db/client.js';
import { geodesicDistanceM } from '../../server/geo/geodesic.js';
import { StationMirror } from '../../server/modules/stations/station-mirror.js';
import {
  insertStations,
  listStationFeaturesJson,
  type StationFilter,
} from '../../server/modules/stations/stations.repository.js';
import {
  filteredStations,
  stationFeatureJson,
} from '../../server/modules/stations/snapshot-query.js';
import { mulberry32 } from '../../scripts/lib/sample-stations.js';
import { createTestDatabase, type TestDatabase } from '../setup/database.js';
import { newStation } from '../setup/factories.js';

let database: TestDatabase;
const db = () => database.handle.db;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

/** What the database holds, in the mirror's terms: id → (name, amenities, lng, lat). */
async function tableContents() {
  const rows = await queryRows<{ id: number; name: string; amenities: unknown; lng: number; lat: number }>(
    db(),
    sql`select id, name, amenities, ST_X(geom) as lng, ST_Y(geom) as lat from stations order by id`,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

async function mirrorContents(mirror: StationMirror) {
  const { snapshot } = await mirror.current();
  return [...snapshot.stations]
    .sort((a, b) => a.id - b.id)
    .map(({ id, name, amenities, lng, lat }) => ({ id, name, amenities, lng, lat }));
}

async function expectInStep(mirror: StationMirror) {
  expect(await mirrorContents(mirror)).toEqual(await tableContents());
}

/** On a server a notification travels on its own connection: allow it a moment to arrive. */
async function eventually(check: () => Promise<void>, timeoutMs = 3_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe('StationMirror', () => {
  it('follows inserts, updates, moves and deletes, in chunks smaller than the table', async () => {
    const mirror = new StationMirror(db(), { chunk: 7 });
    await insertStations(
      db(),
      Array.from({ length: 30 }, (_, i) => ({
        name: `镜像 ${i}`,
        kind: 'warm_post' as const,
        lng: 116.3 + i * 0.001,
        lat: 39.9,
      })),
    );
    await expectInStep(mirror);

    await db().execute(sql`update stations set amenities = '{"microwave":"available"}' where name = '镜像 3'`);
    await db().execute(sql`update stations set geom = ST_SetSRID(ST_MakePoint(116.5, 40.0), 4326) where name = '镜像 4'`);
    await db().execute(sql`delete from stations where name in ('镜像 5', '镜像 6')`);
    await newStation(db(), { lng: 116.31, lat: 39.91, name: '新来的' });
    await expectInStep(mirror);
    const { snapshot } = await mirror.current();
    expect(snapshot.byId.size).toBe(29);

    // The moved station is found at its new place by the spatial walk.
    const [first] = snapshot.nearestFirst(116.5, 40.0);
    expect(first!.station.name).toBe('镜像 4');
  });

  it('reloads after a TRUNCATE, and after a change log older than its own (a restored database)', async () => {
    const mirror = new StationMirror(db());
    await expectInStep(mirror);
    await db().execute(sql`truncate stations cascade`);
    await newStation(db(), { lng: 116.4, lat: 39.9, name: '清空之后' });
    await expectInStep(mirror);

    // As if the database were restored from a backup taken before any change was logged.
    await db().execute(sql`delete from stations`);
    await db().execute(sql`delete from station_change_log`);
    await db().execute(sql`update station_change_counter set version = 0`);
    await newStation(db(), { lng: 116.41, lat: 39.9, name: '恢复之后' });
    await expectInStep(mirror);
  });

  it('listening, answers from memory and still sees every committed change', async () => {
    const mirror = new StationMirror(db());
    await mirror.listen(database.handle);
    await expectInStep(mirror);
    const before = await mirror.current();
    expect(await mirror.current()).toBe(before);

    await newStation(db(), { lng: 116.42, lat: 39.9, name: '通知' });
    await eventually(() => expectInStep(mirror));
    await db().execute(sql`update stations set name = '改名' where name = '通知'`);
    await eventually(() => expectInStep(mirror));
  });

  it('with a listener that delivers nothing, is stale at most its trust window', async () => {
    // A channel nobody notifies on stands for a connection that went silent (e.g. a pooling proxy).
    const mirror = new StationMirror(db(), { channel: 'nobody_notifies', trustListenerMs: 300 });
    await mirror.listen(database.handle);
    await expectInStep(mirror);
    await newStation(db(), { lng: 116.43, lat: 39.9, name: '静默' });
    // Within the window it answers from memory without asking: the new station is not there yet.
    expect((await mirrorContents(mirror)).map((s) => s.name)).not.toContain('静默');
    await new Promise((r) => setTimeout(r, 350));
    expect((await mirrorContents(mirror)).map((s) => s.name)).toContain('静默');
  });

  it('sees a road network arrive and go', async () => {
    const mirror = new StationMirror(db());
    await mirror.listen(database.handle);
    expect((await mirror.current()).roadNetworkId).toBeNull();
    const [row] = await queryRows<{ id: number }>(
      db(),
      sql`insert into road_networks (name, source, bbox, node_count, edge_count)
          values ('test', 'test', ST_MakeEnvelope(116, 39, 117, 40, 4326), 0, 0) returning id`,
    );
    await eventually(async () => expect((await mirror.current()).roadNetworkId).toBe(Number(row!.id)));
    await db().execute(sql`delete from road_networks`);
    await eventually(async () => expect((await mirror.current()).roadNetworkId).toBeNull());
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'misses no transaction that began first and committed last (server only)',
    async () => {
      const mirror = new StationMirror(db());
      await expectInStep(mirror);
      const early = new pg.Client({ connectionString: database.url });
      const late = new pg.Client({ connectionString: database.url });
      await early.connect();
      await late.connect();
      try {
        const insert = (client: pg.Client, name: string) =>
          client.query(
            `insert into stations (name, kind, geom) values ($1, 'warm_post', ST_SetSRID(ST_MakePoint(116.45, 39.95), 4326))`,
            [name],
          );
        await early.query('begin');
        await insert(early, '先开始后提交');
        await late.query('begin');
        await insert(late, '后开始先提交');
        await late.query('commit');
        await expectInStep(mirror);
        expect((await mirrorContents(mirror)).map((s) => s.name)).not.toContain('先开始后提交');
        await early.query('commit');
        await expectInStep(mirror);
        expect((await mirrorContents(mirror)).map((s) => s.name)).toContain('先开始后提交');
      } finally {
        await early.end();
        await late.end();
      }
    },
  );
});

describe('station listing from the mirror', () => {
  it('returns what the SQL listing returns, for every filter and page', async () => {
    const random = mulberry32(5);
    const kinds = ['warm_post', 'smart_24h', 'rider_home'] as const;
    const keys = ['microwave', 'phone_charging', 'hot_water', 'toilet'] as const;
    const statuses = ['available', 'out_of_order', 'out_of_stock'] as const;
    await insertStations(
      db(),
      Array.from({ length: 400 }, (_, i) => ({
        name: `列表 ${i}`,
        kind: kinds[Math.floor(random() * kinds.length)]!,
        lng: 116.2 + random() * 0.5,
        lat: 39.75 + random() * 0.3,
        amenities: Object.fromEntries(
          keys.filter(() => random() < 0.6).map((k) => [k, statuses[Math.floor(random() * 3)]!]),
        ),
        opening_hours: random() < 0.5 ? '24/7' : 'Mo-Fr 08:00-18:00; PH off',
      })),
    );
    const mirror = new StationMirror(db());
    const { snapshot } = await mirror.current();
    const filters: StationFilter[] = [
      {},
      { bbox: [116.3, 39.85, 116.5, 39.95] },
      { bbox: [116.3, 39.85, 116.5, 39.95], amenities: ['microwave', 'phone_charging'] },
      { kind: 'smart_24h' },
      { districtCode: '110105' },
      { subdistrictCode: snapshot.stations.find((s) => s.subdistrict_code)?.subdistrict_code ?? 'x' },
      { bbox: [170, -10, -170, 10] },
    ];
    for (const filter of filters) {
      for (const page of [
        { limit: 50, offset: 0 },
        { limit: 50, offset: 50 },
        { limit: 1000, offset: 0 },
      ]) {
        const fromSql = await listStationFeaturesJson(db(), filter, page);
        const fromMirror = filteredStations(snapshot, filter)
          .slice(page.offset, page.offset + page.limit)
          .map((s) => JSON.parse(stationFeatureJson(s)));
        expect(fromMirror, JSON.stringify({ filter, page })).toEqual(JSON.parse(fromSql.featuresJson));
      }
    }
    // The filters are not vacuous: each of the first five matches something, and not everything.
    for (const filter of filters.slice(1, 5)) {
      const n = filteredStations(snapshot, filter).length;
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThan(snapshot.stations.length);
    }
  });
});

describe('geodesicDistanceM', () => {
  it('agrees with PostGIS geography distances to the millimetre', async () => {
    const random = mulberry32(17);
    const pairs = Array.from({ length: 60 }, () => [
      115.5 + random() * 2,
      39.4 + random() * 1.6,
      115.5 + random() * 2,
      39.4 + random() * 1.6,
    ]);
    for (const [lng1, lat1, lng2, lat2] of pairs) {
      const [row] = await queryRows<{ d: number }>(
        db(),
        sql`select ST_Distance(ST_SetSRID(ST_MakePoint(${lng1}, ${lat1}), 4326)::geography,
                               ST_SetSRID(ST_MakePoint(${lng2}, ${lat2}), 4326)::geography) as d`,
      );
      expect(Math.abs(geodesicDistanceM(lng1!, lat1!, lng2!, lat2!) - Number(row!.d))).toBeLessThan(0.001);
    }
  });
});
