import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { pointClusters } from '../../../client/src/lib/map/point-clusters.js';

/** 50 points within ~100 m of 天安门 and one in 延庆, 70 km away. */
function stations(): FeatureCollection {
  const near = Array.from({ length: 50 }, (_, i) => ({
    type: 'Feature' as const,
    id: i + 1,
    geometry: { type: 'Point' as const, coordinates: [116.3975 + (i % 10) * 0.0001, 39.9087 + Math.floor(i / 10) * 0.0001] },
    properties: { id: i + 1, kind: 'warm_post' },
  }));
  const far = { type: 'Feature' as const, id: 99, geometry: { type: 'Point' as const, coordinates: [115.97, 40.46] }, properties: { id: 99 } };
  return { type: 'FeatureCollection', features: [...near, far] };
}

describe('pointClusters (supercluster, as MapLibre clusters)', () => {
  it('groups nearby points when zoomed out, with the count and the zoom at which they split', () => {
    const features = pointClusters(stations()).at(10);
    const cluster = features.find((f) => f.properties?.cluster);
    expect(cluster?.properties?.point_count).toBe(50);
    expect(cluster?.properties?.expansion_zoom).toBeGreaterThan(10);
    // The far point stays a point, with its own properties.
    expect(features.find((f) => f.properties?.id === 99)?.geometry).toEqual(stations().features.at(-1)!.geometry);
    expect(features).toHaveLength(2);
  });

  it('shows every point one by one past the last clustered zoom (13)', () => {
    const features = pointClusters(stations()).at(14);
    expect(features).toHaveLength(51);
    // The very features given, ids and exact coordinates kept (a click hands them on).
    expect(features.map((f) => f.id).sort((a, b) => Number(a) - Number(b))).toEqual([...Array.from({ length: 50 }, (_, i) => i + 1), 99]);
    expect(features.every((f) => !f.properties?.cluster)).toBe(true);
  });

  it('ignores what is not a point, and copes with nothing', () => {
    expect(pointClusters({ type: 'FeatureCollection', features: [] }).at(5)).toEqual([]);
    const line = { type: 'Feature' as const, geometry: { type: 'LineString' as const, coordinates: [[0, 0], [1, 1]] }, properties: {} };
    expect(pointClusters({ type: 'FeatureCollection', features: [line] }).at(5)).toEqual([]);
  });
});
