import { Router } from 'express';
import { z } from 'zod';
import type { AppConfig } from '../../config.js';
import { holidayCalendarSummary } from '../holidays/holiday-calendar.store.js';
import type { AppDatabase } from '../../db/client.js';
import type { ApiOperation } from '../../http/openapi.js';
import {
  BASEMAP_DATUMS,
  BASEMAP_KINDS,
  basemapSpec,
} from '../basemap/basemap.config.js';
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
      basemap: basemapSpec(config.basemap),
      // The two fields clients read before BASEMAP existed (a style URL and its datum).
      basemap_style_url: config.basemap.style_url,
      basemap_datum: config.basemap.datum,
    });
  });
  return router;
}

const BasemapSchema = z
  .object({
    kind: z.enum(BASEMAP_KINDS).describe('BASEMAP: none (our own layers only, offline), tianditu, amap, osm, xyz, style or pmtiles'),
    datum: z.enum(BASEMAP_DATUMS).describe('the datum the tiles are drawn in; the client shifts our WGS-84 layers into it'),
    tiles: z
      .array(
        z.object({
          url: z.string().describe('template with {x} {y} {z} and {s} for one of `subdomains`'),
          subdomains: z.array(z.string()),
          tileSize: z.number().int(),
          maxZoom: z.number().int(),
        }),
      )
      .describe('raster layers, bottom first (tianditu: vec_w then cva_w); empty for none/style/pmtiles'),
    style_url: z.string().nullable().describe('a MapLibre style (kind style)'),
    pmtiles_url: z.string().nullable().describe('the archive served by this process (kind pmtiles): read with HTTP Range'),
    attribution: z.string().nullable(),
  })
  .describe('The deployer\'s basemap (BASEMAP_* settings)');

const MetaSchema = z.looseObject({
  region: z.looseObject({}).describe('name, extent, default view and level, levels (from the loaded areas)'),
  basemap: BasemapSchema,
  basemap_style_url: z.string().nullable().describe('kept for older clients: basemap.style_url'),
  basemap_datum: z.enum(BASEMAP_DATUMS).describe('kept for older clients: basemap.datum'),
});

export const META_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/meta',
    summary:
      'What the client needs first: region (name, extent, centre, levels), amenity vocabulary and statuses, station kinds, time zone, holiday calendar, basemap',
    tags: ['service'],
    responses: { '200': { description: 'Client settings', schema: MetaSchema } },
  },
];
