import type { FieldChange } from '../../db/schema/station-changes.js';
import type { StationRecord } from './stations.repository.js';

/**
 * The fields a change records and a revert restores. Position is one field, `location` = [lng, lat],
 * so a revert never moves a station half-way. District codes are recorded as derived fields only.
 */
export const EDITABLE_FIELDS = [
  'name',
  'name_en',
  'kind',
  'address',
  'location',
  'amenities',
  'opening_hours',
  'hours_overrides',
  'closures',
  'phone',
  'seats',
  'location_note',
  'verified_at',
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];
export type StationValues = Partial<Record<EditableField, unknown>>;

export const DERIVED_FIELDS = ['district_code', 'subdistrict_code'] as const;

export function isEditableField(field: string): field is EditableField {
  return (EDITABLE_FIELDS as readonly string[]).includes(field);
}

/** A station's editable values in change-record form. */
export function valuesOf(station: StationRecord): Record<EditableField, unknown> {
  return {
    name: station.name,
    name_en: station.name_en,
    kind: station.kind,
    address: station.address,
    location: [Number(station.lng), Number(station.lat)],
    amenities: station.amenities,
    opening_hours: station.opening_hours,
    hours_overrides: station.hours_overrides,
    closures: station.closures,
    phone: station.phone,
    seats: station.seats,
    location_note: station.location_note,
    verified_at: station.verified_at,
  };
}

/** JSON with object keys sorted, so {a,b} equals {b,a} (jsonb reorders keys). */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
      : v,
  );
}

function sameTime(a: unknown, b: unknown) {
  return typeof a === 'string' && typeof b === 'string' && Date.parse(a) === Date.parse(b);
}

/** Fields of `proposed` whose value differs from `current`, as before/after pairs. */
export function diffValues(
  current: Record<string, unknown>,
  proposed: Record<string, unknown>,
): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const [field, after] of Object.entries(proposed)) {
    if (after === undefined) continue;
    const before = current[field] ?? null;
    if (stableJson(before) === stableJson(after ?? null) || sameTime(before, after)) continue;
    changes[field] = { before, after: after ?? null };
  }
  return changes;
}
