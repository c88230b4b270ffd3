/**
 * What the map shows of the stations for one viewport: counted clusters when zoomed out, each
 * station on its own when zoomed in. A phone never downloads the whole table (200,000 stations
 * would be megabytes); it asks for its box at its zoom and gets at most a few hundred items.
 *
 * Clusters come from supercluster in a worker thread (building them is CPU-heavy at national
 * scale); individual stations come straight from the station mirror, so they are always current.
 * While the worker rebuilds after an edit, clusters of the previous version are served and said
 * to be so (`clusters_version` < `stations_version`): counts a few seconds old on an overview map,
 * never a stalled request.
 */
import type { Worker } from 'node:worker_threads';
import { HttpError } from '../../http/errors.js';
import { siblingModule, startWorker } from '../../threads/start-worker.js';
import {
  CLUSTER_MAX_ZOOM,
  FIELDS_PER_ITEM,
  type ClusterRequest,
  type ClusterResponse,
} from './cluster-protocol.js';
import type { StationMirror, StationSnapshot } from './station-mirror.js';
import type { StationRecord } from './stations.repository.js';

export type Bbox = [number, number, number, number];

/** Past this many stations in a box at street zoom, clusters are drawn instead. */
export const MAX_STATION_POINTS = 2_000;
/** The widest screen we plan for, in CSS pixels: bounds the box a zoom may ask for. */
const MAX_VIEW_PX = 4_096;
const RETRY = { 'Retry-After': '2' };

export interface MapItem {
  lng: number;
  lat: number;
  /** 1 for a station. */
  count: number;
  /** The station (count 1). */
  station?: StationRecord;
  /** Zoom at which a cluster splits (count > 1). */
  expansionZoom?: number;
}

export interface StationMapView {
  zoom: number;
  items: MapItem[];
  stationsVersion: number;
  /** Version the clusters were built from; null when every item is a station. */
  clustersVersion: number | null;
}

/** Longitude span of a box, antimeridian-crossing boxes included. */
function lngSpan([minLng, , maxLng]: Bbox): number {
  return minLng <= maxLng ? maxLng - minLng : 360 - (minLng - maxLng);
}

/**
 * The zoom the answer is made at: no deeper than asked, and no deeper than a screen of
 * MAX_VIEW_PX can show the whole box at (a country-wide box "at street zoom" is answered as the
 * overview it really is, so its cost stays bounded).
 */
export function effectiveZoom(bbox: Bbox, zoom: number): number {
  const span = Math.max(lngSpan(bbox), 1e-9);
  const fits = Math.floor(Math.log2((360 * MAX_VIEW_PX) / 512 / span));
  return Math.max(0, Math.min(Math.floor(zoom), fits, 22));
}

interface Pending {
  resolve: (r: { version: number; items: Float64Array }) => void;
  reject: (e: Error) => void;
}

export class StationClusters {
  private worker: Worker | null = null;
  private builtVersion = -1;
  private building: { version: number; done: Promise<void> } | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  private loaded: ((version: number) => void) | null = null;
  private failed: ((error: Error) => void) | null = null;

  constructor(private readonly mirror: StationMirror) {}

  async view(bbox: Bbox, zoom: number): Promise<StationMapView> {
    const { snapshot } = await this.mirror.current();
    const z = effectiveZoom(bbox, zoom);
    if (z > CLUSTER_MAX_ZOOM) {
      const inside = snapshot.inBox(bbox);
      if (inside.length <= MAX_STATION_POINTS) {
        return {
          zoom: z,
          items: inside.map((station) => ({
            lng: station.lng,
            lat: station.lat,
            count: 1,
            station,
          })),
          stationsVersion: snapshot.version,
          clustersVersion: null,
        };
      }
    }
    const clusterZoom = Math.min(z, CLUSTER_MAX_ZOOM);
    const { version, items } = await this.query(snapshot, bbox, clusterZoom);
    const out: MapItem[] = [];
    for (let o = 0; o < items.length; o += FIELDS_PER_ITEM) {
      const count = items[o + 2]!;
      if (count > 1) {
        out.push({ lng: items[o]!, lat: items[o + 1]!, count, expansionZoom: items[o + 4]! });
        continue;
      }
      // A single station: its current record, unless it was deleted since the clusters were built.
      const station = snapshot.byId.get(items[o + 3]!);
      if (station) out.push({ lng: station.lng, lat: station.lat, count: 1, station });
    }
    return {
      zoom: clusterZoom,
      items: out,
      stationsVersion: snapshot.version,
      clustersVersion: version,
    };
  }

  /** Ends the worker (the app closes with its database). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.failAll(new Error('closed'));
    await worker?.terminate();
  }

  private async query(snapshot: StationSnapshot, bbox: Bbox, zoom: number) {
    if (this.builtVersion !== snapshot.version) {
      const build = this.build(snapshot);
      // The first build must finish; later ones run while the previous clusters answer.
      if (this.builtVersion < 0) await build;
    }
    const requestId = this.nextRequestId++;
    const answer = new Promise<{ version: number; items: Float64Array }>((resolve, reject) =>
      this.pending.set(requestId, { resolve, reject }),
    );
    this.post({ type: 'query', requestId, bbox, zoom });
    return answer;
  }

  private build(snapshot: StationSnapshot): Promise<void> {
    if (this.building) {
      // One build at a time; a newer snapshot is built when this one is done (next request).
      return this.building.done;
    }
    const stations = snapshot.stations;
    const lng = new Float64Array(stations.length);
    const lat = new Float64Array(stations.length);
    const ids = new Int32Array(stations.length);
    stations.forEach((s, i) => {
      lng[i] = s.lng;
      lat[i] = s.lat;
      ids[i] = s.id;
    });
    const version = snapshot.version;
    const done = new Promise<void>((resolve, reject) => {
      this.loaded = (v) => {
        this.builtVersion = v;
        resolve();
      };
      this.failed = reject;
    }).finally(() => {
      this.building = null;
      this.loaded = this.failed = null;
    });
    this.building = { version, done };
    this.post({ type: 'load', version, lng, lat, ids }, [lng.buffer, lat.buffer, ids.buffer]);
    done.catch(() => {}); // a failed build is reported to the requests waiting on it
    return done;
  }

  private post(message: ClusterRequest, transfer: ArrayBuffer[] = []) {
    this.ensureWorker().postMessage(message, transfer);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(siblingModule(import.meta.url, 'cluster-worker'));
    worker.unref();
    worker.on('message', (message: ClusterResponse) => this.receive(message));
    worker.on('error', (error) => this.crashed(error));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.crashed(new Error(`cluster worker exited (${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private receive(message: ClusterResponse) {
    if (message.type === 'loaded') {
      this.loaded?.(message.version);
      return;
    }
    if (message.type === 'result') {
      const waiting = this.pending.get(message.requestId);
      this.pending.delete(message.requestId);
      waiting?.resolve({ version: message.version, items: message.items });
      return;
    }
    const error = new HttpError(
      503,
      `Station clusters could not be computed: ${message.message}`,
      undefined,
      RETRY,
    );
    if (message.requestId === undefined) {
      this.failed?.(error);
      return;
    }
    this.pending.get(message.requestId)?.reject(error);
    this.pending.delete(message.requestId);
  }

  /** A dead worker fails what waits on it (503) and is started afresh on the next request. */
  private crashed(error: Error) {
    this.worker = null;
    this.builtVersion = -1;
    this.failAll(
      new HttpError(
        503,
        `Station clusters are not available right now: ${error.message}`,
        undefined,
        RETRY,
      ),
    );
  }

  private failAll(error: Error) {
    this.failed?.(error);
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
