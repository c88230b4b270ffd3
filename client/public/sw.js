/**
 * Offline support for a phone on a flaky network:
 * - the app shell (index.html) network-first, falling back to the cached copy;
 * - hashed build assets cache-first (their names change with their content);
 * - PUBLIC API reads only (PUBLIC_API below: stations, nearest, collections, meta, roads, route)
 *   network-first; when the network fails the last cached answer is served with an
 *   `X-Served-From-Cache: <ISO time it was saved>` header, so the page can say it is cached data,
 *   and only while it is younger than MAX_API_AGE_MS.
 * Never kept: anything else under /api/ (accounts, users, reports, history, exports: private to a
 * session), any answer marked `Cache-Control: no-store` (the server marks every signed-in answer so),
 * and writes. Signing in or out deletes the API cache (client: clearApiCache).
 */
// v2: v1 kept every GET /api/* (private answers included); activate deletes it.
const SHELL_CACHE = 'warm-posts-shell-v1';
const API_CACHE = 'warm-posts-api-v2';
const SHELL = ['/', '/icon.svg', '/manifest.webmanifest'];
/** An answer older than this is not served offline: hours and closures change. */
const MAX_API_AGE_MS = 24 * 3600 * 1000;
/** API paths anyone may read, the same for every visitor: the only ones worth keeping offline. */
const PUBLIC_API = [/^\/api\/collections(\/|$)/, /^\/api\/nearest$/, /^\/api\/meta$/, /^\/api\/roads$/, /^\/api\/route$/];

const isPublicApi = (pathname) => PUBLIC_API.some((pattern) => pattern.test(pathname));

/**
 * Whether the server allows keeping this answer at all. (`private` alone is fine: this cache is the
 * device's own, not a shared one; the server sends `no-store` for anything of a session.)
 */
function storable(response) {
  const cacheControl = (response.headers.get('Cache-Control') ?? '').toLowerCase();
  return response.ok && !/\bno-store\b/.test(cacheControl);
}

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => ![SHELL_CACHE, API_CACHE].includes(k)).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function networkFirst(request, cacheName, flagCached, cacheKey = request, maxAgeMs = Infinity) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (storable(response)) {
      const copy = response.clone();
      const headers = new Headers(copy.headers);
      headers.set('X-Saved-At', new Date().toISOString());
      cache.put(cacheKey, new Response(await copy.blob(), { status: copy.status, headers }));
    }
    return response;
  } catch (error) {
    const cached = await cache.match(cacheKey, { ignoreVary: true });
    if (!cached) throw error;
    const savedAt = Date.parse(cached.headers.get('X-Saved-At') ?? '');
    if (maxAgeMs !== Infinity && !(Date.now() - savedAt <= maxAgeMs)) {
      await cache.delete(cacheKey, { ignoreVary: true });
      throw error;
    }
    if (!flagCached) return cached;
    const headers = new Headers(cached.headers);
    headers.set('X-Served-From-Cache', cached.headers.get('X-Saved-At') ?? 'unknown');
    return new Response(await cached.blob(), { status: cached.status, headers });
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) {
    // Private answers go straight to the network: never stored, never served from here.
    if (!isPublicApi(url.pathname)) return;
    // Nearest answers differ by position; keep only the last one rather than one per place.
    const key = url.pathname === '/api/nearest' ? '/api/nearest' : request;
    event.respondWith(networkFirst(request, API_CACHE, true, key, MAX_API_AGE_MS));
  } else if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, SHELL_CACHE, false, '/'));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
  }
});
