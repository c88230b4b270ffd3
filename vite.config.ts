import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// The client lives in client/ and builds to dist/client, which the express process serves.
export default defineConfig({
  root: 'client',
  plugins: [
    svelte(),
    // The service worker (client/src/sw.ts) is ours; Workbox's build step injects the precache list
    // (every built file with its revision). The page registers it (views/worker/pwa.ts) and the web
    // manifest is client/public/manifest.webmanifest, so the plugin adds neither.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: {
        // What a worker's page needs offline, MapLibre's worker (.mjs) and the Leaflet fallback included.
        // The planner's and the console's views are for signed-in desks, online: kept when used.
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,ico,webmanifest}'],
        globIgnores: ['**/PlanView-*', '**/ManageView-*'],
        // The MapLibre chunk is ~1.1 MB; nothing built is larger.
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
      },
    }),
  ],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:3000', '/healthz': 'http://localhost:3000' },
  },
});
