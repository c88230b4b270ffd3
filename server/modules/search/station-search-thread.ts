/**
 * The API thread's side of the station search thread (station-search-worker.ts): it sends the
 * mirror's snapshots there (a whole one in slices, an edit as a patch), asks for the best stations
 * of a query and turns the positions answered back into the snapshot's records. The event loop
 * only posts and receives; the text index, its builds and every query's scan live in the thread.
 *
 * Cost is bounded like other heavy work: `concurrency` queries in the thread at once, `queue` more
 * waiting, and past that a 503 with Retry-After in the asker's language. One thread, so one copy
 * of the index; it starts with the first search (as the index did) and again after a crash.
 */
import type { Worker } from 'node:worker_threads';
import type { LngLat } from '../../geo/coords.js';
import { bilingualError } from '../../http/errors.js';
import { siblingModule, startWorker } from '../../threads/start-worker.js';
import { WorkLimiter } from '../../work/work-limiter.js';
import type { StationSnapshot } from '../stations/station-mirror.js';
import type { StationRecord } from '../stations/stations.repository.js';
import type { Ranked } from './ranking.js';
import { searchBusy, searchUnavailable } from './search-messages.js';
import { diffStations, PATCH_LIMIT, type SearchableStation } from './station-search-index.js';
import type { StationSearchRequest, StationSearchResponse } from './station-search-protocol.js';
import type { PreparedQuery } from './text-index.js';

/**
 * Stations per slice of a whole snapshot, a turn of the event loop between: copying and posting
 * one costs ~0.5 ms (measured: 200,000 stations in ~50–70 ms of the event loop in all).
 */
const LOAD_SLICE = 2_000;
const RETRY_AFTER_S = 2;

export interface StationSearchOptions {
  /** Queries in the thread at once: one scanning, one posted behind it (no idle round trip). */
  concurrency?: number;
  /** Queries that may wait for those; more are refused (503). */
  queue: number;
}

/** The best stations for a query, as records of the snapshot they were ranked in. */
export interface StationRanking {
  /** The snapshot `ranked[].ref` are positions in: the one asked about, or a newer one. */
  snapshot: StationSnapshot;
  ranked: Ranked[];
  /** The thread that scanned the index (never the API's). */
  threadId: number;
}

/** What the search service needs of a station index, wherever it runs. */
export interface StationRanker {
  rank(
    snapshot: StationSnapshot,
    query: PreparedQuery,
    near: LngLat | undefined,
    limit: number,
  ): Promise<StationRanking>;
}

interface Pending {
  resolve: (message: StationSearchResponse) => void;
  reject: (error: Error) => void;
}

/** One started thread and what it holds; a crash discards it whole. */
interface Thread {
  worker: Worker;
  /** The snapshot the thread answers from (the last one sent), and the one before it. */
  sent: StationSnapshot | null;
  previous: StationSnapshot | null;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const unavailable = () =>
  bilingualError(503, searchUnavailable(RETRY_AFTER_S), { 'Retry-After': String(RETRY_AFTER_S) });

const searchable = (s: StationRecord): SearchableStation => ({
  id: s.id,
  name: s.name,
  name_en: s.name_en,
  address: s.address,
  lng: s.lng,
  lat: s.lat,
});

export class StationSearchThread implements StationRanker {
  private thread: Thread | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  /** Sends and the queries behind them are posted in this order (see inOrder). */
  private posting: Promise<unknown> = Promise.resolve();
  private readonly limiter: WorkLimiter;

  constructor(options: StationSearchOptions) {
    this.limiter = new WorkLimiter({
      concurrency: options.concurrency ?? 2,
      queue: options.queue,
      what: 'search',
      retryAfterS: RETRY_AFTER_S,
      busyMessages: searchBusy(RETRY_AFTER_S),
    });
  }

  /** Queries in the thread and waiting for it. */
  get active() {
    return this.limiter.active;
  }

  rank(
    snapshot: StationSnapshot,
    query: PreparedQuery,
    near: LngLat | undefined,
    limit: number,
  ): Promise<StationRanking> {
    return this.limiter.run(async () => {
      const { target, answer } = await this.inOrder(async () => {
        const thread = this.ensureThread();
        const target = await this.bringUpTo(thread, snapshot);
        const requestId = this.nextRequestId++;
        const answer = this.ask(thread, { type: 'rank', requestId, query, near, limit });
        return { target, answer };
      });
      const message = await answer;
      if (message.type !== 'ranked' || message.version !== target.version) throw unavailable();
      return { snapshot: target, ranked: message.ranked, threadId: message.threadId };
    });
  }

  /**
   * Waits until the thread's index is complete (polyphonic names spelt in context, in the
   * background after a cold build) and says the thread's heap in use then (bytes; after a
   * collection where the process exposes gc). For the bench and tests; starts the thread if needed.
   */
  async settled(): Promise<{ heapUsedBytes: number }> {
    const { answer } = await this.inOrder(async () => {
      const thread = this.ensureThread();
      return { answer: this.ask(thread, { type: 'settle', requestId: this.nextRequestId++ }) };
    });
    const message = await answer;
    if (message.type !== 'settled') throw unavailable();
    return { heapUsedBytes: message.heapUsedBytes };
  }

  /** Ends the thread (the app closes with its database). */
  async close(): Promise<void> {
    const thread = this.thread;
    this.thread = null;
    this.failAll(unavailable());
    await thread?.worker.terminate();
  }

  /**
   * Runs `post` after every send and query posted before it: a whole snapshot goes out over
   * several turns, and no query may slip in between its slices.
   */
  private inOrder<T>(post: () => Promise<T>): Promise<T> {
    const step = this.posting.then(post);
    this.posting = step.catch(() => undefined);
    return step;
  }

  /** Makes the thread hold `snapshot` (or a newer one) and says which it holds. */
  private async bringUpTo(thread: Thread, snapshot: StationSnapshot): Promise<StationSnapshot> {
    if (thread.sent === snapshot) return snapshot;
    // A request that read the mirror just before another: the newer snapshot answers it too.
    if (thread.previous === snapshot && thread.sent) return thread.sent;
    // An identity compare per station, here: ~2.5 ms at 200,000 (measured at load ~8), less than
    // the mirror's own sort of the new snapshot; a big import (null) is sent whole, in slices.
    const runs = thread.sent
      ? diffStations(thread.sent.stations, snapshot.stations, PATCH_LIMIT)
      : null;
    if (runs) {
      const patch = runs.map((run) => ('station' in run ? { station: searchable(run.station) } : run));
      this.post(thread, { type: 'patch', version: snapshot.version, runs: patch });
    } else {
      await this.sendWhole(thread, snapshot);
    }
    thread.previous = thread.sent;
    thread.sent = snapshot;
    return snapshot;
  }

  private async sendWhole(thread: Thread, snapshot: StationSnapshot): Promise<void> {
    const { stations, version } = snapshot;
    const total = stations.length;
    let from = 0;
    do {
      const count = Math.min(LOAD_SLICE, total - from);
      const ids = new Int32Array(count);
      const lng = new Float64Array(count);
      const lat = new Float64Array(count);
      const names: string[] = new Array(count);
      const namesEn: Array<string | null> = new Array(count);
      const addresses: Array<string | null> = new Array(count);
      for (let i = 0; i < count; i++) {
        const s = stations[from + i]!;
        ids[i] = s.id;
        lng[i] = s.lng;
        lat[i] = s.lat;
        names[i] = s.name;
        namesEn[i] = s.name_en;
        addresses[i] = s.address;
      }
      const slice = { type: 'load', version, total, from, ids, lng, lat, names, namesEn, addresses } as const;
      this.post(thread, slice, [ids.buffer, lng.buffer, lat.buffer]);
      from += count;
      if (from < total) await nextTurn();
    } while (from < total);
  }

  private ask(thread: Thread, request: StationSearchRequest & { requestId: number }) {
    const answer = new Promise<StationSearchResponse>((resolve, reject) =>
      this.pending.set(request.requestId, { resolve, reject }),
    );
    this.post(thread, request);
    return answer;
  }

  private post(thread: Thread, message: StationSearchRequest, transfer: ArrayBuffer[] = []) {
    // A thread that died meanwhile would never answer: refuse now rather than wait for ever.
    if (this.thread !== thread) throw unavailable();
    thread.worker.postMessage(message, transfer);
  }

  private ensureThread(): Thread {
    if (this.thread) return this.thread;
    const worker = startWorker(siblingModule(import.meta.url, 'station-search-worker'));
    // Idle, it must not keep a script or a test run alive.
    worker.unref();
    const thread: Thread = { worker, sent: null, previous: null };
    worker.on('message', (message: StationSearchResponse) => this.receive(thread, message));
    worker.on('error', () => this.crashed(thread));
    worker.on('exit', () => this.crashed(thread));
    this.thread = thread;
    return thread;
  }

  private receive(thread: Thread, message: StationSearchResponse) {
    if (message.type === 'error' && message.requestId === undefined) {
      // The thread could not take a snapshot in and now holds none: the next query sends one whole.
      thread.sent = thread.previous = null;
      return;
    }
    const waiting = this.pending.get(message.requestId!);
    this.pending.delete(message.requestId!);
    if (message.type === 'error') waiting?.reject(unavailable());
    else waiting?.resolve(message);
  }

  /** A dead thread fails what waits on it (503); the next query starts one afresh. */
  private crashed(thread: Thread) {
    if (this.thread !== thread) return;
    this.thread = null;
    this.failAll(unavailable());
  }

  private failAll(error: Error) {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
