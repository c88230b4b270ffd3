/**
 * Registers the service worker (client/public/sw.js) that keeps the app shell and the last API
 * answers for a flaky network. Only in a production build: in dev it would cache vite's modules.
 */
let registered = false;

export function registerServiceWorker(): void {
  if (registered || !import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  registered = true;
  navigator.serviceWorker.register('/sw.js').catch(() => {
    /* no service worker (private mode, old WebView): the page still works online */
  });
}
