import { Router } from 'express';
import type { AppConfig } from '../../config.js';
import { holidayCalendarSummary } from '../holidays/holiday-calendar.store.js';
import type { AppDatabase } from '../../db/client.js';
import type { ApiOperation } from '../../http/openapi.js';
import { describeRegion } from '../areas/areas.service.js';
import { AMENITIES, AMENITY_STATUSES, STATION_KINDS } from '../stations/amenities.js';

/** Vocabulary and client settings: what the client needs before it draws anything. */
export function metaRouter(config: AppConfig, db: AppDatabase): Router {
  const router = Router();
  router.get('/meta', async (_req, res) => {
    // The region (name, extent, default view and level, levels) comes from the loaded areas and configuration.
    const region = await describeRegion(db, {
      deploymentName: config.DEPLOYMENT_NAME,
      mapCenter: config.MAP_DEFAULT_CENTER,
      mapZoom: config.MAP_DEFAULT_ZOOM,
    });
    res.set('Cache-Control', 'public, max-age=300').json({
      region,
      amenities: AMENITIES,
      amenity_statuses: AMENITY_STATUSES,
      kinds: STATION_KINDS,
      time_zone: config.TIME_ZONE,
      holiday_calendar: holidayCalendarSummary(),
      basemap_style_url: config.BASEMAP_STYLE_URL ?? null,
      basemap_datum: config.BASEMAP_DATUM,
    });
  });
  return router;
}

export const META_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/meta',
    summary:
      'What the client needs first: region (name, extent, centre, levels), amenity vocabulary and statuses, station kinds, time zone, holiday calendar, basemap',
    tags: ['service'],
  },
];
