/**
 * The byte form of a contraction hierarchy, as stored next to its road network (bytea), so an
 * instance loads it instead of contracting the graph again. Little-endian, every array 8-byte
 * aligned: a header of six uint32 (magic, format, node count, ref count, costs hash, up arcs)
 * plus down arcs, then rank, and for up and down: offsets, heads, links, weights.
 *
 * `CH_FORMAT` changes whenever the layout or the contraction's meaning changes; a stored hierarchy
 * of another format is ignored (and rebuilt), never misread.
 */
import type { ContractionHierarchy, HierarchyArcs } from './hierarchy.js';

/**
 * 2: nodes ordered by edge and hop quotients and level (far smaller search spaces), and a core of
 * uncontracted nodes sharing the top rank, whose arcs are listed both up and down.
 */
export const CH_FORMAT = 2;
const MAGIC = 0x48435057; // "WPCH"
const HEADER_WORDS = 8;

const align8 = (bytes: number) => Math.ceil(bytes / 8) * 8;

export function serializeHierarchy(hierarchy: ContractionHierarchy): Uint8Array {
  const arrays = arraysOf(hierarchy);
  let size = HEADER_WORDS * 4;
  for (const array of arrays) size += align8(array.byteLength);
  const bytes = new Uint8Array(size);
  const header = new Uint32Array(bytes.buffer, 0, HEADER_WORDS);
  header.set([
    MAGIC,
    CH_FORMAT,
    hierarchy.nodeCount,
    hierarchy.refCount,
    hierarchy.costsHash,
    hierarchy.up.heads.length,
    hierarchy.down.heads.length,
    0,
  ]);
  let offset = HEADER_WORDS * 4;
  for (const array of arrays) {
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
    offset += align8(array.byteLength);
  }
  return bytes;
}

/** Reads bytes written by `serializeHierarchy`; throws on another format or a truncated copy. */
export function deserializeHierarchy(source: Uint8Array): ContractionHierarchy {
  // The driver's buffer may start at any offset: copy once into an aligned one.
  const bytes = new Uint8Array(source.byteLength);
  bytes.set(source);
  if (bytes.byteLength < HEADER_WORDS * 4) throw new Error('Contraction hierarchy: too short');
  const header = new Uint32Array(bytes.buffer, 0, HEADER_WORDS);
  if (header[0] !== MAGIC) throw new Error('Contraction hierarchy: not a hierarchy');
  if (header[1] !== CH_FORMAT) {
    throw new Error(`Contraction hierarchy: format ${header[1]}, expected ${CH_FORMAT}`);
  }
  const [nodeCount, refCount, costsHash, upArcs, downArcs] = header.subarray(2, 7);
  let offset = HEADER_WORDS * 4;
  const take = <T>(
    make: (buffer: ArrayBuffer, at: number, n: number) => T,
    n: number,
    width: number,
  ) => {
    if (offset + n * width > bytes.byteLength) throw new Error('Contraction hierarchy: truncated');
    const array = make(bytes.buffer, offset, n);
    offset += align8(n * width);
    return array;
  };
  const int32 = (n: number) => take((b, at, count) => new Int32Array(b, at, count), n, 4);
  const float64 = (n: number) => take((b, at, count) => new Float64Array(b, at, count), n, 8);
  const rank = int32(nodeCount);
  const arcs = (count: number): HierarchyArcs => ({
    offsets: int32(nodeCount + 1),
    heads: int32(count),
    links: int32(count),
    weights: float64(count),
  });
  const up = arcs(upArcs);
  const down = arcs(downArcs);
  return { nodeCount, refCount, costsHash, rank, up, down };
}

function arraysOf(h: ContractionHierarchy): Array<Int32Array | Float64Array> {
  return [
    h.rank,
    h.up.offsets,
    h.up.heads,
    h.up.links,
    h.up.weights,
    h.down.offsets,
    h.down.heads,
    h.down.links,
    h.down.weights,
  ];
}
