import { z } from 'zod';
import { DATUMS } from '../../geo/coords.js';
import {
  MAX_HOURS_TEXT_PER_STATION,
  MAX_OPENING_HOURS_LENGTH,
  readOpeningHoursInput,
} from '../../hours/index.js';
import { isRealDateTime } from '../../http/dates.js';
import { badRequest } from '../../http/errors.js';
import { AMENITY_KEYS, AMENITY_STATUSES, STATION_KIND_KEYS } from './amenities.js';

/**
 * What managers may change. Text is stored exactly as sent (no trimming or escaping: the client
 * escapes when it renders); lengths are bounded so one station cannot bloat every map response.
 */
const text = (field: string, max: number) =>
  z.string().max(max, `${field} must be at most ${max} characters`);
const optionalText = (field: string, max: number) => text(field, max).nullable();

const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar date');

const Instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, 'times are ISO 8601 with an offset, e.g. 2026-02-16T09:00+08:00')
  .refine((s) => isRealDateTime(s, true) && !Number.isNaN(Date.parse(s)), 'not a real time (check the day exists)');

/**
 * The opening_hours text field by its length alone (no parsing): shared by every path that takes
 * hours (edits, the live check, bulk import), so the limit is checked before the costly parse.
 */
export const OpeningHoursTextSchema = text('opening_hours', MAX_OPENING_HOURS_LENGTH);

/**
 * OSM syntax, or hours in the words people use ("周一至周五 8:00-18:00，节假日休息"), stored as the
 * OSM value they become. Length first: a value over the limit already has its issue and is never
 * parsed.
 */
export const OpeningHoursSchema = OpeningHoursTextSchema.transform((value, ctx) => {
  if (value.length > MAX_OPENING_HOURS_LENGTH) return value;
  const result = readOpeningHoursInput(value);
  if (result.ok) return result.value;
  ctx.addIssue({ code: 'custom', message: `opening hours not understood: ${result.error}` });
  return z.NEVER;
});

/**
 * All hours text of one station in a request body (its value and every override's), checked
 * before the body is parsed: 100 overrides of 1,000 characters would otherwise cost seconds.
 */
export function checkHoursBudget(body: unknown): void {
  if (!body || typeof body !== 'object') return;
  const { opening_hours: hours, hours_overrides: overrides } = body as Record<string, unknown>;
  let total = typeof hours === 'string' ? hours.length : 0;
  if (Array.isArray(overrides)) {
    for (const o of overrides) {
      const text = (o as { opening_hours?: unknown } | null)?.opening_hours;
      if (typeof text === 'string') total += text.length;
    }
  }
  if (total > MAX_HOURS_TEXT_PER_STATION) {
    throw badRequest(
      `opening_hours and hours_overrides together must be at most ${MAX_HOURS_TEXT_PER_STATION} characters of hours (got ${total})`,
    );
  }
}

const dateOverrideOf = (hours: z.ZodType<string, string>) =>
  z
    .strictObject({
      from: LocalDate,
      to: LocalDate,
      opening_hours: hours,
      note: text('note', 200).optional(),
    })
    .refine((o) => o.from <= o.to, { message: 'an override must end on or after its first day', path: ['to'] });

export const DateOverrideSchema = dateOverrideOf(OpeningHoursSchema);
/** An override checked for shape and lengths only; its hours are parsed elsewhere (a worker). */
export const DateOverrideTextSchema = dateOverrideOf(OpeningHoursTextSchema);

export const ClosureSchema = z
  .strictObject({
    from: Instant,
    to: Instant,
    reason: text('reason', 200).refine((r) => r.trim().length > 0, 'say why the station is closed'),
  })
  .refine((c) => Date.parse(c.from) < Date.parse(c.to), { message: 'a closure must end after it starts', path: ['to'] });

// Only the globe here: whether the point lies in the deployment's region needs the loaded areas,
// so the service checks that (areas/region.ts).
const SWAP_HINT = 'did you swap lng and lat?';

const editableShape = {
  name: text('name', 200).refine((s) => s.trim().length > 0, 'name must not be blank'),
  name_en: optionalText('name_en', 200),
  kind: z.enum(STATION_KIND_KEYS),
  address: optionalText('address', 500),
  lng: z.number().min(-180, `lng must be within -180–180 (${SWAP_HINT})`).max(180, `lng must be within -180–180 (${SWAP_HINT})`),
  lat: z.number().min(-90, `lat must be within -90–90 (${SWAP_HINT})`).max(90, `lat must be within -90–90 (${SWAP_HINT})`),
  /** Which datum lng/lat are in; converted to WGS-84 before storing. Default WGS84. */
  datum: z.enum(DATUMS).optional(),
  amenities: z.partialRecord(z.enum(AMENITY_KEYS), z.enum(AMENITY_STATUSES)),
  // Length only here: the hours are read in the CPU pool afterwards (hours-check.ts).
  opening_hours: OpeningHoursTextSchema.nullable(),
  hours_overrides: z.array(DateOverrideTextSchema).max(100, 'at most 100 date overrides'),
  closures: z.array(ClosureSchema).max(100, 'at most 100 closures'),
  phone: z
    .string()
    .max(40, 'phone must be at most 40 characters')
    .regex(/^[0-9+\-() ]*$/, 'phone may contain digits, spaces and + - ( ) only')
    .nullable(),
  seats: z.number().int().min(0).max(10_000).nullable(),
  location_note: optionalText('location_note', 500),
};

const bothOrNeither = (b: { lng?: number; lat?: number }) => (b.lng === undefined) === (b.lat === undefined);
const positionMessage = { message: 'send lng and lat together', path: ['lat'] };

const VersionSchema = z.number().int().positive().describe('the version you edited (or If-Match)');

export const StationPatchSchema = z
  .strictObject({ ...z.object(editableShape).partial().shape, version: VersionSchema.optional() })
  .refine(bothOrNeither, positionMessage);
export type StationPatch = z.infer<typeof StationPatchSchema>;

export const NewStationBodySchema = z
  .strictObject({
    ...z.object(editableShape).partial().shape,
    name: editableShape.name,
    lng: editableShape.lng,
    lat: editableShape.lat,
    external_id: text('external_id', 100).nullable().optional(),
  })
  .refine(bothOrNeither, positionMessage);

export const VersionBodySchema = z.strictObject({ version: VersionSchema.optional() }).optional();

export const StationIdParam = z.coerce
  .number({ message: 'station id must be a number' })
  .int()
  .positive()
  .max(2_147_483_647);

export const HistoryQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Changes with an id below this one (the next page). */
  before: z.coerce.number().int().positive().max(2_147_483_647).optional(),
});

export const MyStationsQuerySchema = z.strictObject({
  q: z.string().max(100).optional().describe('part of the name or address'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** `If-Match: "3"` (also W/"3" or 3) → 3; absent → undefined; anything else → null. */
export function parseIfMatch(header: string | undefined): number | undefined | null {
  if (header === undefined || header === '') return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  return match ? Number(match[1]) : null;
}

/** Where a station would stand: a position to preview its areas for, before saving a move. */
export const PlacementQuerySchema = z.strictObject({
  lng: z.coerce.number().min(-180, `lng must be within -180–180 (${SWAP_HINT})`).max(180, `lng must be within -180–180 (${SWAP_HINT})`),
  lat: z.coerce.number().min(-90, `lat must be within -90–90 (${SWAP_HINT})`).max(90, `lat must be within -90–90 (${SWAP_HINT})`),
  datum: z.enum(DATUMS).default('WGS84').describe('the datum of lng/lat (GCJ02 as copied from Amap, BD09 from Baidu)'),
});
