/**
 * Bulk import and export of stations. An import reads the file, checks every row with the editing
 * rules, and then either reports (dry run, or any row in error: nothing written) or writes every
 * row in one transaction, upserting by external id, with each change in the station history.
 */
import type { AppDatabase } from '../../db/client.js';
import type { Datum } from '../../geo/coords.js';
import { badRequest } from '../../http/errors.js';
import { regionProblems, type RegionOptions } from '../areas/region.js';
import { resolveColumnMapping, type ColumnMapping } from './bulk-fields.js';
import {
  findChangesSince,
  findStationsByKeys,
  findStationsOutsideDistricts,
  inTransaction,
  insertStationBatch,
  placePoints,
  recordImportChanges,
  updateStationBatch,
  type WrittenStation,
} from './bulk.repository.js';
import { readCsvStream } from './csv-format.js';
import { MAX_UPLOAD_BYTES } from './bulk.schemas.js';
import { readGeoJson } from './geojson-format.js';
import { markConflicts, staleRows, type OnConflict } from './import-conflicts.js';
import { planImport, type ImportAction, type PlannedRow } from './import-plan.js';
import { openingHoursText, readStationRow } from './row-reader.js';
import { readImportHours } from '../stations/hours-check.js';
import { readOpeningHoursInput } from '../../hours/index.js';
import { MAX_IMPORT_ROWS, type BulkFormat, type CellProblem, type SourceTable } from './source-table.js';
import { readXlsx } from './xlsx-format.js';

export interface ImportRequest {
  /** The file: in memory, or (CSV) the request body as it streams in. */
  body: Buffer | AsyncIterable<Uint8Array>;
  format: BulkFormat;
  crs: Datum;
  dryRun: boolean;
  /** Our field → the file's column header. */
  mapping?: Record<string, string>;
  /** Rows older than the stored station that would undo a later change: refuse (default) or apply. */
  onConflict?: OnConflict;
  user: { id: number; username: string };
  /** The deployment's region: rows placed outside it are refused. */
  region: RegionOptions;
}

export interface ImportRowResult {
  row: number;
  external_id: string | null;
  action: ImportAction;
  station_id?: number;
  problems: CellProblem[];
  warnings: CellProblem[];
}

export interface ImportReport {
  dry_run: boolean;
  /** True only when the rows were written. */
  committed: boolean;
  format: BulkFormat;
  crs: Datum;
  columns: { mapping: Record<string, string>; ignored: string[] };
  notes: string[];
  rows: ImportRowResult[];
  summary: {
    rows: number;
    inserted: number;
    updated: number;
    unchanged: number;
    errors: number;
    /** Rows that would undo a change made since the file was exported (see import-conflicts.ts). */
    conflicts: number;
    warnings: number;
  };
  elapsed_ms: number;
}

export async function readTable(
  format: BulkFormat,
  body: Buffer | AsyncIterable<Uint8Array>,
): Promise<SourceTable> {
  // CSV streams: its caps are enforced while reading, so a huge file is never held whole.
  if (format === 'csv') {
    return readCsvStream(Buffer.isBuffer(body) ? [body] : body, {
      maxBytes: MAX_UPLOAD_BYTES,
      maxRows: MAX_IMPORT_ROWS,
    });
  }
  if (!Buffer.isBuffer(body)) throw new Error(`a ${format} file must be read into memory first`);
  if (body.length === 0) throw badRequest('The request body is empty: send the file as the body');
  if (format === 'geojson') return readGeoJson(body);
  return readXlsx(body);
}

/** A file must say where stations are (or which existing ones it updates) before rows are read. */
function checkColumns(table: SourceTable, mapping: ColumnMapping, format: BulkFormat): void {
  if (table.rows.length === 0) throw badRequest('The file has a header but no data rows');
  const s = mapping.scalars;
  const identifies = s.external_id !== undefined || s.station_id !== undefined;
  const hasPosition = (s.lng !== undefined && s.lat !== undefined) || format === 'geojson';
  const found = `the file's columns are: ${table.columns.join(', ').slice(0, 400)}`;
  if (!hasPosition && !identifies) {
    throw badRequest(
      `No longitude/latitude columns found (looked for 经度/lng and 纬度/lat); ${found}. Pass mapping={"lng":"…","lat":"…"}`,
    );
  }
  if (s.name === undefined && !identifies) {
    throw badRequest(
      `No name column found (looked for 名称/站点名称/name); ${found}. Pass mapping={"name":"…"}`,
    );
  }
  if ((s.lng === undefined) !== (s.lat === undefined) && format !== 'geojson') {
    throw badRequest(`The file maps only one of longitude/latitude; ${found}`);
  }
}

function describeMapping(mapping: ColumnMapping): Record<string, string> {
  return { ...mapping.scalars, ...mapping.amenities } as Record<string, string>;
}

const placedRows = (planned: PlannedRow[]) =>
  planned.flatMap((p, index) =>
    p.write && (p.action === 'insert' || p.changes?.location) ? [index] : [],
  );

/** A row placed outside the deployment's region is an error (areas/region.ts). */
async function addRegionProblems(
  db: AppDatabase,
  reads: ReturnType<typeof readStationRow>[],
  region: RegionOptions,
): Promise<void> {
  const placed = reads.filter((r) => r.draft.position);
  const problems = await regionProblems(db, placed.map((r) => r.draft.position!), region);
  placed.forEach((r, i) => {
    if (problems[i]) r.problems.push({ field: 'lng', problem: problems[i]! });
  });
}

function warnOutside(row: PlannedRow, distanceM: number | null): void {
  const km = distanceM === null ? '?' : (distanceM / 1000).toFixed(1);
  row.warnings.push({
    field: 'lng',
    problem: `the position is outside every loaded area (${km} km from the nearest); check the coordinates and the declared crs`,
  });
}

/** Dry run: warns about positions outside every loaded area (kept, but shown). */
async function addPlacementWarnings(db: AppDatabase, planned: PlannedRow[]): Promise<void> {
  const points = placedRows(planned).map((index) => ({
    index,
    lng: planned[index]!.write!.lng,
    lat: planned[index]!.write!.lat,
  }));
  for (const place of await placePoints(db, points)) {
    if (!place.inside) warnOutside(planned[place.index]!, place.distance_m);
  }
}

/** After writing: the area trigger already placed every row, so its answer is reused (no 2nd pass). */
async function addWrittenPlacementWarnings(tx: AppDatabase, planned: PlannedRow[]): Promise<void> {
  const byStation = new Map(placedRows(planned).map((i) => [planned[i]!.station_id!, planned[i]!]));
  for (const outside of await findStationsOutsideDistricts(tx, [...byStation.keys()])) {
    warnOutside(byStation.get(Number(outside.id))!, outside.distance_m);
  }
}

/** Adds the derived district/sub-district to a change record, as the editor's history does. */
function recordAreas(row: PlannedRow, written: WrittenStation): void {
  for (const field of ['district_code', 'subdistrict_code'] as const) {
    const before = row.areas_before ? row.areas_before[field] : null;
    if (before !== written[field]) row.changes![field] = { before, after: written[field] };
  }
}

async function writePlanned(
  tx: AppDatabase,
  planned: PlannedRow[],
  user: ImportRequest['user'],
): Promise<void> {
  const inserts = planned.filter((p) => p.action === 'insert');
  const updates = planned.filter((p) => p.action === 'update');
  const inserted = await insertStationBatch(
    tx,
    inserts.map((p) => p.write!),
  );
  inserts.forEach((p, i) => {
    p.station_id = inserted[i]!.id;
    recordAreas(p, inserted[i]!);
  });
  const updated = await updateStationBatch(
    tx,
    updates.map((p) => p.write!),
  );
  for (const p of updates) recordAreas(p, updated.get(p.station_id!)!);
  await recordImportChanges(
    tx,
    [...inserts, ...updates].map((p) => ({
      stationId: p.station_id!,
      userId: user.id,
      username: user.username,
      changes: p.changes!,
      version: p.action === 'insert' ? 1 : updated.get(p.station_id!)!.version,
    })),
  );
}

async function planRows(
  db: AppDatabase,
  rows: Parameters<typeof planImport>[0],
  lock: boolean,
  onConflict: OnConflict,
): Promise<PlannedRow[]> {
  const externalIds = rows.flatMap((r) =>
    r.read.draft.external_id ? [r.read.draft.external_id] : [],
  );
  const stationIds = rows.flatMap((r) =>
    r.read.draft.station_id !== undefined ? [r.read.draft.station_id] : [],
  );
  const existing = await findStationsByKeys(db, { externalIds, stationIds }, lock);
  const planned = planImport(rows, existing);
  markConflicts(planned, await findChangesSince(db, staleRows(planned)), onConflict);
  return planned;
}

export async function importStations(
  db: AppDatabase,
  request: ImportRequest,
): Promise<ImportReport> {
  const started = performance.now();
  const table = await readTable(request.format, request.body);
  const mapping = resolveColumnMapping(table.columns, request.mapping);
  checkColumns(table, mapping, request.format);
  // Every distinct hours text read in the CPU pool first: parsing one can take a second.
  const hours = await readImportHours(
    table.rows.flatMap((row) => openingHoursText(row, mapping) ?? []),
  );
  const rows = table.rows.map((row) => ({
    row: row.row,
    read: readStationRow(row, mapping, request.crs, (t) => hours.get(t) ?? readOpeningHoursInput(t)),
  }));
  await addRegionProblems(db, rows.map((r) => r.read), request.region);
  const mayWrite = !request.dryRun && !rows.some((r) => r.read.problems.length);

  // Matching, checks and writes share one transaction with the matched rows locked, so what was
  // checked is what gets written; a row in error means nothing is written at all.
  let committed = false;
  const planned = await inTransaction(db, async (tx) => {
    const plan = await planRows(tx, rows, mayWrite, request.onConflict ?? 'refuse');
    if (!mayWrite || plan.some((p) => p.action === 'error' || p.action === 'conflict')) {
      await addPlacementWarnings(tx, plan);
      return plan;
    }
    await writePlanned(tx, plan, request.user);
    await addWrittenPlacementWarnings(tx, plan);
    committed = true;
    return plan;
  });
  const count = (action: ImportAction) => planned.filter((p) => p.action === action).length;
  return {
    dry_run: request.dryRun,
    committed,
    format: request.format,
    crs: request.crs,
    columns: { mapping: describeMapping(mapping), ignored: mapping.ignored },
    notes: table.notes,
    rows: planned.map(({ row, external_id, action, station_id, problems, warnings }) => ({
      row,
      external_id,
      action,
      ...(station_id !== undefined ? { station_id } : {}),
      problems,
      warnings,
    })),
    summary: {
      rows: planned.length,
      inserted: count('insert'),
      updated: count('update'),
      unchanged: count('unchanged'),
      errors: count('error'),
      conflicts: count('conflict'),
      warnings: planned.filter((p) => p.warnings.length).length,
    },
    elapsed_ms: Math.round(performance.now() - started),
  };
}
