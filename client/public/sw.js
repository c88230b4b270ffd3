/**
 * Offline support for a phone on a flaky network:
 * - the app shell (index.html) network-first, falling back to the cached copy;
 * - hashed build assets cache-first (their names change with their content);
 * - GET /api/* network-first; when the network fails the last cached answer is served with an
 *   `X-Served-From-Cache: <ISO time it was saved>` header, so the page can say it is cached data.
 * Writes (POST/PATCH/…) are never cached.
 */
const SHELL_CACHE = 'warm-posts-shell-v1';
const API_CACHE = 'warm-posts-api-v1';
const SHELL = ['/', '/icon.svg', '/manifest.webmanifest'];

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

async function networkFirst(request, cacheName, flagCached, cacheKey = request) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) {
      const copy = response.clone();
      const headers = new Headers(copy.headers);
      headers.set('X-Saved-At', new Date().toISOString());
      cache.put(cacheKey, new Response(await copy.blob(), { status: copy.status, headers }));
    }
    return response;
  } catch (error) {
    const cached = await cache.match(cacheKey, { ignoreVary: true });
    if (!cached) throw error;
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
    // Nearest answers differ by position; keep only the last one rather than one per place.
    const key = url.pathname === '/api/nearest' ? '/api/nearest' : request;
    event.respondWith(networkFirst(request, API_CACHE, true, key));
  } else if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, SHELL_CACHE, false, '/'));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
  }
});
