/**
 * Connected pieces ("islands") of a profile's network, ignoring direction. When no route exists,
 * they tell which end is the stranded one: the end on the smaller island, usually a footpath or a
 * private road mapped without its connection.
 */
import type { ProfileName } from './profiles.js';
import type { RoadGraph } from './road-graph.js';

export interface NetworkIslands {
  /** Island id of each node (the id of a representative node). */
  islandOf: Int32Array;
  /** Nodes on each island, indexed by island id. */
  islandSize: Int32Array;
}

export function findIslands(graph: RoadGraph, profile: ProfileName): NetworkIslands {
  const { forward } = graph.profile(profile);
  const parent = new Int32Array(graph.nodeCount);
  for (let node = 0; node < graph.nodeCount; node++) parent[node] = node;
  const root = (node: number): number => {
    while (parent[node] !== node) {
      parent[node] = parent[parent[node]]; // path halving keeps the trees shallow
      node = parent[node];
    }
    return node;
  };
  for (let node = 0; node < graph.nodeCount; node++) {
    for (let arc = forward.offsets[node]; arc < forward.offsets[node + 1]; arc++) {
      const [a, b] = [root(node), root(forward.heads[arc])];
      if (a !== b) parent[a] = b;
    }
  }
  const islandSize = new Int32Array(graph.nodeCount);
  for (let node = 0; node < graph.nodeCount; node++) {
    parent[node] = root(node);
    islandSize[parent[node]]++;
  }
  return { islandOf: parent, islandSize };
}
