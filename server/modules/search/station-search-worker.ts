/**
 * The station search thread: holds the stations' text index (station-search-index.ts) and answers
 * queries with the best stations by position, so the 4–15 ms of CPU a broad query costs at 200,000
 * stations, the ~84 ms of an edit's patch and the ~1 s of a cold build never hold the API's event
 * loop. It keeps the only copy of the index; the API thread keeps the station records and turns
 * positions back into them (station-search-thread.ts).
 *
 * Messages are taken in order, so a query is answered from the snapshot sent before it: a query
 * captures the current snapshot when it arrives and waits for that snapshot's index, while later
 * loads and patches go on in the same turns the build gives away.
 */
import { parentPort, threadId } from 'node:worker_threads';
import v8 from 'node:v8';
import { rankStations } from './ranking.js';
import {
  StationSearchIndex,
  type SearchableSnapshot,
  type SearchableStation,
} from './station-search-index.js';
import type { StationSearchRequest, StationSearchResponse } from './station-search-protocol.js';

interface HeldSnapshot extends SearchableSnapshot {
  version: number;
  stations: SearchableStation[];
}

/** What queries are answered from: the last snapshot sent whole. */
let current: HeldSnapshot | null = null;
/** A whole snapshot arriving in slices. */
let loading: HeldSnapshot | null = null;

const post = (message: StationSearchResponse) => parentPort!.postMessage(message);

/** Starts the snapshot's index at once: the query sent after it waits for it anyway. */
function use(snapshot: HeldSnapshot) {
  current = snapshot;
  // A failed build is reported to the queries waiting for it (StationSearchIndex.of tries again).
  StationSearchIndex.of(snapshot).catch(() => {});
}

function receiveSlice(message: Extract<StationSearchRequest, { type: 'load' }>) {
  if (message.from === 0) {
    loading = { version: message.version, stations: new Array(message.total) };
  }
  if (!loading || loading.version !== message.version) {
    throw new Error(`slice of version ${message.version} without its start`);
  }
  const { ids, lng, lat, names, namesEn, addresses, from } = message;
  for (let i = 0; i < ids.length; i++) {
    loading.stations[from + i] = {
      id: ids[i]!,
      name: names[i]!,
      name_en: namesEn[i]!,
      address: addresses[i]!,
      lng: lng[i]!,
      lat: lat[i]!,
    };
  }
  if (from + ids.length >= message.total) {
    use(loading);
    loading = null;
  }
}

function applyPatch(message: Extract<StationSearchRequest, { type: 'patch' }>) {
  if (!current) throw new Error(`patch to version ${message.version} without a snapshot`);
  const held = current.stations;
  const stations: SearchableStation[] = [];
  for (const run of message.runs) {
    if ('station' in run) stations.push(run.station);
    else for (let k = 0; k < run.count; k++) stations.push(held[run.from + k]!);
  }
  use({ version: message.version, stations });
}

async function settle(message: Extract<StationSearchRequest, { type: 'settle' }>) {
  if (current) await (await StationSearchIndex.of(current)).complete;
  // Only where the process exposes gc (the bench does): the figure is then what is kept.
  (globalThis as { gc?: () => void }).gc?.();
  const heapUsedBytes = v8.getHeapStatistics().used_heap_size;
  post({ type: 'settled', requestId: message.requestId, heapUsedBytes });
}

async function rank(message: Extract<StationSearchRequest, { type: 'rank' }>) {
  const target = current;
  if (!target) throw new Error('no stations loaded');
  const index = await StationSearchIndex.of(target);
  const ranked = rankStations(index, message.query, message.near, message.limit);
  post({ type: 'ranked', requestId: message.requestId, version: target.version, ranked, threadId });
}

parentPort!.on('message', (message: StationSearchRequest) => {
  try {
    switch (message.type) {
      case 'load':
        receiveSlice(message);
        return;
      case 'patch':
        applyPatch(message);
        return;
      case 'rank':
      case 'settle':
        (message.type === 'rank' ? rank(message) : settle(message)).catch((error: Error) =>
          post({ type: 'error', requestId: message.requestId, message: error.message }),
        );
        return;
    }
  } catch (error) {
    // A snapshot that could not be taken in: forget every one, so the API thread sends a whole one.
    current = loading = null;
    post({ type: 'error', message: (error as Error).message });
  }
});
