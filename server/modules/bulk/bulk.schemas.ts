import { z } from 'zod';
import { AreaCodeSchema } from '../areas/area-code.js';
import { DATUMS } from '../../geo/coords.js';
import { BULK_FORMATS } from './source-table.js';

/** Largest upload accepted; a district's list of a few thousand stations is well under 1 MB. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

const Crs = z
  .string()
  .transform((s) => s.toUpperCase().replace(/[-_]/g, ''))
  .pipe(z.enum(DATUMS, { message: `crs must be one of ${DATUMS.join(', ')}` }))
  .default('WGS84')
  .describe('datum of the coordinates: WGS84 (GPS), GCJ02 (Amap/Tencent) or BD09 (Baidu)');

const Format = z.enum(BULK_FORMATS, {
  message: `format must be one of ${BULK_FORMATS.join(', ')}`,
});

/** `{"name":"站名","lng":"X"}`: our field → the file's column header. */
const Mapping = z
  .string()
  .max(5000)
  .transform((text, ctx) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'mapping must be JSON, e.g. {"name":"站名","lng":"东经"}',
      });
      return z.NEVER;
    }
    const parsed = z.record(z.string().max(60), z.string().min(1).max(200)).safeParse(value);
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        message: 'mapping must be a JSON object of field → column header strings',
      });
      return z.NEVER;
    }
    return parsed.data;
  })
  .describe(
    'JSON object: our field (name, lng, lat, external_id, hot_water, …) → your column header',
  );

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ImportQuerySchema = z
  .object({
    format: Format.optional().describe(
      'csv, geojson or xlsx; inferred from Content-Type when omitted',
    ),
    crs: Crs,
    dry_run: Bool.default(false).describe('true = check and report only, write nothing'),
    mapping: Mapping.optional(),
    on_conflict: z
      .enum(['refuse', 'overwrite'])
      .default('refuse')
      .describe(
        'a row whose version (from an export) is older than the station and would undo a change made since: refuse (a conflict in the report, nothing written) or overwrite',
      ),
  })
  .strict();

export const ExportQuerySchema = z
  .object({
    format: Format.default('csv'),
    crs: Crs,
    district: AreaCodeSchema.optional(),
    area: AreaCodeSchema.optional().describe('only stations in this area (any level)'),
    samples: z
      .enum(['include', 'exclude'])
      .default('exclude')
      .describe('generated sample stations are left out unless asked for'),
  })
  .strict();

const CONTENT_TYPE_FORMATS: [RegExp, (typeof BULK_FORMATS)[number]][] = [
  [/^text\/csv|^application\/csv/, 'csv'],
  [/^application\/(geo\+)?json/, 'geojson'],
  [/^application\/vnd\.openxmlformats-officedocument\.spreadsheetml/, 'xlsx'],
];

export function formatFromContentType(contentType: string | undefined) {
  return CONTENT_TYPE_FORMATS.find(([pattern]) => pattern.test(contentType ?? ''))?.[1];
}
