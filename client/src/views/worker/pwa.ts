/**
 * Registers the service worker (client/src/sw.ts, built to /sw.js with Workbox) that keeps the app and the last API
 * answers for a flaky network. Not under vite's dev server (it would cache its modules); checked
 * through `import.meta.hot` because env.PROD follows NODE_ENV, which test runners set to 'test'.
 */
let registered = false;

export function registerServiceWorker(): void {
  if (registered || import.meta.hot || !('serviceWorker' in navigator)) return;
  registered = true;
  navigator.serviceWorker.register('/sw.js').catch((error: Error) => {
    // No service worker (private mode, old WebView): the page still works online. Say why, for
    // whoever debugs it, without bothering the user.
    document.documentElement.dataset.serviceWorkerError = error.message;
  });
}
