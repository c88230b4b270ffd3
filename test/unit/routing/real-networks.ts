/**
 * Loads the real OSM extracts from the shared data directory (never copied into the repo) and
 * builds their routing graphs. Each test file imports this module once, so each parses a file once.
 */
import { existsSync } from 'node:fs';
import { mulberry32 } from '../../../scripts/lib/sample-stations.js';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRoadNetwork, type RoadNetworkRows } from '../../../server/routing/graph-builder.js';
import { readOsmRoads, type OsmRoadData } from '../../../server/routing/osm-reader.js';
import { RoadGraph } from '../../../server/routing/road-graph.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const SHARED_DATA_DIR = process.env.SHARED_DATA_DIR ?? resolve(repoRoot, '../shared/data');

export type ExtractName = 'andorra' | 'bayfront_singapore';

export function extractPath(name: ExtractName): string {
  const path = resolve(SHARED_DATA_DIR, 'osm', `${name}.osm.pbf`);
  if (!existsSync(path)) {
    throw new Error(
      `Missing ${path}: set SHARED_DATA_DIR to the folder holding osm/${name}.osm.pbf`,
    );
  }
  return path;
}

export interface RealNetwork {
  data: OsmRoadData;
  rows: RoadNetworkRows;
  graph: RoadGraph;
}

const cache = new Map<ExtractName, Promise<RealNetwork>>();

export function loadRealNetwork(name: ExtractName): Promise<RealNetwork> {
  let network = cache.get(name);
  if (!network) {
    network = readOsmRoads(extractPath(name)).then((data) => {
      const rows = buildRoadNetwork(data);
      return { data, rows, graph: RoadGraph.fromEdgeRows(rows.edges) };
    });
    cache.set(name, network);
  }
  return network;
}

/** Deterministic PRNG so random-pair tests fail reproducibly (the samples' mulberry32). */
export const seededRandom = (seed: number): (() => number) => mulberry32(seed);
