import { z } from 'zod';
import { isRealDateTime } from '../../http/dates.js';
import { AmenityListSchema } from '../collections/collections.schemas.js';
import { STATION_KIND_KEYS } from '../stations/amenities.js';

export const MAX_K = 50;
export const DEFAULT_K = 5;
/** The farthest a search reaches; beyond this nobody walks or rides to a rest station. */
export const MAX_RADIUS_M = 50_000;
export const DEFAULT_RADIUS_M = 10_000;

export const TRAVEL_MODES = ['walk', 'bike', 'drive'] as const;
export const OPEN_FILTERS = ['arrival', 'now', 'any'] as const;
export type OpenFilter = (typeof OPEN_FILTERS)[number];

const BooleanFlag = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1');

/** An ISO 8601 instant with an explicit offset (`Z` or `+08:00`), so it never depends on the server's zone. */
const InstantSchema = z
  .string()
  .describe('ISO 8601 instant with offset, e.g. 2026-02-17T17:50:00+08:00; default now')
  .transform((text, ctx) => {
    const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/.test(
      text,
    );
    const instant = new Date(text);
    if (!ok || !isRealDateTime(text, true) || Number.isNaN(instant.getTime())) {
      ctx.addIssue({
        code: 'custom',
        message: 'at must be an ISO 8601 instant with an offset, e.g. 2026-02-17T17:50:00+08:00',
      });
      return z.NEVER;
    }
    return instant;
  });

export const NearestQuerySchema = z
  .object({
    lng: z.coerce
      .number({ message: 'lng must be a number' })
      .min(-180, 'lng must be between -180 and 180')
      .max(180, 'lng must be between -180 and 180')
      .describe('origin longitude, WGS-84, -180..180'),
    lat: z.coerce
      .number({ message: 'lat must be a number' })
      .min(-90, 'lat must be between -90 and 90')
      .max(90, 'lat must be between -90 and 90')
      .describe('origin latitude, WGS-84, -90..90'),
    k: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_K)
      .default(DEFAULT_K)
      .describe(`how many stations, 1..${MAX_K}`),
    radius: z.coerce
      .number()
      .min(1)
      .max(MAX_RADIUS_M)
      .default(DEFAULT_RADIUS_M)
      .describe(`search radius in metres (straight line), 1..${MAX_RADIUS_M}`),
    amenities: AmenityListSchema.optional(),
    kind: z.enum(STATION_KIND_KEYS).optional(),
    open24h: BooleanFlag.optional().describe('only stations open around the clock'),
    mode: z.enum(TRAVEL_MODES).default('walk').describe('walk, bike (e-bike) or drive'),
    at: InstantSchema.optional(),
    open: z
      .enum(OPEN_FILTERS)
      .default('any')
      .describe('arrival: open when I get there; now: open at `at`; any: no hours filter'),
  })
  .strict();

export type NearestQuery = z.infer<typeof NearestQuerySchema>;
