/**
 * Imports an OpenStreetMap extract as the road network: read the file, split ways into edges, write
 * and swap. Every step before the swap can fail without touching the network in use.
 */
import type { AppDatabase } from '../../db/client.js';
import { buildRoadNetwork } from '../../routing/graph-builder.js';
import type { ProfileName } from '../../routing/profiles.js';
import { RoadGraph } from '../../routing/road-graph.js';
import { readOsmRoads, type BBox } from '../../routing/osm-reader.js';
import { replaceRoadNetwork, type ImportWriteProgress } from './road-import.repository.js';
import { contractRoadGraph, type StoredHierarchy } from './road-hierarchy.service.js';

export type ImportProgress =
  | { stage: 'read'; pass: 1 | 2; nodes: number; ways: number }
  | { stage: 'build'; nodes: number; edges: number }
  /** Contraction hierarchies built (`ms`: the slowest profile), or why they could not be. */
  | { stage: 'hierarchy'; profiles: ProfileName[]; ms: number; error?: string }
  | ImportWriteProgress;

export interface ImportOsmOptions {
  /** Network name stored in road_networks; defaults to the file name without extension. */
  name?: string;
  bbox?: BBox;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportOsmResult {
  networkId: number;
  nodeCount: number;
  edgeCount: number;
}

export async function importOsmRoadNetwork(
  db: AppDatabase,
  file: string,
  options: ImportOsmOptions = {},
): Promise<ImportOsmResult> {
  const onProgress = options.onProgress ?? (() => {});
  const data = await readOsmRoads(file, {
    bbox: options.bbox,
    onProgress: (p) => onProgress({ stage: 'read', ...p }),
  });
  const network = buildRoadNetwork(data);
  onProgress({ stage: 'build', nodes: network.nodes.length, edges: network.edges.length });
  if (network.edges.length === 0) {
    const where = options.bbox ? ` inside bbox ${options.bbox.join(',')}` : '';
    throw new Error(`No routable roads in ${file}${where}; the current network is unchanged`);
  }
  const name = options.name ?? file.replace(/^.*[\\/]/, '').replace(/\.osm\.pbf$|\.pbf$/, '');
  const hierarchies = buildHierarchies(network.edges, onProgress);
  const { networkId } = await replaceRoadNetwork(
    db,
    network,
    { name, source: file, hierarchies },
    onProgress,
  );
  return { networkId, nodeCount: network.nodes.length, edgeCount: network.edges.length };
}

/**
 * Contracts the new network in the CPU pool while its rows are written. A failure does not fail
 * the import: instances then route with plain Dijkstra and build the hierarchies themselves.
 */
async function buildHierarchies(
  edges: Parameters<typeof RoadGraph.fromEdgeRows>[0],
  onProgress: (progress: ImportProgress) => void,
): Promise<StoredHierarchy[]> {
  try {
    const hierarchies = await contractRoadGraph(RoadGraph.fromEdgeRows(edges));
    const ms = Math.max(...hierarchies.map((h) => h.buildMs));
    onProgress({ stage: 'hierarchy', profiles: hierarchies.map((h) => h.profile), ms });
    return hierarchies;
  } catch (error) {
    onProgress({ stage: 'hierarchy', profiles: [], ms: 0, error: (error as Error).message });
    return [];
  }
}
