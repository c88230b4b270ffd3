import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { bytea, geometry } from './geometry.js';

/**
 * The routable road network, imported from OpenStreetMap by `scripts/import-osm.ts` and replaced as
 * a whole (new tables swapped in one transaction), so its dense ids (0‥n-1) are valid only together.
 * The in-memory routing graph is loaded from these rows; see server/routing/road-graph.ts.
 */
export const roadNetworks = pgTable(
  'road_networks',
  {
    id: serial('id').primaryKey(),
    /** Human name of the extract, e.g. "beijing" (defaults to the file name). */
    name: text('name').notNull(),
    /** The file imported, as given on the command line. */
    source: text('source').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
    /** Extent of the imported edges. */
    bbox: geometry('bbox', 'Polygon').notNull(),
    nodeCount: integer('node_count').notNull(),
    edgeCount: integer('edge_count').notNull(),
  },
  (t) => [index('road_networks_bbox_gist').using('gist', t.bbox)],
);

/** Graph nodes: way ends and intersections. */
export const roadNodes = pgTable(
  'road_nodes',
  {
    id: integer('id').primaryKey(),
    osmId: bigint('osm_id', { mode: 'number' }).notNull(),
    geom: geometry('geom', 'Point').notNull(),
  },
  (t) => [index('road_nodes_geom_gist').using('gist', t.geom)],
);

/**
 * Graph edges: a way split at intersections. Travel times are seconds source→target (`_fwd_s`) and
 * target→source (`_bwd_s`), NULL where the mode has no access. Times and lengths are `real`
 * (float4) on purpose: the in-memory graph stores float32, so both give identical route costs.
 */
export const roadEdges = pgTable(
  'road_edges',
  {
    id: integer('id').primaryKey(),
    source: integer('source').notNull(),
    target: integer('target').notNull(),
    geom: geometry('geom', 'LineString').notNull(),
    lengthM: real('length_m').notNull(),
    name: text('name'),
    highway: text('highway').notNull(),
    osmWayId: bigint('osm_way_id', { mode: 'number' }).notNull(),
    walkFwdS: real('walk_fwd_s'),
    walkBwdS: real('walk_bwd_s'),
    bikeFwdS: real('bike_fwd_s'),
    bikeBwdS: real('bike_bwd_s'),
    driveFwdS: real('drive_fwd_s'),
    driveBwdS: real('drive_bwd_s'),
  },
  (t) => [index('road_edges_geom_gist').using('gist', t.geom)],
);


/**
 * Contraction hierarchies of a network, one per profile, built when the network is imported (or by
 * the first instance that found one missing) and loaded by every instance instead of contracting
 * the graph again. `data` is `serializeHierarchy`'s bytes (server/routing/contraction); `format`
 * is its layout version: an instance ignores (and rebuilds) a hierarchy of another format. Rows go
 * with their network (cascade), so a hierarchy never outlives the edges it was built from.
 */
export const roadHierarchies = pgTable(
  'road_hierarchies',
  {
    networkId: integer('network_id')
      .notNull()
      .references(() => roadNetworks.id, { onDelete: 'cascade' }),
    profile: text('profile').notNull(),
    format: integer('format').notNull(),
    /** Wall time of the contraction, for the log and the bench. */
    buildMs: integer('build_ms').notNull(),
    bytes: integer('bytes').notNull(),
    builtAt: timestamp('built_at', { withTimezone: true }).notNull().defaultNow(),
    data: bytea('data').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.networkId, t.profile] }),
    check('road_hierarchies_profile_check', sql`${t.profile} in ('walk', 'bike', 'drive')`),
  ],
);
