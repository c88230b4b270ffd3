/**
 * Typed arrays in shared memory: the CPU pool's threads read them without a copy (a typed array
 * over a SharedArrayBuffer crosses postMessage by reference). For data built once and then only
 * read — a road graph, a population layer's cells — so no locking is needed.
 */
type SharedKind<T> = { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };

export function sharedArray<T extends Float64Array | Float32Array | Int32Array | Uint16Array>(
  Kind: SharedKind<T>,
  length: number,
): T {
  return new Kind(new SharedArrayBuffer(length * Kind.BYTES_PER_ELEMENT));
}
