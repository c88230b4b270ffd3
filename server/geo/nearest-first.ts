/**
 * Points of a KDBush index in increasing order of a lower bound on their geodesic distance from an
 * origin: a best-first walk of the k-d tree (as geokdbush does on the sphere), with a metric that
 * is cheap to compute and never more than the WGS-84 geodesic. The caller computes exact distances
 * for what it takes and knows every point not yet taken is at least `lowerBoundM` away: enough to
 * stop a k-nearest search exactly, with whatever filters the caller applies along the way.
 */
import type KDBush from 'kdbush';
import TinyQueue from 'tinyqueue';

/** Least metres in a degree of latitude on WGS-84: the meridian radius is smallest at the equator. */
const MIN_METRES_PER_DEGREE_LAT = 110_574;
/** Metres in a degree of longitude at the equator, a · π/180; at latitude φ it is at least this · cos φ. */
const EQUATOR_METRES_PER_DEGREE_LNG = 111_319.49;
/**
 * Degrees of latitude either side of the origin within which the bound holds. Searches stop at
 * 50 km (under half a degree); a geodesic that short bows poleward by far less than the rest.
 */
export const BOUND_BAND_DEGREES = 1;

export interface NearestFirstItem {
  /** Position of the point in the order it was added to the index. */
  index: number;
  /** Metres the point is at least from the origin (its geodesic distance is never less). */
  lowerBoundM: number;
}

interface QueueEntry {
  /** ≥ 0: a point (its index); -1: a node of the tree. */
  point: number;
  bound: number;
  left: number;
  right: number;
  axis: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * Walks `index` from (lng, lat) outwards. The bound is a flat distance with the smallest
 * metres-per-degree anywhere in the band: along any path inside the band, ds² = (M dφ)² +
 * (N cos φ dλ)² is at least that, so no geodesic there is shorter.
 */
export function* nearestFirst(
  index: KDBush,
  lng: number,
  lat: number,
): Generator<NearestFirstItem, void, undefined> {
  const highestLat = Math.min(89.9, Math.abs(lat) + BOUND_BAND_DEGREES);
  const kx = EQUATOR_METRES_PER_DEGREE_LNG * Math.cos((highestLat * Math.PI) / 180);
  const ky = MIN_METRES_PER_DEGREE_LAT;
  const boxBound = (minX: number, minY: number, maxX: number, maxY: number) => {
    const dx = lng < minX ? minX - lng : lng > maxX ? lng - maxX : 0;
    const dy = lat < minY ? minY - lat : lat > maxY ? lat - maxY : 0;
    return Math.sqrt(dx * kx * (dx * kx) + dy * ky * (dy * ky));
  };
  const { ids, coords, nodeSize } = index;
  const queue = new TinyQueue<QueueEntry>([], (a, b) => a.bound - b.bound);
  const pushPoint = (i: number) => {
    const x = coords[2 * i]!;
    const y = coords[2 * i + 1]!;
    queue.push({
      point: ids[i]!,
      bound: boxBound(x, y, x, y),
      left: 0,
      right: 0,
      axis: 0,
      minX: 0,
      minY: 0,
      maxX: 0,
      maxY: 0,
    });
  };
  if (index.numItems === 0) return;
  queue.push({
    point: -1,
    bound: 0,
    left: 0,
    right: ids.length - 1,
    axis: 0,
    minX: -Infinity,
    minY: -Infinity,
    maxX: Infinity,
    maxY: Infinity,
  });
  while (queue.length > 0) {
    const entry = queue.pop()!;
    if (entry.point >= 0) {
      yield { index: entry.point, lowerBoundM: entry.bound };
      continue;
    }
    const { left, right, axis } = entry;
    if (right - left <= nodeSize) {
      for (let i = left; i <= right; i++) pushPoint(i);
      continue;
    }
    // KDBush keeps each node's median in the middle, smaller coordinates (on `axis`) before it.
    const middle = (left + right) >> 1;
    const mx = coords[2 * middle]!;
    const my = coords[2 * middle + 1]!;
    pushPoint(middle);
    const nextAxis = 1 - axis;
    const lower = {
      point: -1,
      left,
      right: middle - 1,
      axis: nextAxis,
      minX: entry.minX,
      minY: entry.minY,
      maxX: axis === 0 ? mx : entry.maxX,
      maxY: axis === 1 ? my : entry.maxY,
      bound: 0,
    };
    const upper = {
      point: -1,
      left: middle + 1,
      right,
      axis: nextAxis,
      minX: axis === 0 ? mx : entry.minX,
      minY: axis === 1 ? my : entry.minY,
      maxX: entry.maxX,
      maxY: entry.maxY,
      bound: 0,
    };
    for (const child of [lower, upper]) {
      if (child.left > child.right) continue;
      child.bound = boxBound(child.minX, child.minY, child.maxX, child.maxY);
      queue.push(child);
    }
  }
}
