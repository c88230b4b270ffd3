/**
 * The station clusters of one snapshot, in a worker thread: building them for 200,000 stations
 * takes about a second of CPU (supercluster's hierarchy over every zoom), which must not stall the
 * API's event loop. The main thread sends coordinates and ids (transferred, not copied) and asks
 * for the clusters in a box at a zoom; answers are packed into one Float64Array.
 */
import { parentPort } from 'node:worker_threads';
import Supercluster, { type AnyProps, type PointFeature } from 'supercluster';
import type { ClusterRequest, ClusterResponse } from './cluster-protocol.js';
import { CLUSTER_MAX_ZOOM, CLUSTER_RADIUS_PX, FIELDS_PER_ITEM } from './cluster-protocol.js';

type PointProps = { id: number };

let index: Supercluster<PointProps, AnyProps> | null = null;
let version = -1;

function load(lng: Float64Array, lat: Float64Array, ids: Int32Array) {
  const points: Array<PointFeature<PointProps>> = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    points[i] = {
      type: 'Feature',
      properties: { id: ids[i]! },
      geometry: { type: 'Point', coordinates: [lng[i]!, lat[i]!] },
    };
  }
  return new Supercluster<PointProps, AnyProps>({
    radius: CLUSTER_RADIUS_PX,
    maxZoom: CLUSTER_MAX_ZOOM,
  }).load(points);
}

function query(bbox: [number, number, number, number], zoom: number): Float64Array {
  const items = index!.getClusters(bbox, zoom);
  const out = new Float64Array(items.length * FIELDS_PER_ITEM);
  items.forEach((item, i) => {
    const [x, y] = item.geometry.coordinates as [number, number];
    const o = i * FIELDS_PER_ITEM;
    out[o] = x;
    out[o + 1] = y;
    if ('cluster' in item.properties && item.properties.cluster) {
      const clusterId = item.properties.cluster_id as number;
      out[o + 2] = item.properties.point_count as number;
      out[o + 3] = clusterId;
      out[o + 4] = index!.getClusterExpansionZoom(clusterId);
    } else {
      out[o + 2] = 1;
      out[o + 3] = (item.properties as PointProps).id;
      out[o + 4] = -1;
    }
  });
  return out;
}

parentPort!.on('message', (message: ClusterRequest) => {
  let response: ClusterResponse;
  try {
    if (message.type === 'load') {
      const started = performance.now();
      index = load(message.lng, message.lat, message.ids);
      version = message.version;
      response = { type: 'loaded', version, ms: performance.now() - started };
    } else {
      if (!index) throw new Error('no clusters loaded');
      const items = query(message.bbox, message.zoom);
      parentPort!.postMessage({ type: 'result', requestId: message.requestId, version, items }, [
        items.buffer as ArrayBuffer,
      ]);
      return;
    }
  } catch (error) {
    response = {
      type: 'error',
      requestId: message.type === 'query' ? message.requestId : undefined,
      message: (error as Error).message,
    };
  }
  parentPort!.postMessage(response);
});
