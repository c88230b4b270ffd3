/**
 * The station search thread: searches are scanned in another thread while the API's event loop
 * keeps turning, answers are the ones the index gives in the API thread, and a full queue is a
 * 503 with Retry-After in the asker's language. 40,000 stations: enough that a broad query takes
 * the thread several milliseconds (the test asserts order of events, never times).
 */
import type { AddressInfo } from 'node:net';
import { threadId } from 'node:worker_threads';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, HttpError } from '../../../server/http/errors.js';
import type { AreaSearch } from '../../../server/modules/search/area-search.js';
import { rankStations } from '../../../server/modules/search/ranking.js';
import { searchRouter } from '../../../server/modules/search/search.routes.js';
import { search, type SearchSources } from '../../../server/modules/search/search.service.js';
import { StationSearchIndex } from '../../../server/modules/search/station-search-index.js';
import { StationSearchThread } from '../../../server/modules/search/station-search-thread.js';
import { prepareQuery, TextIndex } from '../../../server/modules/search/text-index.js';
import {
  StationSnapshot,
  type StationMirror,
} from '../../../server/modules/stations/station-mirror.js';
import { stationRecord } from '../../setup/station-record.js';

const COUNT = 40_000;
const PLACES = '东西南北中华门景山朝阳海淀银行重庆什刹长辛店';
const WORDS = ['暖心驿站', '工会驿站', '骑手之家', '环卫工人休息点', 'Haven'];
const NEAR: [number, number] = [116.4, 39.9];

function stations(count: number) {
  const byId = new Map();
  for (let id = 1; id <= count; id++) {
    const place = [0, 1, 2].map((k) => PLACES[(id * (k + 7) + k * k) % PLACES.length]).join('');
    byId.set(
      id,
      stationRecord({
        id,
        name: `${place}${WORDS[id % WORDS.length]}${id}号`,
        name_en: id % 9 === 0 ? `Post ${id}` : null,
        address: `${place}路${id % 300}号`,
        lng: 116 + ((id * 7919) % 1000) / 1000,
        lat: 39.5 + ((id * 104_729) % 1000) / 1000,
      }),
    );
  }
  return new StationSnapshot(1, byId);
}

const snapshot = stations(COUNT);
const fixedMirror = { current: async () => ({ snapshot, roadNetworkId: null }) } as unknown as StationMirror;
/** No areas: these tests are about the stations' part. */
const noAreas = {
  current: async () => ({ version: '0', areas: [], text: TextIndex.of([]) }),
} as unknown as AreaSearch;

let thread: StationSearchThread;
let sources: SearchSources;

beforeAll(async () => {
  thread = new StationSearchThread({ queue: 8 });
  sources = { stationMirror: fixedMirror, stationSearch: thread, areaSearch: noAreas };
  // The first search starts the thread and builds its index; then the spellings in context.
  await search(sources, { q: '东华门', limit: 10 });
  await thread.settled();
}, 60_000);

afterAll(async () => {
  await thread?.close();
});

/** Counts turns of the event loop (setImmediate) until stopped. */
function countTurns() {
  let turns = 0;
  let handle = setImmediate(function turn() {
    turns++;
    handle = setImmediate(turn);
  });
  return () => {
    clearImmediate(handle);
    return turns;
  };
}

describe('StationSearchThread', () => {
  it('scans in another thread while the event loop keeps turning, even for broad searches at once', async () => {
    const stop = countTurns();
    const ranking = await thread.rank(snapshot, prepareQuery('d'), NEAR, 50);
    const turnsDuringOne = stop();
    expect(ranking.threadId).not.toBe(threadId);
    expect(ranking.ranked).toHaveLength(50);
    // Scanned in this thread, the search would have run to its end before any turn.
    expect(turnsDuringOne).toBeGreaterThan(0);

    const stopMany = countTurns();
    const answers = await Promise.all(
      ['d', '驿站', 'zhan', 'y', 'xi', '站'].map((q) => search(sources, { q, near: NEAR, limit: 10 })),
    );
    expect(stopMany()).toBeGreaterThan(0);
    expect(answers.every((a) => a.results.length === 10)).toBe(true);
  });

  it('answers exactly what the index ranks in this thread (order, fields, limits, languages)', async () => {
    const here = await StationSearchIndex.of(snapshot);
    await here.complete;
    const cases: Array<[string, [number, number] | undefined, number]> = [
      ['d', NEAR, 50],
      ['驿站', NEAR, 10],
      ['驿站', undefined, 7],
      ['yinhang', NEAR, 20],
      ['chongqing', undefined, 50],
      ['schyh', NEAR, 5],
      ['post 9', NEAR, 10],
      ['haven', undefined, 3],
      ['什刹', NEAR, 1],
      ['路12号', NEAR, 10],
      ['没有这个', NEAR, 10],
    ];
    for (const [q, near, limit] of cases) {
      const query = prepareQuery(q);
      const there = await thread.rank(snapshot, query, near, limit);
      expect(there.snapshot, q).toBe(snapshot);
      expect(there.ranked, q).toEqual(rankStations(here, query, near, limit));
    }
  });

  it('follows an edit by a patch sent to the thread', async () => {
    const byId = new Map(snapshot.byId);
    byId.set(5, stationRecord({ ...snapshot.byId.get(5)!, name: '新开张驿站' }));
    byId.delete(6);
    const next = new StationSnapshot(2, byId);
    const ranking = await thread.rank(next, prepareQuery('xkz'), NEAR, 10);
    expect(ranking.snapshot).toBe(next);
    expect(ranking.ranked.map((r) => next.stations[r.ref]!.name)).toEqual(['新开张驿站']);
    const answer = await search({ ...sources, stationMirror: { current: async () => ({ snapshot: next }) } as unknown as StationMirror }, { q: '新开张', limit: 10 });
    expect(answer.stations_version).toBe(2);
    expect(answer.results.map((r) => r.type === 'station' && r.id)).toEqual([5]);
  });
});

describe('a search thread that ended', () => {
  it('is started afresh by the next search, which sends it the whole snapshot again', async () => {
    const once = new StationSearchThread({ queue: 4 });
    try {
      // A Han query: the same right after a cold build as once names are spelt in context.
      const query = prepareQuery('驿站');
      const first = await once.rank(snapshot, query, NEAR, 10);
      await once.close();
      const again = await once.rank(snapshot, query, NEAR, 10);
      expect(again.ranked).toEqual(first.ranked);
      expect(again.threadId).not.toBe(first.threadId);
    } finally {
      await once.close();
    }
  }, 60_000);
});

describe('a full search queue', () => {
  it('is refused at once with 503, Retry-After and a message in both languages', async () => {
    const small = new StationSearchThread({ concurrency: 1, queue: 1 });
    try {
      const query = prepareQuery('驿站');
      const first = small.rank(snapshot, query, NEAR, 10);
      const second = small.rank(snapshot, query, NEAR, 10);
      const refused = await small.rank(snapshot, query, NEAR, 10).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(HttpError);
      const error = refused as HttpError;
      expect(error.status).toBe(503);
      expect(Number(error.headers['Retry-After'])).toBeGreaterThan(0);
      expect(error.messages?.zh).toMatch(/搜索/);
      expect(error.messages?.en).toMatch(/search/i);
      // The two admitted ones are answered.
      expect((await first).ranked).toHaveLength(10);
      expect((await second).ranked).toHaveLength(10);
    } finally {
      await small.close();
    }
  }, 60_000);

  it('answers GET /api/search with that 503 in the page’s language', async () => {
    // A new thread with no queue: the first search waits for the thread to start and build.
    const busy = new StationSearchThread({ concurrency: 1, queue: 0 });
    const app = express();
    app.use('/api', searchRouter({ ...sources, stationSearch: busy }));
    app.use(errorHandler(pino({ level: 'silent' })));
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/search`;
    try {
      const first = fetch(`${base}?q=d`);
      while (busy.active.running === 0) await new Promise((r) => setTimeout(r, 2));
      const zh = await fetch(`${base}?q=d`);
      expect(zh.status).toBe(503);
      expect(zh.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await zh.json()).error).toMatch(/搜索/);
      const en = await fetch(`${base}?q=d&lang=en`);
      expect(en.status).toBe(503);
      expect((await en.json()).error).toMatch(/searches/);
      expect((await first).status).toBe(200);
    } finally {
      server.close();
      await busy.close();
    }
  }, 60_000);
});
