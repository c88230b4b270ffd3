/** Points near street segments, in memory: a pure function (worker threads use it too). */
import { localFrame } from './local-distance.js';

/** Whether each point lies within `radiusM` of any segment (grid hash of the segments). */
export function pointsNearSegments(
  segments: Float64Array,
  points: ReadonlyArray<{ lng: number; lat: number }>,
  radiusM: number,
): boolean[] {
  if (points.length === 0 || segments.length === 0) return points.map(() => false);
  const frame = localFrame(points[0]!.lat);
  // Cells at least 2·radius wide (a degree of longitude shrinks northwards: 25 % slack).
  const cellX = (2.5 * radiusM) / frame.metresPerDegLng;
  const cellY = (2.5 * radiusM) / frame.metresPerDegLat;
  const buckets = new Map<number, number[]>();
  const key = (i: number, j: number) => i * 1_000_003 + j;
  const marginX = (1.25 * radiusM) / frame.metresPerDegLng;
  const marginY = (1.25 * radiusM) / frame.metresPerDegLat;
  for (let s = 0; s < segments.length / 4; s++) {
    const [x1, y1, x2, y2] = segments.subarray(s * 4, s * 4 + 4);
    const i0 = Math.floor((Math.min(x1!, x2!) - marginX) / cellX);
    const i1 = Math.floor((Math.max(x1!, x2!) + marginX) / cellX);
    const j0 = Math.floor((Math.min(y1!, y2!) - marginY) / cellY);
    const j1 = Math.floor((Math.max(y1!, y2!) + marginY) / cellY);
    for (let i = i0; i <= i1; i++) {
      for (let j = j0; j <= j1; j++) {
        const list = buckets.get(key(i, j));
        if (list) list.push(s);
        else buckets.set(key(i, j), [s]);
      }
    }
  }
  return points.map(({ lng, lat }) => {
    const list = buckets.get(key(Math.floor(lng / cellX), Math.floor(lat / cellY)));
    if (!list) return false;
    const f = localFrame(lat);
    for (const s of list) {
      const ax = (segments[s * 4]! - lng) * f.metresPerDegLng;
      const ay = (segments[s * 4 + 1]! - lat) * f.metresPerDegLat;
      const bx = (segments[s * 4 + 2]! - lng) * f.metresPerDegLng;
      const by = (segments[s * 4 + 3]! - lat) * f.metresPerDegLat;
      const dx = bx - ax;
      const dy = by - ay;
      const l2 = dx * dx + dy * dy;
      const t = l2 > 0 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / l2)) : 0;
      if (Math.hypot(ax + t * dx, ay + t * dy) <= radiusM) return true;
    }
    return false;
  });
}
