/**
 * Ground distances at city scale without a database round trip: metres east/north of a reference
 * latitude on the WGS-84 ellipsoid (meridional and prime-vertical radii). Over a few kilometres
 * this agrees with PostGIS geography distances to well under a metre.
 */
const A = 6_378_137;
const E2 = 0.006_694_379_990_14;

export interface LocalFrame {
  metresPerDegLng: number;
  metresPerDegLat: number;
}

export function localFrame(lat: number): LocalFrame {
  const phi = (lat * Math.PI) / 180;
  const s = Math.sin(phi);
  const w = Math.sqrt(1 - E2 * s * s);
  const meridional = (A * (1 - E2)) / (w * w * w);
  const primeVertical = A / w;
  return {
    metresPerDegLat: (meridional * Math.PI) / 180,
    metresPerDegLng: (primeVertical * Math.cos(phi) * Math.PI) / 180,
  };
}

/** More pairs within the radius than a request may hold (`pointsWithin`'s `maxPairs`). */
export class TooManyPairsError extends Error {
  constructor(readonly maxPairs: number) {
    super(`more than ${maxPairs} point pairs within the radius`);
  }
}

/**
 * Indices of `points` within `radiusM` of each query point, through a grid hash of the points.
 * Stops with `TooManyPairsError` once more than `maxPairs` pairs are found (bounded memory).
 */
export function pointsWithin(
  points: ReadonlyArray<{ lng: number; lat: number }>,
  queries: ReadonlyArray<{ lng: number; lat: number }>,
  radiusM: number,
  maxPairs = Infinity,
): Int32Array[] {
  if (points.length === 0) return queries.map(() => new Int32Array(0));
  const midLat = points.reduce((s, p) => s + p.lat, 0) / points.length;
  const frame = localFrame(midLat);
  // 25 % slack: a degree of longitude shrinks northwards, so cells must stay at least one radius wide.
  const cellLng = (1.25 * radiusM) / frame.metresPerDegLng;
  const cellLat = (1.25 * radiusM) / frame.metresPerDegLat;
  const buckets = new Map<string, number[]>();
  points.forEach((p, i) => {
    const key = `${Math.floor(p.lng / cellLng)},${Math.floor(p.lat / cellLat)}`;
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = []));
    bucket.push(i);
  });
  let pairs = 0;
  return queries.map((q) => {
    const f = localFrame(q.lat);
    const cx = Math.floor(q.lng / cellLng);
    const cy = Math.floor(q.lat / cellLat);
    const found: number[] = [];
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const i of buckets.get(`${cx + dx},${cy + dy}`) ?? []) {
          const p = points[i]!;
          const east = (p.lng - q.lng) * f.metresPerDegLng;
          const north = (p.lat - q.lat) * f.metresPerDegLat;
          if (east * east + north * north <= radiusM * radiusM) found.push(i);
        }
      }
    }
    pairs += found.length;
    if (pairs > maxPairs) throw new TooManyPairsError(maxPairs);
    return Int32Array.from(found);
  });
}
