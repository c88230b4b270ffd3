/**
 * Independent check of the routing engine against pgRouting's `pgr_dijkstra`, on the very rows of
 * `road_edges` that the API loads its in-memory graph from, for the real Andorra and Singapore
 * Bayfront extracts: durations equal within 1e-3 s for random node pairs per profile, the same
 * pairs unreachable, and one-way streets making A→B differ from B→A in both engines.
 *
 * pgRouting is a PostgreSQL server extension: PGlite has none, so on PGlite this file is skipped
 * (the textbook-Dijkstra check in test/unit/routing/search.test.ts covers the engine there).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, sql, type AppDatabase } from '../../server/db/client.js';
import { importOsmRoadNetwork } from '../../server/modules/routes/road-import.service.js';
import {
  RoadNetworkCache,
  type LoadedRoadNetwork,
} from '../../server/modules/routes/road-network-cache.js';
import { PROFILES, type ProfileName } from '../../server/routing/profiles.js';
import type { EdgeSnap } from '../../server/routing/search.js';
import { createTestDatabase, type TestDatabase } from '../setup/database.js';
import { extractPath, seededRandom, type ExtractName } from '../unit/routing/real-networks.js';

const PAIRS_PER_PROFILE = 60;
const TOLERANCE_S = 1e-3;
const onServer = Boolean(process.env.TEST_DATABASE_URL);

interface PgrAnswer {
  cost: number;
  edges: number[];
}

/**
 * pgr_dijkstra for many pairs in one call (its combinations form), keyed "source>target". The
 * profile name picks two columns from a fixed list, never free text.
 */
async function pgrDijkstra(
  db: AppDatabase,
  profile: ProfileName,
  pairs: ReadonlyArray<readonly [number, number]>,
): Promise<Map<string, PgrAnswer>> {
  if (!PROFILES.includes(profile)) throw new Error(`Unknown profile ${profile}`);
  await db.execute(sql`delete from pgr_check_pairs`);
  const json = JSON.stringify(pairs.map(([source, target]) => ({ source, target })));
  await db.execute(sql`insert into pgr_check_pairs (source, target)
    select source, target from json_to_recordset(${json}::json) as r(source int, target int)`);
  const edgesSql =
    `select id, source, target, coalesce(${profile}_fwd_s, -1) as cost, ` +
    `coalesce(${profile}_bwd_s, -1) as reverse_cost from road_edges`;
  const rows = await queryRows<{
    start_vid: number;
    end_vid: number;
    edge: number;
    agg_cost: number;
  }>(
    db,
    sql`select start_vid::int, end_vid::int, edge::int, agg_cost
        from pgr_dijkstra(${edgesSql}, 'select source, target from pgr_check_pairs', directed => true)
        order by start_vid, end_vid, path_seq`,
  );
  const answers = new Map<string, PgrAnswer>();
  for (const row of rows) {
    const key = `${row.start_vid}>${row.end_vid}`;
    const answer = answers.get(key) ?? { cost: 0, edges: [] };
    // The last row of a path is the target node itself (edge -1) carrying the total cost.
    if (row.edge === -1) answer.cost = Number(row.agg_cost);
    else answer.edges.push(row.edge);
    answers.set(key, answer);
  }
  return answers;
}

/** A snapped point lying exactly on `node`, on an edge `profile` may use (fraction 0 or 1). */
function snapsAtNodes(network: LoadedRoadNetwork, profile: ProfileName): Map<number, EdgeSnap> {
  const { graph } = network;
  const snaps = new Map<number, EdgeSnap>();
  for (let edgeId = 0; edgeId < graph.edgeCount; edgeId++) {
    if (!graph.isEdgeUsable(profile, edgeId)) continue;
    if (!snaps.has(graph.edgeSource[edgeId])) {
      snaps.set(graph.edgeSource[edgeId], { edgeId, fraction: 0 });
    }
    if (!snaps.has(graph.edgeTarget[edgeId])) {
      snaps.set(graph.edgeTarget[edgeId], { edgeId, fraction: 1 });
    }
  }
  return snaps;
}

function randomPairs(nodes: number[], count: number, seed: number): Array<[number, number]> {
  const random = seededRandom(seed);
  const pairs = new Map<string, [number, number]>();
  while (pairs.size < count) {
    const a = nodes[Math.floor(random() * nodes.length)];
    const b = nodes[Math.floor(random() * nodes.length)];
    if (a !== b) pairs.set(`${a}>${b}`, [a, b]);
  }
  return [...pairs.values()];
}

// Skipped on PGlite: pgRouting is a PostgreSQL server extension (set TEST_DATABASE_URL to run it).
describe.runIf(onServer)(
  'routes equal pgr_dijkstra (PostgreSQL server only: PGlite has no pgRouting)',
  () => {
    let database: TestDatabase;
    let db: AppDatabase;

    beforeAll(async () => {
      database = await createTestDatabase();
      db = database.handle.db;
      await db.execute(sql`create extension if not exists pgrouting`);
      await db.execute(sql`create table pgr_check_pairs (source integer, target integer)`);
    });

    afterAll(async () => {
      await database?.drop();
    });

    describe.each<[ExtractName, number]>([
      ['andorra', 1],
      ['bayfront_singapore', 2],
    ])('%s', (extract, seed) => {
      let network: LoadedRoadNetwork;

      beforeAll(async () => {
        await importOsmRoadNetwork(db, extractPath(extract));
        // The same loader the API uses, on the same database as pgRouting.
        network = (await new RoadNetworkCache(db).current())!;
        expect(network.info.source).toBe(extractPath(extract));
      });

      it.each(PROFILES)(
        `${PAIRS_PER_PROFILE} random node pairs by %s: equal durations, same unreachable pairs`,
        async (profile) => {
          const snaps = snapsAtNodes(network, profile);
          const pairs = randomPairs(
            [...snaps.keys()],
            PAIRS_PER_PROFILE,
            seed * 10 + PROFILES.indexOf(profile),
          );
          const reference = await pgrDijkstra(db, profile, pairs);
          const search = network.searches[profile];
          let reachable = 0;
          let samePath = 0;
          for (const [a, b] of pairs) {
            const ours = search.route(snaps.get(a)!, snaps.get(b)!);
            const theirs = reference.get(`${a}>${b}`);
            expect(ours === null, `${profile} ${a}→${b}: reachable in one engine only`).toBe(
              theirs === undefined,
            );
            if (!ours || !theirs) continue;
            reachable++;
            expect(
              Math.abs(ours.durationS - theirs.cost),
              `${profile} ${a}→${b}: ours ${ours.durationS} s, pgr_dijkstra ${theirs.cost} s`,
            ).toBeLessThan(TOLERANCE_S);
            const ourEdges = ours.edges.map((edge) => edge.edgeId);
            if (ourEdges.join() === theirs.edges.join()) samePath++;
          }
          // Enough reachable pairs that the comparison means something; float costs rarely tie, so
          // the very same edges are taken almost always.
          expect(reachable).toBeGreaterThanOrEqual(PAIRS_PER_PROFILE / 3);
          expect(samePath).toBeGreaterThanOrEqual(Math.floor(reachable * 0.9));
        },
      );

      it('one-way streets: A→B differs from B→A by car, in both engines alike', async () => {
        const { graph } = network;
        const drive = graph.profile('drive').costs;
        let examined = 0;
        let differing = 0;
        for (let edgeId = 0; edgeId < graph.edgeCount && examined < 20; edgeId++) {
          const [fwd, bwd] = [drive[edgeId * 2], drive[edgeId * 2 + 1]];
          if (!(fwd < Infinity) || bwd < Infinity) continue; // want a oneway: forward only
          const [a, b] = [graph.edgeSource[edgeId], graph.edgeTarget[edgeId]];
          const atA: EdgeSnap = { edgeId, fraction: 0 };
          const atB: EdgeSnap = { edgeId, fraction: 1 };
          const search = network.searches.drive;
          const there = search.route(atA, atB);
          const back = search.route(atB, atA);
          const reference = await pgrDijkstra(db, 'drive', [
            [a, b],
            [b, a],
          ]);
          expect(there!.durationS).toBeCloseTo(reference.get(`${a}>${b}`)!.cost, 3);
          const theirBack = reference.get(`${b}>${a}`);
          expect(back === null).toBe(theirBack === undefined);
          if (!back) continue;
          expect(back.durationS).toBeCloseTo(theirBack!.cost, 3);
          examined++;
          if (Math.abs(back.durationS - there!.durationS) > 1) differing++;
        }
        expect(examined).toBeGreaterThan(0);
        expect(differing, 'no oneway where B→A takes longer than A→B').toBeGreaterThan(0);
      });
    });
  },
);
