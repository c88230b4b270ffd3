import { Router, type Request, type Response } from 'express';
import type { AppDatabase } from '../../db/client.js';
import type { RegionOptions } from '../areas/region.js';
import { HttpError, notFound } from '../../http/errors.js';
import { z } from 'zod';
import type { ApiOperation } from '../../http/openapi.js';
import { JsonObjectSchema } from '../../http/openapi-schemas.js';
import { parseForPeople, parseRequest } from '../../http/validate.js';
import { requireRole, requireStationAccess, unauthenticated } from '../auth/auth.middleware.js';
import { canEditStation } from '../auth/roles.js';
import { listManagedStations, listStationChanges } from './station-changes.repository.js';
import { readEditHours } from './hours-check.js';
import {
  HistoryQuerySchema,
  MyStationsQuerySchema,
  NewStationBodySchema,
  PlacementQuerySchema,
  checkHoursBudget,
  parseIfMatch,
  StationIdParam,
  StationPatchSchema,
  VersionBodySchema,
} from './station-edits.schemas.js';
import {
  createStation,
  deleteStation,
  revertChange,
  updateStation,
  verifyStation,
  type EditResult,
} from './station-edits.service.js';
import { findStationById, previewAreasAt } from './stations.repository.js';
import { toWgs84 } from '../../geo/coords.js';

export const stationIdOf = (req: Request) => parseRequest(StationIdParam, req.params.id, 'params');

/** The version the client edited: If-Match wins; else `version` in the body. */
function expectedVersion(req: Request, bodyVersion: number | undefined): number | undefined {
  const fromHeader = parseIfMatch(req.get('If-Match'));
  if (fromHeader === null) {
    throw new HttpError(400, 'If-Match must be the station version in quotes, e.g. If-Match: "3"');
  }
  return fromHeader ?? bodyVersion;
}

function sendEdit(res: Response, result: EditResult, status = 200) {
  res
    .status(status)
    .set('ETag', `"${result.station.version}"`)
    .set('Cache-Control', 'no-store')
    .json({ station: result.station, change_id: result.changeId, warnings: result.warnings });
}

const editor = (req: Request) => {
  if (!req.user) throw unauthenticated();
  return req.user;
};

/** Station editing for managers and admins, with versions, history and revert. */
export function stationEditsRouter(db: AppDatabase, region: RegionOptions): Router {
  const router = Router();
  const access = requireStationAccess(stationIdOf);

  router.get('/me/stations', requireRole('manager', 'planner'), async (req, res) => {
    const q = parseRequest(MyStationsQuerySchema, req.query);
    const user = editor(req);
    const stations = await listManagedStations(db, {
      stationIds: user.role === 'manager' ? user.stationIds : null,
      q: q.q,
      limit: q.limit,
    });
    res.set('Cache-Control', 'no-store').json({ stations });
  });

  router.get('/stations/:id', async (req, res, next) => {
    // Other modules own words under /stations (export, nearest…); only numbers are ours.
    if (!/^\d+$/.test(String(req.params.id))) return next();
    const id = stationIdOf(req);
    const station = await findStationById(db, id);
    if (!station) throw notFound(`Station not found: ${id}`);
    res
      .set('ETag', `"${station.version}"`)
      .set('Cache-Control', req.user ? 'no-store' : 'no-cache')
      .json({ station });
  });

  router.patch('/stations/:id', access, async (req, res) => {
    checkHoursBudget(req.body);
    const { version, ...asked } = parseRequest(StationPatchSchema, req.body ?? {}, 'body');
    const { body: patch, warnings } = await readEditHours(asked);
    const result = await updateStation(db, editor(req), stationIdOf(req), patch, expectedVersion(req, version), region);
    sendEdit(res, { ...result, warnings });
  });

  router.post('/stations/:id/verify', access, async (req, res) => {
    sendEdit(res, await verifyStation(db, editor(req), stationIdOf(req)));
  });

  router.post('/stations/:id/revert/:changeId', access, async (req, res) => {
    const changeId = parseRequest(StationIdParam, req.params.changeId, 'params');
    const body = parseRequest(VersionBodySchema, req.body, 'body');
    const result = await revertChange(db, editor(req), stationIdOf(req), changeId, expectedVersion(req, body?.version));
    sendEdit(res, result);
  });

  router.get('/stations/:id/history', requireRole('manager', 'planner'), async (req, res) => {
    const id = stationIdOf(req);
    const user = editor(req);
    if (user.role === 'manager' && !canEditStation(user, id)) {
      throw new HttpError(403, `You do not manage station ${id}`);
    }
    const q = parseRequest(HistoryQuerySchema, req.query);
    const changes = await listStationChanges(db, id, q);
    res.set('Cache-Control', 'no-store').json({ station_id: id, changes });
  });

  // Before a move is saved: the areas the station will be counted in at the new place.
  router.get('/stations/:id/placement', access, async (req, res) => {
    const id = stationIdOf(req);
    const q = parseForPeople(PlacementQuerySchema, req.query, 'query', { zh: '新位置', en: 'Invalid position' });
    const [lng, lat] = toWgs84([q.lng, q.lat], q.datum);
    const areas = await previewAreasAt(db, id, lng, lat);
    if (!areas) throw notFound(`Station not found: ${id}`);
    res.set('Cache-Control', 'no-store').json({ station_id: id, lng, lat, areas });
  });

  router.post('/stations', requireRole('admin'), async (req, res) => {
    checkHoursBudget(req.body);
    const { body, warnings } = await readEditHours(parseRequest(NewStationBodySchema, req.body, 'body'));
    const result = await createStation(db, editor(req), body, region);
    res.location(`/api/stations/${result.station.id}`);
    sendEdit(res, { ...result, warnings }, 201);
  });

  router.delete('/stations/:id', requireRole('admin'), async (req, res) => {
    const body = parseRequest(VersionBodySchema, req.body, 'body');
    await deleteStation(db, editor(req), stationIdOf(req), expectedVersion(req, body?.version));
    res.status(204).end();
  });

  return router;
}

const tags = ['station editing'];
const params = z.object({ id: StationIdParam });
const IfMatchHeaders = z.object({
  'If-Match': z
    .string()
    .optional()
    .describe('the station version edited, in quotes ("3"); or send "version" in the body'),
});
const EditResultSchema = z.object({
  station: JsonObjectSchema,
  change_id: z.number().int().nullable(),
  warnings: z.array(z.unknown()),
});
const edited = (description: string) => ({
  description,
  schema: EditResultSchema,
  headers: { ETag: 'the new version, in quotes' },
});
const noStation = { '404': 'No such station' };
const conflict = { '409': 'Changed by someone else since that version; the body carries the current station' };
export const STATION_EDITS_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/me/stations',
    summary: 'Stations I keep (managers) or a search (admins, planners)',
    tags,
    query: MyStationsQuerySchema,
    access: ['manager', 'planner'],
    responses: { '200': { description: 'Stations', schema: z.object({ stations: z.array(JsonObjectSchema) }) } },
  },
  {
    method: 'get',
    path: '/api/stations/{id}',
    summary: 'One station with its version (ETag)',
    tags,
    params,
    responses: {
      '200': { description: 'The station', schema: z.object({ station: JsonObjectSchema }), headers: { ETag: 'the version, in quotes' } },
      ...noStation,
    },
  },
  {
    method: 'patch',
    path: '/api/stations/{id}',
    summary: 'Edit a station. Needs If-Match: "<version>" or "version"; 409 carries the current station',
    tags,
    params,
    headers: IfMatchHeaders,
    body: StationPatchSchema,
    access: 'session',
    description: 'Managers edit the stations they keep; admins any.',
    responses: { '200': edited('Saved'), ...noStation, ...conflict, '428': 'No version given' },
  },
  {
    method: 'post',
    path: '/api/stations/{id}/verify',
    summary: '"Still correct": stamps verified_at',
    tags,
    params,
    access: 'session',
    responses: { '200': edited('Verified'), ...noStation },
  },
  {
    method: 'post',
    path: '/api/stations/{id}/revert/{changeId}',
    summary: 'Restore the values before one change (recorded as a new change; version-checked)',
    tags,
    params: params.extend({ changeId: StationIdParam }),
    headers: IfMatchHeaders,
    body: VersionBodySchema,
    access: 'session',
    responses: { '200': edited('Reverted'), '404': 'No such station or change', ...conflict },
  },
  {
    method: 'get',
    path: '/api/stations/{id}/placement',
    summary:
      'Before moving a station: its position in WGS-84 and the areas (outermost first) it would be counted in there, exactly as saving would derive them; nothing is changed',
    tags,
    params,
    query: PlacementQuerySchema,
    access: ['manager'],
    responses: {
      '200': {
        description: 'The areas at that position (empty: in none, nor within 500 m of one)',
        schema: z.object({
          station_id: z.number().int(),
          lng: z.number(),
          lat: z.number(),
          areas: z.array(z.object({ code: z.string(), name: z.string(), level: z.string() })),
        }),
      },
      '404': 'No such station',
    },
  },
  {
    method: 'get',
    path: '/api/stations/{id}/history',
    summary: 'Recorded changes, newest first',
    tags,
    params,
    query: HistoryQuerySchema,
    access: ['manager', 'planner'],
    responses: {
      '200': {
        description: 'Changes',
        schema: z.object({ station_id: z.number().int(), changes: z.array(JsonObjectSchema) }),
      },
    },
  },
  {
    method: 'post',
    path: '/api/stations',
    summary: 'Create a station (admin)',
    tags,
    body: NewStationBodySchema,
    access: ['admin'],
    responses: { '201': { ...edited('Created'), headers: { ETag: 'the version, in quotes', Location: 'the new station' } } },
  },
  {
    method: 'delete',
    path: '/api/stations/{id}',
    summary: 'Delete a station (admin; history kept)',
    tags,
    params,
    headers: IfMatchHeaders,
    body: VersionBodySchema,
    access: ['admin'],
    responses: { '204': 'Deleted', ...noStation, ...conflict },
  },
];
