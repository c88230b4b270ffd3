/**
 * Imports an OpenStreetMap extract as the road network: read the file, split ways into edges, write
 * and swap. Every step before the swap can fail without touching the network in use.
 */
import type { AppDatabase } from '../../db/client.js';
import { buildRoadNetwork } from '../../routing/graph-builder.js';
import { readOsmRoads, type BBox } from '../../routing/osm-reader.js';
import { replaceRoadNetwork, type ImportWriteProgress } from './road-import.repository.js';

export type ImportProgress =
  | { stage: 'read'; pass: 1 | 2; nodes: number; ways: number }
  | { stage: 'build'; nodes: number; edges: number }
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
  const { networkId } = await replaceRoadNetwork(db, network, { name, source: file }, onProgress);
  return { networkId, nodeCount: network.nodes.length, edgeCount: network.edges.length };
}
