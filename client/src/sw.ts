/// <reference lib="webworker" />
/**
 * Offline support for a phone on a flaky network, built with Workbox (vite-plugin-pwa injects the
 * precache list at build time):
 * - every file of the build (index.html, hashed scripts and styles, icons) precached with its
 *   revision, so a page opened once works offline, lazily loaded parts too (the Leaflet fallback,
 *   the planner) — the hand-written worker before kept only what had been fetched;
 * - page loads network-first, falling back to the precached index.html;
 * - nearest answers are not kept: one saved for another position or time would be a wrong answer;
 *   offline, the page computes them itself from the stations it saved (views/worker/offline);
 * - PUBLIC API reads only (PUBLIC_API below) network-first; when the network fails the last saved
 *   answer is served with `X-Served-From-Cache: <ISO time it was saved>`, so the page can say it is
 *   cached data, and only while it is younger than MAX_API_AGE_S (hours and closures change).
 * - the self-hosted basemap (BASEMAP=pmtiles) is read by byte ranges: every range read online is
 *   kept (per archive version, the newest 1,500 ranges), so the streets a worker has looked at draw
 *   again offline; a rebuilt archive (new ETag) is read afresh.
 * Never kept: anything else under /api/ (accounts, users, reports, history, exports: private to a
 * session), any answer marked `Cache-Control: no-store` (the server marks every signed-in answer so),
 * and writes. Signing in or out deletes the API cache (client: clearApiCache, by its name prefix).
 */
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { clientsClaim, type WorkboxPlugin } from 'workbox-core';
import { CacheExpiration, ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

/** v3: Workbox's. Earlier versions (v1 kept private answers) are deleted on activate. */
const API_CACHE = 'warm-posts-api-v3';
const SHELL_CACHE = 'warm-posts-shell-v2';
const MAX_API_AGE_S = 24 * 3600;
/** API paths anyone may read, the same for every visitor: the only ones worth keeping offline. */
const PUBLIC_API = [/^\/api\/collections(\/|$)/, /^\/api\/meta$/, /^\/api\/holidays$/, /^\/api\/roads$/, /^\/api\/route$/];
/** The page's own cache of stations and holidays for offline answers (views/worker/offline). */
const OFFLINE_CACHE = 'warm-posts-offline-v1';
/** Sent with the listing pages the page reads for that copy (offline-set.ts OFFLINE_SET_HEADER). */
const OFFLINE_SET_HEADER = 'X-Warm-Posts-Offline-Set';

/** Ranges of the self-hosted basemap archive read online (see the route below). */
const BASEMAP_CACHE = 'warm-posts-basemap-v1';
const BASEMAP_ARCHIVE = '/api/basemap.pmtiles';
/** A few city screens at every zoom; each range is a directory or one tile (tens of KB at most). */
const MAX_BASEMAP_RANGES = 1500;

self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

self.addEventListener('activate', (event) => {
  const kept = new Set([API_CACHE, SHELL_CACHE, OFFLINE_CACHE, BASEMAP_CACHE]);
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            // Our own caches of earlier versions; Workbox's precache manages its own.
            .filter((name) => name.startsWith('warm-posts-') && !kept.has(name))
            .map((name) => caches.delete(name)),
        ),
      ),
  );
});

/**
 * Stores only what the server allows keeping at all, stamped with when it was saved, and serves a
 * saved answer only while it is young enough, saying it came from here. (`private` alone is fine:
 * this cache is the device's own; the server sends `no-store` for anything of a session.)
 */
const savedAnswers: WorkboxPlugin = {
  cacheWillUpdate: async ({ response }) => {
    const cacheControl = (response.headers.get('Cache-Control') ?? '').toLowerCase();
    if (!response.ok || /\bno-store\b/.test(cacheControl)) return null;
    const headers = new Headers(response.headers);
    headers.set('X-Saved-At', new Date().toISOString());
    return new Response(await response.clone().blob(), { status: response.status, headers });
  },
  cachedResponseWillBeUsed: async ({ cachedResponse }) => {
    if (!cachedResponse) return null;
    const savedAt = cachedResponse.headers.get('X-Saved-At');
    if (!savedAt || !(Date.now() - Date.parse(savedAt) <= MAX_API_AGE_S * 1000)) return null;
    const headers = new Headers(cachedResponse.headers);
    headers.set('X-Served-From-Cache', savedAt);
    return new Response(await cachedResponse.blob(), { status: cachedResponse.status, headers });
  },
};

registerRoute(
  ({ url, request, sameOrigin }) =>
    sameOrigin &&
    request.method === 'GET' &&
    PUBLIC_API.some((pattern) => pattern.test(url.pathname)) &&
    // The page's own offline copy of the stations (views/worker/offline) is not kept twice.
    !request.headers.has(OFFLINE_SET_HEADER),
  new NetworkFirst({
    cacheName: API_CACHE,
    plugins: [
      savedAnswers,
      new CacheableResponsePlugin({ statuses: [200] }),
      // Bounds the device storage too: old boxes of the map are dropped first.
      new ExpirationPlugin({ maxAgeSeconds: MAX_API_AGE_S, maxEntries: 300 }),
    ],
    matchOptions: { ignoreVary: true },
  }),
);

/**
 * The basemap archive by ranges, network first. The Cache API refuses partial (206) answers, so
 * each range is kept as a whole answer under a key naming the archive version (ETag) and the
 * range, and handed back as the 206 it was. Offline, ranges of the newest version seen are served;
 * one never seen fails as it would without a service worker (the map draws our own layers).
 */
const basemapRanges = new CacheExpiration(BASEMAP_CACHE, { maxEntries: MAX_BASEMAP_RANGES });
const rangeKey = (etag: string, range: string | null) =>
  `${self.location.origin}${BASEMAP_ARCHIVE}?v=${encodeURIComponent(etag)}&range=${encodeURIComponent(range ?? 'all')}`;
const NEWEST_VERSION_KEY = `${self.location.origin}${BASEMAP_ARCHIVE}?newest-version`;

registerRoute(
  ({ url, request, sameOrigin }) => sameOrigin && request.method === 'GET' && url.pathname === BASEMAP_ARCHIVE,
  async ({ request }) => {
    const range = request.headers.get('Range');
    const cache = await caches.open(BASEMAP_CACHE);
    let response: Response;
    try {
      response = await fetch(request);
    } catch (error) {
      const newest = await cache.match(NEWEST_VERSION_KEY);
      const saved = newest ? await cache.match(rangeKey(await newest.text(), range)) : undefined;
      if (!saved) throw error;
      const headers = new Headers(saved.headers);
      const contentRange = headers.get('X-Saved-Content-Range');
      headers.delete('X-Saved-Content-Range');
      if (contentRange) headers.set('Content-Range', contentRange);
      return new Response(await saved.arrayBuffer(), { status: range ? 206 : 200, headers });
    }
    const etag = response.headers.get('ETag');
    if (etag && (response.status === 206 || response.status === 200)) {
      const headers = new Headers(response.headers);
      headers.set('X-Saved-Content-Range', response.headers.get('Content-Range') ?? '');
      const key = rangeKey(etag, range);
      void response
        .clone()
        .arrayBuffer()
        .then((body) => cache.put(key, new Response(body, { status: 200, headers })))
        .then(() => cache.put(NEWEST_VERSION_KEY, new Response(etag)))
        .then(() => basemapRanges.updateTimestamp(key))
        .then(() => basemapRanges.expireEntries())
        .catch(() => undefined); // storage full or refused: the map has drawn anyway
    }
    return response;
  },
);

// Built files not precached (the planner's and the console's views): their names change with their
// content, so a saved copy is always right.
registerRoute(
  ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/assets/'),
  new CacheFirst({ cacheName: SHELL_CACHE, plugins: [new ExpirationPlugin({ maxEntries: 40 })] }),
);

// Page loads: the network's index.html when there is one (a deploy changes it), else the precached.
const offlineShell = createHandlerBoundToURL('/index.html');
registerRoute(
  new NavigationRoute(
    async (options) => {
      try {
        return await new NetworkFirst({ cacheName: SHELL_CACHE, networkTimeoutSeconds: 4 }).handle(options);
      } catch {
        return offlineShell(options);
      }
    },
    // API and server pages are not the app.
    { denylist: [/^\/api\//, /^\/healthz/, /^\/readyz/] },
  ),
);
