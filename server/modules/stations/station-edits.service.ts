import type { AppDatabase } from '../../db/client.js';
import { regionProblems, type RegionOptions } from '../areas/region.js';
import type { FieldChange } from '../../db/schema/station-changes.js';
import { toWgs84 } from '../../geo/coords.js';
import { badRequest, HttpError, notFound } from '../../http/errors.js';
import type { AuthUser } from '../auth/roles.js';
import {
  deleteStationRow,
  findStationChange,
  insertStationChange,
  insertStationValues,
  lockStation,
  updateStationValues,
  type ChangeAction,
} from './station-changes.repository.js';
import {
  DERIVED_FIELDS,
  diffValues,
  isEditableField,
  valuesOf,
  type StationValues,
} from './station-diff.js';
import type { StationPatch } from './station-edits.schemas.js';
import type { StationRecord } from './stations.repository.js';

export type Editor = Pick<AuthUser, 'id' | 'username'>;

export interface EditResult {
  station: StationRecord;
  /** The recorded change; null when the edit changed nothing. */
  changeId: number | null;
  /** Opening-hours warnings from the library (the value was accepted). */
  warnings: string[];
}

const asTx = (tx: unknown) => tx as AppDatabase;

export class StationConflictError extends HttpError {
  constructor(current: StationRecord, expected: number) {
    super(
      409,
      `Station ${current.id} was changed by someone else (you edited version ${expected}, it is now version ${current.version}). Reload it and apply your change again.`,
      { version: current.version, station: current },
      { ETag: `"${current.version}"` },
    );
  }
}

function requireVersion(expected: number | undefined): number {
  if (expected === undefined) {
    throw new HttpError(
      428,
      'Say which version you edited: send If-Match: "<version>" or "version" in the body',
    );
  }
  return expected;
}

/** A PATCH body as change-record values, positions converted to WGS-84. */
export function patchValues(patch: Omit<StationPatch, 'version'>): StationValues {
  const { lng, lat, datum, ...rest } = patch;
  const values: StationValues = { ...rest };
  if (lng !== undefined && lat !== undefined) values.location = toWgs84([lng, lat], datum ?? 'WGS84');
  return values;
}

/** A new position must lie in the deployment's region (inside or near a loaded area). */
async function checkPosition(db: AppDatabase, values: StationValues, region: RegionOptions): Promise<void> {
  const location = values.location as [number, number] | undefined;
  if (!location) return;
  const [problem] = await regionProblems(db, [location], region);
  if (problem) throw badRequest(problem);
}

/** Applies `values` to a locked station and records the change; no-op edits record nothing. */
async function applyChange(
  tx: AppDatabase,
  editor: Editor,
  before: StationRecord,
  values: StationValues,
  action: ChangeAction,
  revertOf: number | null = null,
): Promise<{ station: StationRecord; changeId: number | null }> {
  const changes: Record<string, FieldChange> = diffValues(valuesOf(before), values);
  if (Object.keys(changes).length === 0) return { station: before, changeId: null };
  const changed = Object.fromEntries(Object.keys(changes).map((field) => [field, values[field as keyof StationValues]]));
  const after = await updateStationValues(tx, before.id, changed);
  for (const field of DERIVED_FIELDS) {
    if (before[field] !== after[field]) changes[field] = { before: before[field], after: after[field] };
  }
  const changeId = await insertStationChange(tx, {
    station_id: before.id,
    user_id: editor.id,
    username: editor.username,
    action,
    changes,
    version: after.version,
    revert_of: revertOf,
  });
  return { station: after, changeId };
}

async function lockAtVersion(tx: AppDatabase, stationId: number, expected: number | undefined) {
  const station = await lockStation(tx, stationId);
  if (!station) throw notFound(`Station not found: ${stationId}`);
  if (expected !== undefined && station.version !== expected) throw new StationConflictError(station, expected);
  return station;
}

export async function updateStation(
  db: AppDatabase,
  editor: Editor,
  stationId: number,
  patch: Omit<StationPatch, 'version'>,
  expectedVersion: number | undefined,
  region: RegionOptions,
): Promise<EditResult> {
  const expected = requireVersion(expectedVersion);
  const values = patchValues(patch);
  await checkPosition(db, values, region);
  const result = await db.transaction(async (tx) => {
    const before = await lockAtVersion(asTx(tx), stationId, expected);
    return applyChange(asTx(tx), editor, before, values, 'update');
  });
  // The hours' warnings come from the route, which read them in the CPU pool (hours-check.ts).
  return { ...result, warnings: [] };
}

/** "Still correct": stamps verified_at now; no version needed (it cannot overwrite an edit). */
export async function verifyStation(db: AppDatabase, editor: Editor, stationId: number): Promise<EditResult> {
  const result = await db.transaction(async (tx) => {
    const before = await lockAtVersion(asTx(tx), stationId, undefined);
    return applyChange(asTx(tx), editor, before, { verified_at: new Date().toISOString() }, 'verify');
  });
  return { ...result, warnings: [] };
}

/** Restores the "before" side of one recorded change, as a new recorded change. */
export async function revertChange(
  db: AppDatabase,
  editor: Editor,
  stationId: number,
  changeId: number,
  expectedVersion: number | undefined,
): Promise<EditResult> {
  const expected = requireVersion(expectedVersion);
  const change = await findStationChange(db, changeId);
  if (!change || change.station_id !== stationId) {
    throw notFound(`Change ${changeId} not found for station ${stationId}`);
  }
  if (change.action === 'create' || change.action === 'delete') {
    throw badRequest(`A ${change.action} cannot be reverted; edit or delete the station instead`);
  }
  const values: StationValues = {};
  for (const [field, { before }] of Object.entries(change.changes)) {
    if (isEditableField(field)) values[field] = before;
  }
  const result = await db.transaction(async (tx) => {
    const before = await lockAtVersion(asTx(tx), stationId, expected);
    return applyChange(asTx(tx), editor, before, values, 'revert', changeId);
  });
  return { ...result, warnings: [] };
}

export async function createStation(
  db: AppDatabase,
  editor: Editor,
  body: Omit<StationPatch, 'version'> & { name: string; lng: number; lat: number; external_id?: string | null },
  region: RegionOptions,
): Promise<EditResult> {
  const { external_id, ...patch } = body;
  const values = patchValues(patch);
  await checkPosition(db, values, region);
  const station = await db.transaction(async (tx) => {
    const created = await insertStationValues(asTx(tx), { ...values, external_id });
    const changes = diffValues({}, { ...valuesOf(created), district_code: created.district_code });
    await insertStationChange(asTx(tx), {
      station_id: created.id,
      user_id: editor.id,
      username: editor.username,
      action: 'create',
      changes,
      version: created.version,
      revert_of: null,
    });
    return created;
  });
  return { station, changeId: null, warnings: [] };
}

export async function deleteStation(
  db: AppDatabase,
  editor: Editor,
  stationId: number,
  expectedVersion: number | undefined,
): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await lockAtVersion(asTx(tx), stationId, expectedVersion);
    const changes = Object.fromEntries(
      Object.entries(valuesOf(before))
        .filter(([, v]) => v !== null)
        .map(([field, v]) => [field, { before: v, after: null }]),
    );
    await insertStationChange(asTx(tx), {
      station_id: stationId,
      user_id: editor.id,
      username: editor.username,
      action: 'delete',
      changes,
      version: before.version + 1,
      revert_of: null,
    });
    await deleteStationRow(asTx(tx), stationId);
  });
}
