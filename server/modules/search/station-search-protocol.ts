/** Messages between the API thread and the station search thread (station-search-worker.ts). */
import type { LngLat } from '../../geo/coords.js';
import type { Ranked } from './ranking.js';
import type { SearchableStation, StationRun } from './station-search-index.js';
import type { PreparedQuery } from './text-index.js';

export type StationSearchRequest =
  /**
   * One slice of a whole snapshot (stations `from`..`from + ids.length` of `total`), as columns:
   * typed arrays are transferred, and arrays of strings copy far quicker than as many objects.
   * The snapshot replaces the thread's once its last slice is in.
   */
  | {
      type: 'load';
      version: number;
      total: number;
      from: number;
      ids: Int32Array;
      lng: Float64Array;
      lat: Float64Array;
      names: string[];
      namesEn: Array<string | null>;
      addresses: Array<string | null>;
    }
  /** The next snapshot as stretches of the thread's current one and the stations changed. */
  | { type: 'patch'; version: number; runs: Array<StationRun<SearchableStation>> }
  /** The best `limit` stations of the current snapshot (as it is when this message arrives). */
  | { type: 'rank'; requestId: number; query: PreparedQuery; near?: LngLat; limit: number }
  /**
   * Answered once the current snapshot's index is complete (names spelt in context), with the
   * thread's heap in use: the bench's memory figures, and tests that wait for the background work.
   */
  | { type: 'settle'; requestId: number };

export type StationSearchResponse =
  | { type: 'ranked'; requestId: number; version: number; ranked: Ranked[]; threadId: number }
  | { type: 'settled'; requestId: number; heapUsedBytes: number }
  /** Without a requestId: a snapshot could not be taken in (the thread now holds none). */
  | { type: 'error'; requestId?: number; message: string };
