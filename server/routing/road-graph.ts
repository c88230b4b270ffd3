/**
 * The road network in compact typed arrays, ready for many shortest-path queries.
 *
 * Edges keep their dense ids (0‥E-1). Every edge has two directions, addressed by an *edge ref*:
 * `ref = edgeId * 2` goes source→target, `ref = edgeId * 2 + 1` goes target→source. Each profile has
 * one float32 cost per ref (Infinity = no access) and two CSR adjacency lists over the directions it
 * may use: forward (arcs leaving a node) for the search from the origin, reverse (arcs entering a
 * node) for the search from the destination. Arcs store the neighbour and the ref, and read their
 * cost through the ref, so the per-ref cost array is shared by both lists and by snapped partial
 * edges; that keeps a million-edge graph with three profiles well under 200 MB.
 *
 * The arrays the searches and the geometry read live in shared memory, so the CPU pool's threads
 * (network coverage, contraction) read the graph without a copy; they are never written after
 * construction.
 */
import type { LngLat } from './geo.js';
import { PROFILE_TIME_FIELDS, type RoadEdgeRow } from './graph-builder.js';
import { PROFILES, type ProfileName } from './profiles.js';
import { sharedArray } from '../work/shared-memory.js';

/** The edge fields the graph needs; database rows and builder rows both satisfy it. */
export type RoadGraphEdgeInput = Pick<
  RoadEdgeRow,
  | 'id'
  | 'source'
  | 'target'
  | 'coordinates'
  | 'lengthM'
  | 'name'
  | 'highway'
  | 'walkFwdS'
  | 'walkBwdS'
  | 'bikeFwdS'
  | 'bikeBwdS'
  | 'driveFwdS'
  | 'driveBwdS'
>;

export interface Adjacency {
  /** Arcs of node `n` are `offsets[n]` ‥ `offsets[n + 1] - 1`. */
  offsets: Int32Array;
  /** The node at the other end of each arc. */
  heads: Int32Array;
  /** The edge ref (edge id and direction) each arc travels. */
  refs: Int32Array;
}

export interface ProfileGraph {
  /** Seconds per edge ref; Infinity where the profile has no access in that direction. */
  costs: Float32Array;
  forward: Adjacency;
  reverse: Adjacency;
}

/** What an edge's geometry is read from: a `RoadGraph`, or its arrays in a worker thread. */
export interface RoadGeometryArrays {
  edgeCount: number;
  nodeCoords: Float64Array;
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  geometryOffsets: Int32Array;
  geometryCoords: Float64Array;
}

/** Full geometry of an edge from source to target, as flat `[lng, lat, …]`. */
export function edgeFlatCoordinatesOf(g: RoadGeometryArrays, edgeId: number): Float64Array {
  const start = g.geometryOffsets[edgeId];
  const end = g.geometryOffsets[edgeId + 1];
  const flat = new Float64Array((end - start + 2) * 2);
  const source = g.edgeSource[edgeId];
  const target = g.edgeTarget[edgeId];
  flat[0] = g.nodeCoords[source * 2];
  flat[1] = g.nodeCoords[source * 2 + 1];
  flat.set(g.geometryCoords.subarray(start * 2, end * 2), 2);
  flat[flat.length - 2] = g.nodeCoords[target * 2];
  flat[flat.length - 1] = g.nodeCoords[target * 2 + 1];
  return flat;
}

export class RoadGraph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** `[lng0, lat0, lng1, lat1, …]` by node id. */
  readonly nodeCoords: Float64Array;
  readonly edgeSource: Int32Array;
  readonly edgeTarget: Int32Array;
  readonly edgeLengthM: Float32Array;
  /** Index into `names`, or -1 for an unnamed edge. */
  readonly edgeNameIndex: Int32Array;
  readonly names: readonly string[];
  readonly edgeHighwayIndex: Uint16Array;
  readonly highways: readonly string[];
  /**
   * Interior points of each edge's geometry (the end points are the node coordinates and are not
   * stored twice): `geometryCoords[geometryOffsets[e] * 2 …]`, flat `[lng, lat]` pairs.
   */
  readonly geometryOffsets: Int32Array;
  readonly geometryCoords: Float64Array;
  readonly profiles: Readonly<Partial<Record<ProfileName, ProfileGraph>>>;

  private constructor(edges: readonly RoadGraphEdgeInput[], profiles: readonly ProfileName[]) {
    const edgeCount = edges.length;
    let maxNode = -1;
    let interiorPoints = 0;
    for (let e = 0; e < edgeCount; e++) {
      const edge = edges[e];
      if (edge.id !== e) {
        throw new Error(`RoadGraph needs edges sorted by dense id: row ${e} has id ${edge.id}`);
      }
      if (edge.coordinates.length < 2) throw new Error(`Edge ${e} has fewer than 2 coordinates`);
      maxNode = Math.max(maxNode, edge.source, edge.target);
      interiorPoints += edge.coordinates.length - 2;
    }
    this.edgeCount = edgeCount;
    this.nodeCount = maxNode + 1;
    this.nodeCoords = sharedArray(Float64Array, this.nodeCount * 2).fill(NaN);
    this.edgeSource = sharedArray(Int32Array, edgeCount);
    this.edgeTarget = sharedArray(Int32Array, edgeCount);
    this.edgeLengthM = new Float32Array(edgeCount);
    this.edgeNameIndex = new Int32Array(edgeCount);
    this.edgeHighwayIndex = new Uint16Array(edgeCount);
    this.geometryOffsets = sharedArray(Int32Array, edgeCount + 1);
    this.geometryCoords = sharedArray(Float64Array, interiorPoints * 2);

    const names = new Interner();
    const highways = new Interner();
    let point = 0;
    for (let e = 0; e < edgeCount; e++) {
      const edge = edges[e];
      const coords = edge.coordinates;
      this.edgeSource[e] = edge.source;
      this.edgeTarget[e] = edge.target;
      this.edgeLengthM[e] = edge.lengthM;
      this.edgeNameIndex[e] = edge.name === null ? -1 : names.indexOf(edge.name);
      this.edgeHighwayIndex[e] = highways.indexOf(edge.highway);
      this.setNodeCoords(edge.source, coords[0]);
      this.setNodeCoords(edge.target, coords[coords.length - 1]);
      this.geometryOffsets[e] = point;
      for (let i = 1; i < coords.length - 1; i++, point++) {
        this.geometryCoords[point * 2] = coords[i][0];
        this.geometryCoords[point * 2 + 1] = coords[i][1];
      }
    }
    this.geometryOffsets[edgeCount] = point;
    for (let n = 0; n < this.nodeCount; n++) {
      if (Number.isNaN(this.nodeCoords[n * 2])) {
        throw new Error(`RoadGraph needs dense node ids: node ${n} is not used by any edge`);
      }
    }
    if (highways.values.length > 0xffff) throw new Error('Too many distinct highway classes');
    this.names = names.values;
    this.highways = highways.values;

    const built: Partial<Record<ProfileName, ProfileGraph>> = {};
    for (const profile of profiles) built[profile] = this.buildProfile(edges, profile);
    this.profiles = built;
  }

  /** Builds the graph from edge rows sorted by id (as the builder emits them or `ORDER BY id`). */
  static fromEdgeRows(
    edges: readonly RoadGraphEdgeInput[],
    options: { profiles?: readonly ProfileName[] } = {},
  ): RoadGraph {
    return new RoadGraph(edges, options.profiles ?? PROFILES);
  }

  profile(name: ProfileName): ProfileGraph {
    const graph = this.profiles[name];
    if (!graph) throw new Error(`RoadGraph was built without the ${name} profile`);
    return graph;
  }

  /** Whether the profile may travel the edge in at least one direction. */
  isEdgeUsable(profile: ProfileName, edgeId: number): boolean {
    const costs = this.profile(profile).costs;
    return costs[edgeId * 2] !== Infinity || costs[edgeId * 2 + 1] !== Infinity;
  }

  edgeName(edgeId: number): string | null {
    const index = this.edgeNameIndex[edgeId];
    return index < 0 ? null : this.names[index];
  }

  edgeHighway(edgeId: number): string {
    return this.highways[this.edgeHighwayIndex[edgeId]];
  }

  /** Full geometry of an edge from source to target, as flat `[lng, lat, …]`. */
  edgeFlatCoordinates(edgeId: number): Float64Array {
    return edgeFlatCoordinatesOf(this, edgeId);
  }

  /** The arrays the edges' geometry is read from (shared memory: no copy to a worker thread). */
  geometryArrays(): RoadGeometryArrays {
    const { edgeCount, nodeCoords, edgeSource, edgeTarget, geometryOffsets, geometryCoords } = this;
    return { edgeCount, nodeCoords, edgeSource, edgeTarget, geometryOffsets, geometryCoords };
  }

  nodeLngLat(node: number): LngLat {
    return [this.nodeCoords[node * 2], this.nodeCoords[node * 2 + 1]];
  }

  /** Bytes held by the graph's typed arrays (names and highway strings excluded). */
  memoryBytes(): number {
    let bytes =
      this.nodeCoords.byteLength +
      this.edgeSource.byteLength +
      this.edgeTarget.byteLength +
      this.edgeLengthM.byteLength +
      this.edgeNameIndex.byteLength +
      this.edgeHighwayIndex.byteLength +
      this.geometryOffsets.byteLength +
      this.geometryCoords.byteLength;
    for (const graph of Object.values(this.profiles)) {
      bytes += graph.costs.byteLength;
      for (const adjacency of [graph.forward, graph.reverse]) {
        bytes += adjacency.offsets.byteLength + adjacency.heads.byteLength;
        bytes += adjacency.refs.byteLength;
      }
    }
    return bytes;
  }

  private setNodeCoords(node: number, [lng, lat]: LngLat): void {
    this.nodeCoords[node * 2] = lng;
    this.nodeCoords[node * 2 + 1] = lat;
  }

  private buildProfile(edges: readonly RoadGraphEdgeInput[], profile: ProfileName): ProfileGraph {
    const [fwdField, bwdField] = PROFILE_TIME_FIELDS[profile];
    const costs = sharedArray(Float32Array, this.edgeCount * 2);
    for (let e = 0; e < this.edgeCount; e++) {
      costs[e * 2] = edges[e][fwdField] ?? Infinity;
      costs[e * 2 + 1] = edges[e][bwdField] ?? Infinity;
    }
    // A ref's tail and head: ref 2e runs source→target, ref 2e+1 target→source.
    const tail = (ref: number) => (ref & 1 ? this.edgeTarget[ref >> 1] : this.edgeSource[ref >> 1]);
    const head = (ref: number) => (ref & 1 ? this.edgeSource[ref >> 1] : this.edgeTarget[ref >> 1]);
    return {
      costs,
      forward: this.buildAdjacency(costs, tail, head),
      reverse: this.buildAdjacency(costs, head, tail),
    };
  }

  /** Counting-sort CSR: arcs grouped by `from(ref)`, each pointing at `to(ref)`. */
  private buildAdjacency(
    costs: Float32Array,
    from: (ref: number) => number,
    to: (ref: number) => number,
  ): Adjacency {
    const offsets = sharedArray(Int32Array, this.nodeCount + 1);
    let arcCount = 0;
    for (let ref = 0; ref < costs.length; ref++) {
      if (costs[ref] === Infinity) continue;
      offsets[from(ref) + 1]++;
      arcCount++;
    }
    for (let n = 0; n < this.nodeCount; n++) offsets[n + 1] += offsets[n];
    const heads = sharedArray(Int32Array, arcCount);
    const refs = sharedArray(Int32Array, arcCount);
    const cursor = offsets.slice(0, this.nodeCount);
    for (let ref = 0; ref < costs.length; ref++) {
      if (costs[ref] === Infinity) continue;
      const slot = cursor[from(ref)]++;
      heads[slot] = to(ref);
      refs[slot] = ref;
    }
    return { offsets, heads, refs };
  }
}

/** Assigns small integer ids to repeated strings (street names, highway classes). */
class Interner {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();

  indexOf(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
}
