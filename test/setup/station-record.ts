import type { StationRecord } from '../../server/modules/stations/stations.repository.js';

/**
 * A station as the mirror and the listing hold it, for tests that need records without a
 * database: the identity and place given, every other field a plain default a test may override.
 */
export function stationRecord(fields: Pick<StationRecord, 'id' | 'lng' | 'lat'> & Partial<StationRecord>): StationRecord {
  return {
    external_id: null,
    name: `驿站${fields.id}`,
    name_en: null,
    kind: 'warm_post',
    address: null,
    district_code: '110101',
    subdistrict_code: null,
    area_codes: ['110000', '110101'],
    amenities: {},
    opening_hours: null,
    hours_overrides: [],
    closures: [],
    phone: null,
    seats: null,
    verified_at: null,
    version: 1,
    is_sample: true,
    location_note: null,
    updated_at: '2026-11-28T00:00:00Z',
    ...fields,
  } as StationRecord;
}
