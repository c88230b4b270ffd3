/**
 * Reads one source row into a station draft with the same rules as editing: kind and amenity
 * vocabularies, amenity statuses, opening_hours through the hours engine, coordinates in range
 * (converted from the declared datum to WGS-84). A field whose column the file lacks stays
 * undefined (an update leaves it unchanged); an empty cell clears an optional field.
 */
import { toWgs84, type Datum } from '../../geo/coords.js';
import { findUnstorableText } from '../../http/validate.js';
import { readOpeningHoursInput, type OpeningHoursInput } from '../../hours/index.js';
import { STATION_KINDS, type AmenityKey, type StationKind } from '../stations/amenities.js';
import {
  NewStationBodySchema,
  OpeningHoursTextSchema,
  StationPatchSchema,
} from '../stations/station-edits.schemas.js';
import { amenityStatusOf, cellText, readAmenityMap, type AmenityChanges } from './amenity-cells.js';

export { amenityStatusOf };
import type { ColumnMapping } from './bulk-fields.js';
import type { CellProblem, SourceRow } from './source-table.js';

export interface StationDraft {
  station_id?: number;
  /** The station version the file was exported at (optimistic concurrency), when it says. */
  version?: number;
  external_id?: string | null;
  name?: string;
  name_en?: string | null;
  kind?: StationKind | null;
  address?: string | null;
  /** WGS-84, converted from the file's datum. */
  position?: [number, number] | null;
  opening_hours?: string | null;
  phone?: string | null;
  seats?: number | null;
  location_note?: string | null;
  /** null = the station does not offer it (removed on update). */
  amenities?: AmenityChanges;
}

export interface ReadRow {
  draft: StationDraft;
  problems: CellProblem[];
  warnings: CellProblem[];
}

/**
 * Only the globe here; whether a point lies in the deployment's region (near a loaded area) is
 * checked against the database by the service (areas/region.ts `regionProblems`).
 */
const GLOBE = { minLng: -180, maxLng: 180, minLat: -90, maxLat: 90 };

/** `.max(n)` of a string or number schema, under any optional/nullable wrappers. */
function limitOf(schema: unknown, what: 'maxLength' | 'maxValue'): number {
  let s = schema as { unwrap?: () => unknown; maxLength?: number | null; maxValue?: number };
  while (typeof s[what] !== 'number' && typeof s.unwrap === 'function') s = s.unwrap() as typeof s;
  const limit = s[what];
  if (typeof limit !== 'number' || !Number.isFinite(limit)) {
    throw new Error(`station-edits.schemas.ts no longer states a ${what}; row-reader reads it`);
  }
  return limit;
}

// The editor's limits, read from its schemas, so an import can store nothing an edit could not.
const edit = StationPatchSchema.shape;
const MAX_SEATS = limitOf(edit.seats, 'maxValue');
const MAX_TEXT = {
  name: limitOf(edit.name, 'maxLength'),
  name_en: limitOf(edit.name_en, 'maxLength'),
  address: limitOf(edit.address, 'maxLength'),
  phone: limitOf(edit.phone, 'maxLength'),
  location_note: limitOf(edit.location_note, 'maxLength'),
  external_id: limitOf(NewStationBodySchema.shape.external_id, 'maxLength'),
  opening_hours: limitOf(OpeningHoursTextSchema, 'maxLength'),
};

// The same characters the edge refuses in requests (validate.ts); a file's cells are checked here.
const UNSTORABLE = /\u0000|\p{Cs}/gu;

/** The value without what {@link findUnstorableText} finds, so the rest of the row is still checked. */
function withoutUnstorable(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(UNSTORABLE, '');
  if (typeof value !== 'object' || value === null || depth > 64) return value;
  if (Array.isArray(value)) return value.map((item) => withoutUnstorable(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      withoutUnstorable(k, depth + 1),
      withoutUnstorable(v, depth + 1),
    ]),
  );
}

/**
 * Every cell of the row, read or not: text PostgreSQL cannot store is a problem naming the field
 * (ours when the column is mapped, else the file's header), so a dry run says what a commit would
 * otherwise fail on. The rest of the row is read without those characters, for its other problems.
 */
function checkStorable(row: SourceRow, mapping: ColumnMapping): SourceRow {
  const fieldOf = new Map<string, string>();
  for (const [field, column] of Object.entries(mapping.scalars)) fieldOf.set(column, field);
  for (const [key, column] of Object.entries(mapping.amenities)) fieldOf.set(column, key);
  let checked = row;
  for (const [column, value] of Object.entries(row.cells)) {
    const reason = findUnstorableText(value)?.problem;
    if (!reason) continue;
    if (checked === row) checked = { ...row, cells: { ...row.cells }, problems: [...row.problems] };
    checked.problems.push({ field: fieldOf.get(column) ?? column.slice(0, 60), problem: reason });
    checked.cells[column] = withoutUnstorable(value);
  }
  return checked;
}

function kindOf(value: string): StationKind | undefined {
  const t = value.toLowerCase();
  return STATION_KINDS.find((k) => k.key === t || k.zh === value || k.en.toLowerCase() === t)?.key;
}

function readCoordinate(
  value: unknown,
  field: 'lng' | 'lat',
  problems: CellProblem[],
): number | null {
  const t = cellText(value).replace(/[°\s]/g, '');
  if (t === '') return null;
  const n = Number(t);
  if (!Number.isFinite(n)) {
    problems.push({
      field,
      problem: `"${t.slice(0, 30)}" is not a number of degrees`,
    });
    return null;
  }
  return n;
}

/** The opening-hours text of a row as readStationRow reads it, for reading them all beforehand. */
export function openingHoursText(source: SourceRow, mapping: ColumnMapping): string | null {
  const column = mapping.scalars.opening_hours;
  if (column === undefined) return null;
  const t = cellText(source.cells[column]);
  return t === '' || t.length > MAX_TEXT.opening_hours ? null : t;
}

/**
 * One row checked with the editing rules. `readHours` reads an opening-hours text: the import
 * passes the answers it got from the CPU pool (hours-check.ts), so no parsing runs here.
 */
export function readStationRow(
  source: SourceRow,
  mapping: ColumnMapping,
  datum: Datum,
  readHours: (text: string) => OpeningHoursInput = readOpeningHoursInput,
): ReadRow {
  const row = checkStorable(source, mapping);
  const warnings: CellProblem[] = [];
  const draft: StationDraft = {};
  const problems: CellProblem[] = [...row.problems];
  const cols = mapping.scalars;
  const cell = (column: string | undefined) =>
    column === undefined ? undefined : row.cells[column];
  const optionalText = (field: keyof typeof MAX_TEXT) => {
    if (cols[field] === undefined) return undefined;
    const t = cellText(cell(cols[field]));
    if (t.length > MAX_TEXT[field]) {
      problems.push({
        field,
        problem: `longer than ${MAX_TEXT[field]} characters`,
      });
    }
    return t === '' ? null : t;
  };

  draft.external_id = optionalText('external_id');
  if (draft.external_id === undefined && row.cells.external_id !== undefined) {
    draft.external_id = cellText(row.cells.external_id) || null; // a GeoJSON feature id
  }
  if (cols.station_id !== undefined) {
    const t = cellText(cell(cols.station_id));
    if (t !== '') {
      if (/^\d{1,9}$/.test(t) && Number(t) > 0) draft.station_id = Number(t);
      else
        problems.push({
          field: 'station_id',
          problem: `"${t.slice(0, 30)}" is not a station id`,
        });
    }
  }
  if (cols.version !== undefined) {
    const t = cellText(cell(cols.version));
    if (t !== '') {
      if (/^\d{1,9}$/.test(t) && Number(t) > 0) draft.version = Number(t);
      else problems.push({ field: 'version', problem: `"${t.slice(0, 30)}" is not a version number` });
    }
  }
  if (cols.name !== undefined) {
    const name = optionalText('name');
    if (name === null) problems.push({ field: 'name', problem: 'the name is empty' });
    else draft.name = name;
  }
  draft.name_en = optionalText('name_en');
  draft.address = optionalText('address');
  draft.phone = optionalText('phone');
  if (draft.phone) {
    // Full-width digits and brackets (０１０－…) are common in Chinese sheets; the editor's rule is ASCII.
    draft.phone = draft.phone.normalize('NFKC');
    if (!/^[0-9+\-() ]*$/.test(draft.phone)) {
      problems.push({
        field: 'phone',
        problem: `"${draft.phone.slice(0, 40)}": a phone may contain digits, spaces and + - ( ) only (one number per station)`,
      });
    }
  }
  draft.location_note = optionalText('location_note');
  if (cols.kind !== undefined) {
    const t = cellText(cell(cols.kind));
    const kind = t === '' ? null : kindOf(t);
    if (kind === undefined) {
      problems.push({
        field: 'kind',
        problem: `unknown kind "${t.slice(0, 40)}"; use one of ${STATION_KINDS.map((k) => `${k.key} (${k.zh})`).join(', ')}`,
      });
    } else draft.kind = kind;
  }
  if (cols.seats !== undefined) {
    const t = cellText(cell(cols.seats));
    if (t === '') draft.seats = null;
    else if (/^\d{1,5}$/.test(t) && Number(t) <= MAX_SEATS) draft.seats = Number(t);
    else
      problems.push({
        field: 'seats',
        problem: `"${t.slice(0, 30)}" is not a whole number of seats (0–${MAX_SEATS})`,
      });
  }
  if (cols.opening_hours !== undefined) {
    const t = cellText(cell(cols.opening_hours));
    if (t === '') draft.opening_hours = null;
    else if (t.length > MAX_TEXT.opening_hours) {
      // Before parsing: the hours engine's cost grows with the length of the value.
      problems.push({
        field: 'opening_hours',
        problem: `longer than ${MAX_TEXT.opening_hours} characters`,
      });
    } else {
      // OSM syntax, or the words a union's list uses ("周一至周五 8:00-18:00"), stored as OSM.
      const checked = readHours(t);
      if (!checked.ok)
        problems.push({
          field: 'opening_hours',
          problem: checked.error.slice(0, 300),
        });
      else {
        draft.opening_hours = checked.value;
        if (checked.fromPhrase)
          warnings.push({ field: 'opening_hours', problem: `read as "${checked.value}"`.slice(0, 300) });
        for (const w of checked.warnings)
          warnings.push({ field: 'opening_hours', problem: w.slice(0, 300) });
      }
    }
  }
  readPosition(row, mapping, datum, draft, problems);
  readAmenities(row, mapping, draft, problems);
  return { draft, problems, warnings };
}

function readPosition(
  row: SourceRow,
  mapping: ColumnMapping,
  datum: Datum,
  draft: StationDraft,
  problems: CellProblem[],
): void {
  let raw: [number | null, number | null] | undefined;
  if (row.position) raw = row.position;
  else if (mapping.scalars.lng !== undefined || mapping.scalars.lat !== undefined) {
    raw = [
      readCoordinate(row.cells[mapping.scalars.lng ?? ''], 'lng', problems),
      readCoordinate(row.cells[mapping.scalars.lat ?? ''], 'lat', problems),
    ];
  }
  if (!raw || problems.some((p) => p.field === 'lng' || p.field === 'lat')) return;
  const [lng, lat] = raw;
  if (lng === null && lat === null) return; // nothing given: an update keeps its position
  if (lng === null || lat === null) {
    problems.push({
      field: lng === null ? 'lng' : 'lat',
      problem: 'only one of longitude/latitude is given',
    });
    return;
  }
  const inBox = (x: number, y: number) =>
    x >= GLOBE.minLng && x <= GLOBE.maxLng && y >= GLOBE.minLat && y <= GLOBE.maxLat;
  if (!inBox(lng, lat)) {
    const { minLng, maxLng, minLat, maxLat } = GLOBE;
    problems.push({
      field: lng < minLng || lng > maxLng ? 'lng' : 'lat',
      problem: inBox(lat, lng)
        ? `(${lng}, ${lat}): longitude and latitude look swapped`
        : `(${lng}, ${lat}) is not a position: longitude must be ${minLng}–${maxLng}, latitude ${minLat}–${maxLat}`,
    });
    return;
  }
  draft.position = toWgs84([lng, lat], datum);
}

function readAmenities(
  row: SourceRow,
  mapping: ColumnMapping,
  draft: StationDraft,
  problems: CellProblem[],
): void {
  if (mapping.scalars.amenities !== undefined) {
    draft.amenities = readAmenityMap(row.cells[mapping.scalars.amenities], problems);
  }
  for (const [key, column] of Object.entries(mapping.amenities) as [AmenityKey, string][]) {
    const status = amenityStatusOf(row.cells[column]);
    if (status === undefined) {
      problems.push({
        field: key,
        problem: `"${cellText(row.cells[column]).slice(0, 30)}" is not understood; write 有/是/✓/1 (has it), 无/0 or empty (not offered), 故障 (out of order) or 缺货 (out of stock)`,
      });
    } else {
      draft.amenities ??= {};
      draft.amenities[key] = status;
    }
  }
}
