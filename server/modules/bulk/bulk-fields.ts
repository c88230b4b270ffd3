/**
 * The columns a bulk file may carry and how their headers are recognised. The first alias of each
 * field is the header our exports write, so an export re-imports without a mapping.
 */
import { badRequest } from '../../http/errors.js';
import { AMENITIES, type AmenityKey } from '../stations/amenities.js';

export const SCALAR_FIELDS = [
  'station_id',
  'external_id',
  'name',
  'name_en',
  'kind',
  'address',
  'lng',
  'lat',
  'opening_hours',
  'phone',
  'seats',
  'location_note',
  /**
   * The station's version when exported (its If-Match version): a re-imported row older than the
   * stored station is a conflict for the fields changed since (see import-conflicts.ts).
   */
  'version',
  /** A whole amenity map in one cell (GeoJSON object, key list, or "热水,微波炉"). */
  'amenities',
] as const;
export type ScalarField = (typeof SCALAR_FIELDS)[number];

/** Our field → headers we recognise (compared after {@link normalizeHeader}); first = export header. */
const SCALAR_ALIASES: Record<ScalarField, string[]> = {
  // Deliberately not "id"/"ID": a union file's own "ID" column must never address our rows.
  station_id: ['系统ID', 'station_id', '系统编号'],
  external_id: ['编号', 'external_id', '站点编号', '驿站编号', '外部编号'],
  name: ['名称', 'name', '站点名称', '驿站名称', '站名'],
  name_en: ['英文名称', 'name_en'],
  kind: ['类型', 'kind', '站点类型', '驿站类型'],
  address: ['地址', 'address', '详细地址', '站点地址'],
  lng: ['经度', 'lng', 'lon', 'long', 'longitude', 'x'],
  lat: ['纬度', 'lat', 'latitude', 'y'],
  opening_hours: ['开放时间', 'opening_hours', '营业时间', '服务时间'],
  phone: ['电话', 'phone', '联系电话'],
  seats: ['座位数', 'seats', '座位'],
  location_note: ['位置说明', 'location_note'],
  version: ['版本', 'version'],
  amenities: ['amenities', '设施'],
};

/** Shorter spellings union lists use for amenity columns, besides our key and zh label. */
const AMENITY_EXTRA_ALIASES: Partial<Record<AmenityKey, string[]>> = {
  hot_water: ['热水', '饮水'],
  microwave: ['微波炉'],
  phone_charging: ['充电', '手机充电'],
  ebike_charging: ['电动车充电', '电瓶充电'],
  heating: ['暖气'],
  seating: ['座椅', '休息'],
  toilet: ['厕所', '卫生间'],
  first_aid: ['药箱', '医药箱'],
  umbrella: ['雨伞', '雨具'],
  wifi: ['wi-fi', 'wlan'],
};

export function amenityHeader(key: AmenityKey): string {
  return AMENITIES.find((a) => a.key === key)!.zh;
}

export function exportHeader(field: ScalarField): string {
  return SCALAR_ALIASES[field][0]!;
}

/** Header comparison ignores case, spaces and full-width/half-width differences. */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[（(][^）)]*[）)]$/, '') // "经度(WGS84)", "电话（选填）"
    .toLowerCase();
}

/** Which source column feeds each field; amenity columns are listed separately. */
export interface ColumnMapping {
  scalars: Partial<Record<ScalarField, string>>;
  amenities: Partial<Record<AmenityKey, string>>;
  /** Columns of the file nothing reads (told back to the user so a typo is noticed). */
  ignored: string[];
}

type Target = { scalar: ScalarField } | { amenity: AmenityKey };

function aliasIndex(): Map<string, Target> {
  const index = new Map<string, Target>();
  for (const field of SCALAR_FIELDS) {
    for (const alias of SCALAR_ALIASES[field]) index.set(normalizeHeader(alias), { scalar: field });
  }
  for (const amenity of AMENITIES) {
    const aliases = [
      amenity.key,
      amenity.zh,
      amenity.en,
      ...(AMENITY_EXTRA_ALIASES[amenity.key] ?? []),
    ];
    for (const alias of aliases) {
      const key = normalizeHeader(alias);
      if (!index.has(key)) index.set(key, { amenity: amenity.key });
    }
  }
  return index;
}
const ALIASES = aliasIndex();

/** Reads a user's mapping key: one of our fields, an amenity key, or "amenity:<key>". */
function targetOf(field: string): Target | null {
  if ((SCALAR_FIELDS as readonly string[]).includes(field)) return { scalar: field as ScalarField };
  const key = field.startsWith('amenity:') ? field.slice('amenity:'.length) : field;
  const amenity = AMENITIES.find((a) => a.key === key);
  return amenity ? { amenity: amenity.key } : null;
}

export const MAPPABLE_FIELDS = [...SCALAR_FIELDS, ...AMENITIES.map((a) => a.key)];

/**
 * Decides which column feeds which field: the user's mapping (our field → their header) first,
 * then recognised headers for the fields still unmapped. A mapping naming an unknown field or a
 * column the file does not have is a 400 that lists what exists.
 */
export function resolveColumnMapping(
  columns: string[],
  userMapping: Record<string, string> = {},
): ColumnMapping {
  const mapping: ColumnMapping = { scalars: {}, amenities: {}, ignored: [] };
  const used = new Set<string>();
  const assign = (target: Target, column: string) => {
    if ('scalar' in target) mapping.scalars[target.scalar] = column;
    else mapping.amenities[target.amenity] = column;
    used.add(column);
  };
  for (const [field, column] of Object.entries(userMapping)) {
    const target = targetOf(field);
    if (!target) {
      throw badRequest(
        `mapping: unknown field "${field.slice(0, 40)}"; known fields: ${MAPPABLE_FIELDS.join(', ')}`,
      );
    }
    const actual =
      columns.find((c) => c === column) ??
      columns.find((c) => normalizeHeader(c) === normalizeHeader(column));
    if (!actual) {
      throw badRequest(
        `mapping: column "${column.slice(0, 60)}" (for ${field}) is not in the file; its columns are: ${columns.join(', ').slice(0, 500)}`,
      );
    }
    assign(target, actual);
  }
  for (const column of columns) {
    if (used.has(column)) continue;
    const target = ALIASES.get(normalizeHeader(column));
    const taken =
      target &&
      ('scalar' in target
        ? mapping.scalars[target.scalar] !== undefined
        : mapping.amenities[target.amenity] !== undefined);
    if (target && !taken) assign(target, column);
    else mapping.ignored.push(column);
  }
  return mapping;
}
