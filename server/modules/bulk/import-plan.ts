/**
 * Decides what each read row does: insert, update an existing station (matched by external id,
 * else by our station id), leave it unchanged, or fail. Pure: the existing stations are passed in.
 */
import type { FieldChange } from '../../db/schema/station-changes.js';
import type { AmenityKey, AmenityMap } from '../stations/amenities.js';
import type { StationRecord } from '../stations/stations.repository.js';
import type { StationWrite } from './bulk.repository.js';
import type { ReadRow, StationDraft } from './row-reader.js';
import type { CellProblem } from './source-table.js';

/** conflict: the row is older than the stored station and would undo a change made since. */
export type ImportAction = 'insert' | 'update' | 'unchanged' | 'error' | 'conflict';

export interface PlannedRow {
  row: number;
  external_id: string | null;
  action: ImportAction;
  /** The station updated or left unchanged (inserts get theirs when written). */
  station_id?: number;
  problems: CellProblem[];
  warnings: CellProblem[];
  write?: StationWrite;
  /** Areas before an update, so the history can show a district change as the editor does. */
  areas_before?: { district_code: string | null; subdistrict_code: string | null };
  /** Per-field before/after for the history; only for inserts and updates. */
  changes?: Record<string, FieldChange>;
  /** An update whose file says an older version than the stored one: [file's, stored]. */
  stale?: { fileVersion: number; version: number };
}

/**
 * The fields an import sets, compared to decide update vs unchanged, and recorded in the station
 * history in the editor's form (station-diff.ts): the position is one field, `location` = [lng, lat],
 * so a revert of an import restores it whole.
 */
const COMPARED_FIELDS = [
  'external_id',
  'name',
  'name_en',
  'kind',
  'address',
  'location',
  'amenities',
  'opening_hours',
  'phone',
  'seats',
  'location_note',
] as const;
type ComparedField = (typeof COMPARED_FIELDS)[number];

function historyValues(s: StationWrite): Record<ComparedField, unknown> {
  return {
    external_id: s.external_id ?? null,
    name: s.name,
    name_en: s.name_en ?? null,
    kind: s.kind,
    address: s.address ?? null,
    location: [s.lng, s.lat],
    amenities: s.amenities ?? {},
    opening_hours: s.opening_hours ?? null,
    phone: s.phone ?? null,
    seats: s.seats ?? null,
    location_note: s.location_note ?? null,
  };
}

// 5e-6° ≈ 0.5 m: GCJ-02/BD-09 → WGS-84 is accurate to ~2e-6° (measured), so an export in those
// datums re-imports as unchanged; nobody moves a station by less than half a metre.
const POSITION_TOLERANCE_DEG = 5e-6;

function samePosition(a: [number, number], b: [number, number]): boolean {
  return (
    Math.abs(a[0] - b[0]) < POSITION_TOLERANCE_DEG && Math.abs(a[1] - b[1]) < POSITION_TOLERANCE_DEG
  );
}

function applyAmenities(base: AmenityMap, changes: StationDraft['amenities']): AmenityMap {
  const next: AmenityMap = { ...base };
  for (const [key, status] of Object.entries(changes ?? {}) as [AmenityKey, string | null][]) {
    if (status === null) delete next[key];
    else next[key] = status as AmenityMap[AmenityKey];
  }
  // Sorted keys: the same map always serialises the same way (history diffs, comparisons).
  return Object.fromEntries(Object.entries(next).sort(([a], [b]) => a.localeCompare(b)));
}

function merge(base: StationWrite, draft: StationDraft): StationWrite {
  const pick = <K extends keyof StationDraft>(key: K, current: unknown) =>
    draft[key] === undefined ? current : draft[key];
  // A position within ~0.5 m of the stored one (a datum round trip) keeps the stored one.
  const moved =
    draft.position !== undefined &&
    draft.position !== null &&
    !samePosition(draft.position, [base.lng, base.lat]);
  return {
    ...base,
    external_id: pick('external_id', base.external_id) as string | null,
    name: (draft.name ?? base.name) as string,
    name_en: pick('name_en', base.name_en) as string | null,
    kind: draft.kind ?? base.kind,
    address: pick('address', base.address) as string | null,
    lng: moved ? draft.position![0] : base.lng,
    lat: moved ? draft.position![1] : base.lat,
    amenities: applyAmenities(base.amenities ?? {}, draft.amenities),
    opening_hours: pick('opening_hours', base.opening_hours) as string | null,
    phone: pick('phone', base.phone) as string | null,
    seats: pick('seats', base.seats) as number | null,
    location_note: pick('location_note', base.location_note) as string | null,
  };
}

function sameValue(field: ComparedField, a: unknown, b: unknown): boolean {
  if (field === 'location') return samePosition(a as [number, number], b as [number, number]);
  if (field === 'amenities') return JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
  return (a ?? null) === (b ?? null);
}

function recordAsWrite(s: StationRecord): StationWrite {
  return {
    id: s.id,
    external_id: s.external_id,
    name: s.name,
    name_en: s.name_en,
    kind: s.kind,
    address: s.address,
    lng: Number(s.lng),
    lat: Number(s.lat),
    amenities: applyAmenities(s.amenities, {}),
    opening_hours: s.opening_hours,
    phone: s.phone,
    seats: s.seats === null ? null : Number(s.seats),
    location_note: s.location_note,
  };
}

/** Marks later rows repeating an external id or station id already used above them. */
function duplicateProblems(rows: ReadRow[], rowNumbers: number[]): CellProblem[][] {
  const seenExternal = new Map<string, number>();
  const seenStation = new Map<number, number>();
  return rows.map(({ draft }, i) => {
    const problems: CellProblem[] = [];
    if (draft.external_id) {
      const first = seenExternal.get(draft.external_id);
      if (first !== undefined) {
        problems.push({
          field: 'external_id',
          problem: `"${draft.external_id}" also appears on row ${first}`,
        });
      } else seenExternal.set(draft.external_id, rowNumbers[i]!);
    }
    if (draft.station_id !== undefined) {
      const first = seenStation.get(draft.station_id);
      if (first !== undefined) {
        problems.push({
          field: 'station_id',
          problem: `station ${draft.station_id} also appears on row ${first}`,
        });
      } else seenStation.set(draft.station_id, rowNumbers[i]!);
    }
    return problems;
  });
}

function findTarget(
  draft: StationDraft,
  byExternalId: Map<string, StationRecord>,
  byId: Map<number, StationRecord>,
  problems: CellProblem[],
): StationRecord | undefined {
  const byExternal = draft.external_id ? byExternalId.get(draft.external_id) : undefined;
  if (draft.station_id === undefined) return byExternal;
  const byStation = byId.get(draft.station_id);
  if (!byStation) {
    problems.push({
      field: 'station_id',
      problem: `there is no station ${draft.station_id}`,
    });
    return undefined;
  }
  if (byExternal && byExternal.id !== byStation.id) {
    problems.push({
      field: 'external_id',
      problem: `"${draft.external_id}" belongs to station ${byExternal.id}, not to station ${draft.station_id}`,
    });
    return undefined;
  }
  return byStation;
}

/** Plans every row against the existing stations; rows are independent except for duplicates. */
export function planImport(
  rows: { row: number; read: ReadRow }[],
  existing: StationRecord[],
): PlannedRow[] {
  const byExternalId = new Map(
    existing.filter((s) => s.external_id).map((s) => [s.external_id!, s]),
  );
  const byId = new Map(existing.map((s) => [Number(s.id), s]));
  const duplicates = duplicateProblems(
    rows.map((r) => r.read),
    rows.map((r) => r.row),
  );
  return rows.map(({ row, read }, i): PlannedRow => {
    const { draft, warnings } = read;
    const problems = [...read.problems, ...duplicates[i]!];
    const target = findTarget(draft, byExternalId, byId, problems);
    const external_id = draft.external_id ?? target?.external_id ?? null;
    if (!target) {
      if (draft.name === undefined && !problems.some((p) => p.field === 'name')) {
        problems.push({ field: 'name', problem: 'a new station needs a name' });
      }
      if (
        !draft.position &&
        !problems.some((p) => p.field === 'lng' || p.field === 'lat' || p.field === 'geometry')
      ) {
        problems.push({
          field: 'lng',
          problem: 'a new station needs longitude and latitude',
        });
      }
    }
    if (problems.length) return { row, external_id, action: 'error', problems, warnings };
    if (!target) {
      const write = merge(
        { name: '', kind: 'warm_post', lng: 0, lat: 0, amenities: {} },
        { ...draft, kind: draft.kind ?? 'warm_post' },
      );
      // As the editor records a creation: every field that has a value, from null.
      const changes = Object.fromEntries(
        Object.entries(historyValues(write))
          .filter(([, value]) => value !== null)
          .map(([field, after]) => [field, { before: null, after }]),
      );
      return {
        row,
        external_id,
        action: 'insert',
        problems,
        warnings,
        write,
        changes,
      };
    }
    const write = merge(recordAsWrite(target), draft);
    const before = historyValues(recordAsWrite(target));
    const after = historyValues(write);
    const changes: Record<string, FieldChange> = {};
    for (const field of COMPARED_FIELDS) {
      if (!sameValue(field, before[field], after[field])) {
        changes[field] = { before: before[field], after: after[field] };
      }
    }
    const action = Object.keys(changes).length ? 'update' : 'unchanged';
    const stale =
      draft.version !== undefined && Number(target.version) > draft.version
        ? { fileVersion: draft.version, version: Number(target.version) }
        : undefined;
    return {
      row,
      external_id,
      action,
      station_id: target.id,
      problems,
      warnings,
      ...(action === 'update'
        ? {
            write,
            changes,
            ...(stale ? { stale } : {}),
            areas_before: {
              district_code: target.district_code,
              subdistrict_code: target.subdistrict_code,
            },
          }
        : {}),
    };
  });
}
