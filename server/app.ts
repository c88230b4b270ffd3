import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { REPO_ROOT, type AppConfig } from './config.js';
import type { DatabaseHandle } from './db/client.js';
import { compressWhenAccepted } from './http/compress.js';
import { clientFilesRouter } from './http/client-files.js';
import { corsFor } from './http/cors.js';
import { requestLog } from './http/request-log.js';
import { securityHeaders } from './http/security-headers.js';
import { errorHandler, unknownRoute } from './http/errors.js';
import { methodNotAllowed } from './http/method-not-allowed.js';
import { assertJsonDepth, rejectUnstorableText } from './http/validate.js';
import { apiDescriptionRouter } from './http/api-description.routes.js';
import {
  COLLECTIONS_OPERATIONS,
  collectionsRouter,
} from './modules/collections/collections.routes.js';
import { csrfProtection, authenticate } from './modules/auth/auth.middleware.js';
import { AUTH_OPERATIONS, accountRouter, loginRouter } from './modules/auth/auth.routes.js';
import { HEALTH_OPERATIONS, healthRouter } from './modules/health/health.routes.js';
import { photosRouter, PHOTOS_OPERATIONS } from './modules/photos/photos.routes.js';
import { REPORTS_OPERATIONS, reportsRouter } from './modules/reports/reports.routes.js';
import {
  HOURS_PREVIEW_OPERATIONS,
  hoursPreviewRouter,
} from './modules/stations/hours-preview.routes.js';
import {
  STATION_EDITS_OPERATIONS,
  stationEditsRouter,
} from './modules/stations/station-edits.routes.js';
import { StationMirror } from './modules/stations/station-mirror.js';
import { staleMirrorAfterWrites } from './modules/stations/read-your-writes.js';
import { StationClusters } from './modules/stations/station-clusters.js';
import {
  STATION_MAP_OPERATIONS,
  stationMapRouter,
} from './modules/stations/station-map.routes.js';
import { META_OPERATIONS, metaRouter } from './modules/meta/meta.routes.js';
import { BASEMAP_OPERATIONS, basemapRouter } from './modules/basemap/basemap.routes.js';
import { SEARCH_OPERATIONS, searchRouter } from './modules/search/search.routes.js';
import { StationSearchThread } from './modules/search/station-search-thread.js';
import { AreaSearch } from './modules/search/area-search.js';
import { regionCentre } from './modules/areas/areas.service.js';
import { BOUNDARIES_OPERATIONS, boundariesRouter } from './modules/boundaries/boundaries.routes.js';
import { HolidayCalendarStore } from './modules/holidays/holiday-calendar.store.js';
import { HOLIDAYS_OPERATIONS, holidaysRouter } from './modules/holidays/holidays.routes.js';
import { setHoursContext } from './modules/holidays/hours-context.js';
import { NEAREST_OPERATIONS, nearestRouter } from './modules/nearest/nearest.routes.js';
import { networkTravelTimes } from './modules/nearest/network-travel-time.js';
import { RoadNetworkCache } from './modules/routes/road-network-cache.js';
import { ROUTES_OPERATIONS, routesRouter } from './modules/routes/routes.routes.js';
import { ROADS_OPERATIONS, roadsRouter } from './modules/routes/roads.routes.js';
import { BULK_OPERATIONS, bulkRouter } from './modules/bulk/bulk.routes.js';
import { COVERAGE_OPERATIONS, coverageRouter } from './modules/coverage/coverage.routes.js';
import { DEMAND_OPERATIONS, demandRouter } from './modules/demand/demand.routes.js';

/**
 * Every documented operation, one list per router (the OpenAPI document is built from these;
 * test/integration/openapi.test.ts fails when a mounted route is missing from it).
 */
export const API_OPERATIONS = [
  ...HEALTH_OPERATIONS,
  ...COLLECTIONS_OPERATIONS,
  ...STATION_MAP_OPERATIONS,
  ...NEAREST_OPERATIONS,
  ...AUTH_OPERATIONS,
  ...STATION_EDITS_OPERATIONS,
  ...REPORTS_OPERATIONS,
  ...PHOTOS_OPERATIONS,
  ...HOURS_PREVIEW_OPERATIONS,
  ...META_OPERATIONS,
  ...BASEMAP_OPERATIONS,
  ...HOLIDAYS_OPERATIONS,
  ...ROUTES_OPERATIONS,
  ...ROADS_OPERATIONS,
  ...BULK_OPERATIONS,
  ...COVERAGE_OPERATIONS,
  ...DEMAND_OPERATIONS,
  ...SEARCH_OPERATIONS,
  ...BOUNDARIES_OPERATIONS,
];

export interface AppDependencies {
  database: DatabaseHandle;
  config: AppConfig;
  logger: Logger;
  /** Built client to serve (production); omit in API-only tests. */
  clientDistDir?: string;
}

export const DEFAULT_CLIENT_DIST = path.join(REPO_ROOT, 'dist', 'client');

/** Builds the Express app without listening, so tests can drive it directly. */
export function buildApp({ database, config, logger, clientDistDir }: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');
  app.use(
    securityHeaders({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          // MapLibre builds its workers from blob: URLs. Tiles come from the deployer's basemap
          // hosts only when one is configured (BASEMAP): MapLibre fetches them (connect-src),
          // Leaflet loads them as images (img-src).
          'worker-src': ["'self'", 'blob:'],
          'img-src': ["'self'", 'data:', 'blob:', ...config.basemap.origins],
          'connect-src': ["'self'", ...config.basemap.origins],
          'upgrade-insecure-requests': null,
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(requestLog(logger));
  // GeoJSON shrinks 5–10x under gzip: it matters on a cheap phone on a weak mobile signal.
  app.use(compressWhenAccepted());
  const cors = corsFor(config.CORS_ORIGINS);
  if (cors) app.use(cors);
  // The nesting depth is checked on the raw bytes before JSON.parse (a linear scan), so a body
  // nested 100k deep is a 400 at the cost of reading it; then no text PostgreSQL cannot store.
  app.use(express.json({ limit: '1mb', verify: (_req, _res, bytes) => assertJsonDepth(bytes) }));
  app.use(rejectUnstorableText);

  app.use(healthRouter(database));
  // Hours are evaluated in the deployment's zone, with the holiday calendar from the database;
  // sun events of hours not tied to a station's position at the deployment's centre.
  setHoursContext({ timeZone: config.TIME_ZONE, location: config.MAP_DEFAULT_CENTER ?? null });
  const followRegionCentre = () => {
    if (config.MAP_DEFAULT_CENTER) return;
    regionCentre(database.db)
      .then((location) => setHoursContext({ location }))
      .catch((err) => logger.warn({ err }, 'region centre not known yet'));
  };
  followRegionCentre();
  const holidayLog = logger.child({ module: 'holidays' });
  const holidayCalendar = new HolidayCalendarStore(database.db, config.HOLIDAY_CALENDAR, holidayLog);
  holidayCalendar.fresh().catch((err) => holidayLog.warn({ err }, 'holiday calendar not loaded yet'));
  // One road graph in memory, shared by nearest-station times and /api/route.
  const roadNetworks = new RoadNetworkCache(database.db, logger.child({ module: 'road-network' }));
  // A read-only copy of the stations for the nearest search: told of every committed change by
  // the database (LISTEN), and checking the database on each request whenever it cannot be sure.
  // The embedded database is this process's alone (the data folder is locked) and hands each
  // notification back with its commit's result, so while listening nothing can change unseen: no
  // periodic version check, which would wait behind a long statement on its one connection (the
  // p99 of nearest under a coverage attack was 2.2 s for that wait).
  const stationMirror = new StationMirror(database.db, {
    ...(database.kind === 'pglite' ? { trustListenerMs: Infinity } : {}),
  });
  const mirrorLog = logger.child({ module: 'station-mirror' });
  stationMirror
    .listen(database, (err) => mirrorLog.warn({ err }, 'change listener lost; checking per request'))
    .catch((err) => mirrorLog.warn({ err }, 'cannot listen for changes; checking per request'))
    // Loaded now, not by the first worker's request: that one would otherwise wait for the whole
    // table (and its hours parsed) behind whatever the database is busy with.
    .then(() => stationMirror.current())
    .catch((err) => mirrorLog.warn({ err }, 'stations not loaded yet; the first request loads them'));
  // The deployment's region: its loaded areas plus this margin (areas/region.ts).
  const region = { marginM: config.REGION_MARGIN_M };
  const api = express.Router();
  // The self-hosted basemap's tiles: a file read by ranges, first so tile requests pass no other router.
  api.use(basemapRouter(config.basemap, logger.child({ module: 'basemap' })));
  // On a server, a commit's notification comes a moment after it: a write request marks the mirror
  // stale so its client reads its own write. The embedded database hands the notification back with
  // the commit itself, so there the mark would only make the next reads (after a login, say) wait
  // for a version check behind whatever long statement holds its one connection.
  if (database.kind !== 'pglite') api.use(staleMirrorAfterWrites(stationMirror));
  // Cheap: a version check at most every few seconds (none between them).
  api.use(holidayCalendar.middleware());
  // The hot paths first: public and read-only, they need not pass a dozen routers to match.
  api.use(nearestRouter(stationMirror, networkTravelTimes(database.db, roadNetworks)));
  // Read-only too, and the map's main read (station items by bbox); boundaries come with it.
  api.use(collectionsRouter(database.db, stationMirror, config.DEPLOYMENT_NAME));
  // The map's stations by viewport: clusters built off the event loop, stations from the mirror.
  const stationClusters = new StationClusters(stationMirror);
  database.onClose(() => stationClusters.close());
  api.use(stationMapRouter(stationClusters));
  // The worker page's search box: stations from the mirror, areas, coordinates. The stations'
  // text index lives and answers in its own thread, with a bounded queue in front of it.
  const stationSearch = new StationSearchThread({ queue: config.SEARCH_QUEUE });
  database.onClose(() => stationSearch.close());
  api.use(searchRouter({ stationMirror, stationSearch, areaSearch: new AreaSearch(database.db) }));
  // Every other api route sees req.user; every cookie-authenticated write must carry the CSRF token.
  api.use(authenticate(database.db));
  api.use(loginRouter(database.db));
  api.use(csrfProtection);
  api.use(accountRouter(database.db));
  api.use(bulkRouter(database.db, region));
  // After bulk: its /stations/import and /stations/export must not be taken for /stations/:id.
  api.use(stationEditsRouter(database.db, region));
  api.use(reportsRouter(database.db));
  api.use(photosRouter(database.db));
  api.use(hoursPreviewRouter());
  api.use(metaRouter(config, database.db));
  api.use(holidaysRouter(database.db, holidayCalendar));
  api.use(boundariesRouter(database.db, followRegionCentre));
  api.use(routesRouter(database.db, logger, roadNetworks));
  api.use(roadsRouter(database.db));
  api.use(
    coverageRouter(database.db, roadNetworks, {
      concurrency: config.COVERAGE_CONCURRENCY,
      queue: config.COVERAGE_QUEUE,
    }),
  );
  api.use(demandRouter(database.db, logger.child({ module: 'demand' })));
  api.use(apiDescriptionRouter(API_OPERATIONS));
  api.use(methodNotAllowed(api));
  api.use(unknownRoute);
  app.use('/api', api);

  if (clientDistDir && fs.existsSync(clientDistDir)) {
    // A single page: fingerprinted assets immutable, index.html for page routes (http/client-files.ts).
    app.use(clientFilesRouter(clientDistDir));
  }
  app.use(methodNotAllowed(app.router));
  app.use(unknownRoute);
  app.use(errorHandler(logger));
  return app;
}
