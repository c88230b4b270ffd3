/**
 * Client-side point clusters for the Leaflet view, made by supercluster with the options MapLibre's
 * GeoJSON source passes it (`cluster: true, clusterRadius: 40, clusterMaxZoom: 13` in
 * maplibre-adapter.ts), so both maps group the same points alike. Zooms here are MapLibre's
 * (512-px tiles); a Leaflet zoom (256-px tiles) is one more.
 */
import Supercluster from 'supercluster';
import type { Feature, FeatureCollection, Point } from 'geojson';

export const CLUSTER_RADIUS_PX = 40;
export const CLUSTER_MAX_ZOOM = 13;

export interface PointClusters {
  /**
   * The features to draw at a MapLibre zoom: points as given, clusters as Point features with
   * `point_count` and `expansion_zoom` (the zoom at which they split), as /api/map/stations sends.
   */
  at(zoom: number): Feature[];
}

export function pointClusters(data: FeatureCollection): PointClusters {
  const points = data.features.filter((f): f is Feature<Point> => f.geometry?.type === 'Point');
  // supercluster hands points back rebuilt from its projected copy (the top-level id dropped, the
  // coordinates a last bit off) but with the same properties object: that finds the original.
  const originals = new Map<object, Feature>();
  const inputs = points.map((f) => {
    const properties = f.properties ?? {};
    originals.set(properties, f);
    return { ...f, properties };
  });
  const index = new Supercluster({ radius: CLUSTER_RADIUS_PX, maxZoom: CLUSTER_MAX_ZOOM });
  index.load(inputs);
  return {
    at(zoom) {
      const z = Math.max(0, Math.floor(zoom));
      return index.getClusters([-180, -85, 180, 85], z).map((f) => {
        const id = f.properties?.cluster_id;
        if (!f.properties?.cluster || typeof id !== 'number') return originals.get(f.properties) ?? f;
        return {
          type: 'Feature' as const,
          geometry: f.geometry,
          properties: {
            cluster: true,
            point_count: f.properties.point_count,
            expansion_zoom: index.getClusterExpansionZoom(id),
          },
        };
      });
    },
  };
}
