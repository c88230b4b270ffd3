import { z } from 'zod';

/** Longer than any station or area name people type; bounds the work of one search. */
export const MAX_QUERY_LENGTH = 64;
/** Like pg_featureserv's capped limit: one search never ranks out more than this. */
export const MAX_SEARCH_LIMIT = 50;
export const DEFAULT_SEARCH_LIMIT = 10;
export const SEARCH_LANGUAGES = ['zh', 'en'] as const;
export type SearchLanguage = (typeof SEARCH_LANGUAGES)[number];

/** `lng,lat` in WGS-84, the order GeoJSON uses. */
const NearSchema = z
  .string()
  .describe('WGS-84 lng,lat to rank equally relevant results by distance from, e.g. 116.39,39.91')
  .transform((text, ctx) => {
    const parts = text.split(',');
    const [lng, lat] = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
    if (
      parts.length !== 2 ||
      !Number.isFinite(lng) ||
      !Number.isFinite(lat) ||
      Math.abs(lng!) > 180 ||
      Math.abs(lat!) > 90
    ) {
      ctx.addIssue({ code: 'custom', message: 'near must be lng,lat (WGS-84), e.g. 116.39,39.91' });
      return z.NEVER;
    }
    return [lng!, lat!] as [number, number];
  });

export const SearchQuerySchema = z
  .object({
    q: z
      .string({ message: 'q is required' })
      .min(1, { message: 'q is required' })
      .max(MAX_QUERY_LENGTH, { message: `q is at most ${MAX_QUERY_LENGTH} characters` })
      .describe(
        `what to find, at most ${MAX_QUERY_LENGTH} characters: a station's name or address (Chinese, ` +
          'English, full pinyin such as donghuamen or initials such as dhm), an area of any level, or ' +
          'coordinates: 116.39,39.91 (WGS-84), gcj:116.4,39.9 (Amap/GCJ-02), bd:116.41,39.91 ' +
          '(Baidu/BD-09), an Amap or Baidu marker link, or a geo: URI',
      ),
    near: NearSchema.optional(),
    limit: z.coerce
      .number({ message: `limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}` })
      .int({ message: `limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}` })
      .min(1, { message: `limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}` })
      .max(MAX_SEARCH_LIMIT, { message: `limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}` })
      .default(DEFAULT_SEARCH_LIMIT)
      .describe(`how many results, 1..${MAX_SEARCH_LIMIT} (default ${DEFAULT_SEARCH_LIMIT})`),
    type: z
      .enum(['station', 'area'])
      .optional()
      .describe('only stations, or only areas (pickers); default both (and coordinates)'),
    lang: z
      .enum(SEARCH_LANGUAGES)
      .optional()
      .describe('language of error messages (zh or en); default from Accept-Language, else zh'),
  })
  .strict();

export type SearchQuery = z.infer<typeof SearchQuerySchema>;
